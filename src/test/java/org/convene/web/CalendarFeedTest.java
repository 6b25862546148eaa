package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A unit's calendar feed and a meeting's download, read back with ical4j's own parser. */
class CalendarFeedTest {
    TestConvene app;
    long unit;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void the_feed_of_a_unit_with_a_changed_and_a_cancelled_meeting_parses_with_the_right_times_sequence_and_status() throws Exception {
        long plain = app.meeting(unit, "2026-12-05T19:30", List.of("P3D", "PT2H")).get("id").asLong();
        long changed = app.meeting(unit, "2026-12-10T19:30", List.of("P1D")).get("id").asLong();
        assertThat(app.api.patch("/api/v1/meetings/" + changed, Map.of("startsAt", "2026-12-12T18:00", "location", "Hội trường xã")).status())
                .isEqualTo(200);
        long cancelled = app.meeting(unit, "2026-12-19T19:30", null).get("id").asLong();
        app.api.post("/api/v1/meetings/" + cancelled + "/cancel", Map.of("reason", "Bão số 9"));
        String url = app.api.get("/api/v1/units/" + unit).body().get("calendarUrl").asText();

        Http.Reply feed = app.anonymous.get(url.substring(url.indexOf("/calendar/")));

        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.contentType()).isEqualTo("text/calendar; charset=utf-8");
        Calendar calendar = new CalendarBuilder().build(new StringReader(feed.text()));
        assertThat(calendar.getComponents(Component.VTIMEZONE)).hasSize(1);
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        assertThat(events).hasSize(3);

        VEvent first = event(events, plain);
        assertThat(start(first)).isEqualTo(Instant.parse("2026-12-05T12:30:00Z"));
        assertThat(first.getProperty(Property.DTSTART).orElseThrow().getParameter("TZID").orElseThrow().getValue()).isEqualTo("Asia/Ho_Chi_Minh");
        assertThat(value(first, Property.SEQUENCE)).isEqualTo("1");
        assertThat(value(first, Property.STATUS)).isEqualTo("CONFIRMED");
        assertThat(value(first, Property.LOCATION)).isEqualTo("Nhà văn hoá");
        assertThat(value(first, Property.DESCRIPTION)).isEqualTo("1. Báo cáo tình hình\n2. Phân công nhiệm vụ");
        assertThat(first.<VAlarm>getComponents(Component.VALARM)).extracting(a -> a.getProperty(Property.TRIGGER).orElseThrow().getValue())
                .containsExactlyInAnyOrder("-P3D", "-PT2H");

        VEvent moved = event(events, changed);
        assertThat(start(moved)).isEqualTo(Instant.parse("2026-12-12T11:00:00Z"));
        assertThat(value(moved, Property.SEQUENCE)).isEqualTo("2");
        assertThat(value(moved, Property.LOCATION)).isEqualTo("Hội trường xã");

        VEvent gone = event(events, cancelled);
        assertThat(value(gone, Property.STATUS)).isEqualTo("CANCELLED");
        assertThat(value(gone, Property.SEQUENCE)).isEqualTo("2");
        assertThat(value(gone, Property.DESCRIPTION)).startsWith("Bão số 9");
        assertThat(gone.<VAlarm>getComponents(Component.VALARM)).as("no alarms for a cancelled meeting").isEmpty();
    }

    @Test
    void the_feed_reads_the_same_until_a_meeting_changes() {
        app.meeting(unit, "2026-12-05T19:30", null);
        String path = feedPath();
        String before = app.anonymous.get(path).text();
        app.advance(java.time.Duration.ofHours(1));
        assertThat(app.anonymous.get(path).text()).isEqualTo(before);
    }

    @Test
    void an_unknown_feed_token_is_404() {
        assertThat(app.anonymous.get("/calendar/0000deadbeef.ics").status()).isEqualTo(404);
        assertThat(app.anonymous.get("/calendar/" + feedPath().substring("/calendar/".length()).replace(".ics", ".txt")).status()).isEqualTo(404);
    }

    @Test
    void one_meeting_downloads_as_its_own_calendar_with_a_bearer_token_only() throws Exception {
        JsonNode m = app.meeting(unit, "2026-12-05T19:30", List.of("P1D"));
        String path = "/api/v1/meetings/" + m.get("id").asLong() + "/calendar.ics";

        Http.Reply r = app.api.get(path);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/calendar; charset=utf-8");
        VEvent event = new CalendarBuilder().build(new StringReader(r.text())).<VEvent>getComponents(Component.VEVENT).get(0);
        assertThat(value(event, Property.UID)).isEqualTo("meeting-" + m.get("id").asLong() + "@convene");
        assertThat(start(event)).isEqualTo(Instant.parse("2026-12-05T12:30:00Z"));
        assertThat(app.anonymous.get(path).status()).isEqualTo(401);
    }

    private String feedPath() {
        String url = app.api.get("/api/v1/units/" + unit).body().get("calendarUrl").asText();
        return url.substring(url.indexOf("/calendar/"));
    }

    private static VEvent event(List<VEvent> events, long meetingId) {
        return events.stream().filter(e -> value(e, Property.UID).equals("meeting-" + meetingId + "@convene")).findFirst().orElseThrow();
    }

    private static String value(Component c, String property) {
        return c.getProperty(property).map(Property::getValue).orElse(null);
    }

    private static Instant start(VEvent e) {
        return Instant.from((Temporal) e.getDateTimeStart().getDate());
    }
}
