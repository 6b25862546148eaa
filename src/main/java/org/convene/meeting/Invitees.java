package org.convene.meeting;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A meeting's invited list: the unit's roster on the meeting's local date, each member with the status
 * of that day. Once the meeting has begun the list is frozen (written down the first time it is read),
 * so that a later change of the roster (a join dated back, a member removed) leaves the meeting's
 * figures as they were. Exempt members are on the list but counted apart.
 */
public final class Invitees {
    private Invitees() {}

    /** One invited member and the status they had on the meeting's day. */
    public record Invitee(Member member, MemberStatus status) {
        public boolean counted() {
            return status.counted();
        }
    }

    public static List<Invitee> of(Handle h, Meeting meeting, Instant now) {
        boolean frozen = h.createQuery("SELECT invitees_frozen_at FROM meetings WHERE id = :m").bind("m", meeting.id())
                .mapTo(Long.class).findOne().isPresent();
        if (frozen) return frozen(h, meeting);
        LocalDate day = meeting.localStart().toLocalDate();
        List<Invitee> list = new MemberDao(h).onDay(meeting.unitId(), day).stream().map(m -> new Invitee(m, m.status())).toList();
        if (meeting.startsAt().isAfter(now)) return list;
        h.useTransaction(tx -> {
            int won = tx.createUpdate("UPDATE meetings SET invitees_frozen_at = :now WHERE id = :m AND invitees_frozen_at IS NULL")
                    .bind("m", meeting.id()).bind("now", now).execute();
            if (won == 0) return; // another reader froze it first, from the same roster
            for (Invitee i : list) {
                tx.createUpdate("INSERT INTO meeting_invitees (meeting_id, person_id, status) VALUES (:m, :p, :s)")
                        .bind("m", meeting.id()).bind("p", i.member().id()).bind("s", i.status().wire()).execute();
            }
        });
        return frozen(h, meeting);
    }

    /** Only those counted in the meeting's rates (exempt members left out). */
    public static List<Member> counted(Handle h, Meeting meeting, Instant now) {
        return of(h, meeting, now).stream().filter(Invitee::counted).map(Invitee::member).toList();
    }

    private static List<Invitee> frozen(Handle h, Meeting meeting) {
        Map<Long, MemberStatus> statuses = new LinkedHashMap<>();
        h.createQuery("SELECT person_id, status FROM meeting_invitees WHERE meeting_id = :m ORDER BY person_id")
                .bind("m", meeting.id())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), MemberStatus.parse(rs.getString(2)).orElse(MemberStatus.OFFICIAL))).list()
                .forEach(e -> statuses.put(e.getKey(), e.getValue()));
        List<Invitee> list = new ArrayList<>();
        for (Member m : new MemberDao(h).ofUnit(meeting.unitId())) {
            MemberStatus s = statuses.get(m.id());
            if (s != null) list.add(new Invitee(m, s));
        }
        return list;
    }
}
