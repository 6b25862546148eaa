package org.convene.meeting;

import java.time.LocalDate;
import java.util.Map;

/**
 * A person's membership in one unit, with the chat accounts linked to the person (platform → user id).
 * {@code id} is the person's id, which names the membership within its unit; {@code status} is the one
 * in force on the day asked about. {@code joinedOn} null: a member since before Convene knew.
 */
public record Member(long id, long unitId, String name, Role role, String phone, Map<String, String> accounts,
                     MemberStatus status, LocalDate joinedOn, LocalDate leftOn, MemberStatus.LeftReason leftReason) {
    public Member {
        accounts = Map.copyOf(accounts);
    }

    public long personId() {
        return id;
    }

    public boolean linked() {
        return !accounts.isEmpty();
    }

    /** On the roster of {@code day}: joined by then and not yet left. */
    public boolean memberOn(LocalDate day) {
        return (joinedOn == null || !joinedOn.isAfter(day)) && (leftOn == null || day.isBefore(leftOn));
    }
}
