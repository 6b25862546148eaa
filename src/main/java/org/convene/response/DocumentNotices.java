package org.convene.response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convene.chat.ChatUser;
import org.convene.delivery.Outbox;
import org.convene.meeting.Chat;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialHooks;
import org.convene.meeting.Meeting;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Handle;

/**
 * The chats' side of documents that change after the agenda went out: a late document is posted with a
 * notice, a new version is posted with the news of the change, and only the members who acknowledged
 * an older version are asked to read the new one and acknowledge again.
 */
public final class DocumentNotices implements MaterialHooks {
    private final Outbox outbox;

    public DocumentNotices(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public boolean agendaWentOut(Handle h, Meeting meeting) {
        return Outbox.agendaWentOut(h, meeting);
    }

    @Override
    public int postedLate(Handle h, Meeting meeting, Material material) {
        return outbox.documentAdded(h, meeting, material);
    }

    @Override
    public int replaced(Handle h, Meeting meeting, Material previous, Material current) {
        int added = outbox.documentReplaced(h, meeting, previous, current);
        List<Member> asked = acknowledgedBefore(h, meeting);
        if (asked.isEmpty()) return added;
        Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
        var renderer = outbox.renderer();
        return added + outbox.askAgain(h, meeting, current, platform -> {
            List<String> names = new ArrayList<>();
            List<ChatUser> mentions = new ArrayList<>();
            for (Member m : asked) {
                names.add(m.name());
                String account = m.accounts().get(platform);
                if (account != null) mentions.add(new ChatUser(account, m.name(), null));
            }
            return Optional.of(renderer.askAgain(unit, meeting, current, names, mentions, renderer.buttonsOn(platform)));
        });
    }

    /**
     * The unit's members whose acknowledgement is older than the meeting's documents now (called after
     * the revision went up): they had the papers, and a paper changed since.
     */
    private static List<Member> acknowledgedBefore(Handle h, Meeting meeting) {
        List<Long> persons = h.createQuery("""
                        SELECT r.person_id FROM responses r JOIN meetings m ON m.id = r.meeting_id
                        WHERE r.meeting_id = :m AND r.received_at IS NOT NULL AND COALESCE(r.documents_revision, 0) < m.documents_revision""")
                .bind("m", meeting.id()).mapTo(Long.class).list();
        if (persons.isEmpty()) return List.of();
        return new MemberDao(h).ofUnit(meeting.unitId()).stream().filter(m -> persons.contains(m.id())).toList();
    }

    @Override
    public int remindToRead(Handle h, Meeting meeting, Material current, List<Long> personIds, String key) {
        List<Member> named = new MemberDao(h).ofUnit(meeting.unitId()).stream().filter(m -> personIds.contains(m.id())).toList();
        if (named.isEmpty()) return 0;
        Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
        return outbox.textPerPlatform(h, meeting, "read-reminder", platform -> {
            List<ChatUser> mentions = new ArrayList<>();
            for (Member m : named) {
                String account = m.accounts().get(platform);
                if (account != null) mentions.add(new ChatUser(account, m.name(), null));
            }
            return outbox.renderer().remindToRead(unit, meeting, current, named.stream().map(Member::name).toList(), mentions);
        }, key);
    }

    @Override
    public List<Warning> limits(Handle h, Meeting meeting, Material material) {
        if (material.confidential()) return List.of();
        List<Warning> warnings = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        List<Long> units = new ArrayList<>();
        units.add(meeting.unitId());
        units.addAll(meeting.observerUnitIds());
        for (Chat chat : h.createQuery("SELECT * FROM chats WHERE unit_id IN (<units>) ORDER BY id").bindList("units", units)
                .map(Chat.ROW).list()) {
            if (!chat.active() || seen.contains(chat.platform())) continue;
            seen.add(chat.platform());
            String refusal = outbox.renderer().documentRefusal(chat.platform(), material);
            if (refusal != null) warnings.add(new Warning(chat.platform(), refusal));
        }
        return warnings;
    }

}
