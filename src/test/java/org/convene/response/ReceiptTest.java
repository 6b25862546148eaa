package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.convene.chat.Receipt;
import org.convene.support.TestConvene;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer from a chat and the platform's mark that its event was handled are one transaction: an answer
 * that is not written leaves no mark (the redelivery is handled), and a marked event writes nothing again.
 */
class ReceiptTest {
    TestConvene app;
    Jdbi jdbi;
    ResponseService responses;
    long meeting;
    long person;

    @BeforeEach
    void setUp() {
        app = TestConvene.start();
        jdbi = app.convene.services().database().jdbi();
        responses = app.convene.services().responses();
        long unit = app.unit("Chi bộ 7");
        long member = app.member(unit, "Trần Thị Lan", "u-lan");
        meeting = app.meeting(unit, "2026-12-05T19:30:00", List.of()).get("id").asLong();
        person = jdbi.withHandle(h -> h.createQuery("SELECT person_id FROM memberships WHERE id = :m").bind("m", member).mapTo(Long.class).one());
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    /** The mark a platform takes for one delivered event. */
    private static Receipt mark(String eventId) {
        return h -> h.createUpdate("INSERT INTO inbound_updates (platform, update_id, received_at) VALUES ('test', :id, 0) ON CONFLICT DO NOTHING")
                .bind("id", eventId).execute() == 1;
    }

    private int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    @Test
    void an_answer_that_fails_to_be_written_leaves_no_mark_so_the_redelivery_is_handled() {
        assertThatThrownBy(() -> responses.record("test", meeting, 987_654, new Answer.Coming(), Answer.Source.BUTTON, mark("update-1")))
                .as("no such person: the answer's insert fails");
        assertThat(count("SELECT COUNT(*) FROM inbound_updates WHERE platform = 'test'")).as("rolled back with the answer").isZero();

        assertThat(responses.record("test", meeting, person, new Answer.Coming(), Answer.Source.BUTTON, mark("update-1"))).isTrue();
        assertThat(count("SELECT COUNT(*) FROM responses WHERE rsvp = 'yes'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM inbound_updates WHERE platform = 'test'")).isEqualTo(1);
    }

    @Test
    void an_event_delivered_again_after_its_answer_was_written_writes_nothing() {
        assertThat(responses.record("test", meeting, person, new Answer.Absent("sick", null), Answer.Source.BUTTON, mark("update-2"))).isTrue();
        assertThat(responses.record("test", meeting, person, new Answer.Absent("sick", null), Answer.Source.BUTTON, mark("update-2"))).isFalse();

        assertThat(count("SELECT COUNT(*) FROM response_history")).as("one history row").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_events WHERE action = 'response.recorded'")).isEqualTo(1);
        assertThat(responses.record("test", meeting, person, new Answer.Coming(), Answer.Source.BUTTON, mark("update-3")))
                .as("another event of the same member is its own").isTrue();
        assertThat(count("SELECT COUNT(*) FROM response_history")).isEqualTo(2);
    }
}
