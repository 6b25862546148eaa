package org.convene.response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convene.chat.ChatUser;
import org.convene.chat.OutgoingMessage;
import org.convene.delivery.LiveContent;
import org.convene.delivery.MessageRenderer;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Unit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The tally and the chase, made from the answers as they are when the message goes out. */
public final class ResponseTexts implements LiveContent {
    private final Jdbi jdbi;
    private final MessageRenderer renderer;
    private final ResponseLedger responses;

    public ResponseTexts(Jdbi jdbi, MessageRenderer renderer, ResponseLedger responses) {
        this.jdbi = jdbi;
        this.renderer = renderer;
        this.responses = responses;
    }

    /** One connection for the whole text (nested jdbi calls share it): a tally is made for every edit of a busy wave. */
    @Override
    public OutgoingMessage.Text tally(long meetingId) {
        return jdbi.withHandle(h -> tallyOn(meetingId, false));
    }

    @Override
    public OutgoingMessage.Text tally(long meetingId, String platform) {
        return jdbi.withHandle(h -> tallyOn(meetingId, renderer.repliesOnlyOn(platform)));
    }

    private OutgoingMessage.Text tallyOn(long meetingId, boolean replyHere) {
        Meeting meeting = meeting(meetingId);
        Unit unit = unit(meeting);
        // counted by the database, not by reading the whole unit: a unit of 50,000 is tallied as fast as one of 50
        ResponseLedger.Tally t = responses.tally(meeting, unit.showNames());
        return renderer.agendaWithTally(unit, meeting, jdbi.withHandle(h -> h.createQuery(
                        Material.CURRENT_OF_MEETING).bind("meetingId", meetingId).map(MATERIAL).list()),
                jdbi.withHandle(h -> new org.convene.meeting.TaskDao(h).openBefore(meeting)),
                new MessageRenderer.Tally(t.invited(), t.received(), t.yes(), t.no(), t.coming(), t.absent()), replyHere);
    }

    @Override
    public Optional<OutgoingMessage.Text> chase(long meetingId, String platform) {
        Meeting meeting = meeting(meetingId);
        List<String> names = new ArrayList<>();
        List<ChatUser> mentions = new ArrayList<>();
        for (ResponseLedger.MemberAnswer row : responses.responses(meetingId).members()) {
            if (row.observer() || row.receivedAt() != null) continue;
            names.add(row.name());
            String account = row.accounts().get(platform);
            if (account != null) mentions.add(new ChatUser(account, row.name(), null));
        }
        if (names.isEmpty()) return Optional.empty();
        return Optional.of(renderer.chase(unit(meeting), meeting, names, mentions, renderer.buttonsOn(platform),
                renderer.repliesOnlyOn(platform)));
    }

    private Meeting meeting(long id) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(id)).orElseThrow();
    }

    // plain queries with mappers made once: attaching UnitDao or MaterialDao for each text cost more than the queries
    private static final RowMapper<Unit> UNIT = ConstructorMapper.of(Unit.class);
    private static final RowMapper<Material> MATERIAL = ConstructorMapper.of(Material.class);

    private Unit unit(Meeting meeting) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM units WHERE id = :id").bind("id", meeting.unitId()).map(UNIT).one());
    }
}
