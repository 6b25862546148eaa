package org.convene.meeting;

import java.util.List;

/** What callers ask the meeting feature for; every field may be missing and is validated by the services. */
public final class Requests {
    private Requests() {}

    /** {@code memberWord}: what the unit's members are called (party, youth, association, member; default member). */
    public record NewUnit(String name, Long parentId, String timezone, String locale, String memberWord) {
        public NewUnit(String name, Long parentId, String timezone, String locale) {
            this(name, parentId, timezone, locale, null);
        }
    }

    /**
     * A change of a unit: each field present is changed. {@code showNamesInGroup}: names, not only counts, in
     * the group's tally. {@code parentId} moves the unit under another from {@code parentFrom} (default today).
     */
    public record UnitChange(String name, String timezone, String locale, Boolean showNamesInGroup, Long parentId, String parentFrom,
                             String memberWord) {
        public UnitChange(String name, String timezone, String locale, Boolean showNamesInGroup) {
            this(name, timezone, locale, showNamesInGroup, null, null, null);
        }
    }

    /**
     * A member to add: a new person, or with {@code personId} a person already known in another unit (the
     * name then comes from the person). {@code status} and {@code joinedOn} default to official and unknown.
     */
    public record NewMember(String name, String role, String phone, String telegramUserId, String zaloUserId, String localUserId,
                            Long personId, String status, String joinedOn) {
        public NewMember(String name, String role, String phone, String telegramUserId, String zaloUserId, String localUserId) {
            this(name, role, phone, telegramUserId, zaloUserId, localUserId, null, null, null);
        }

        public NewMember(String name, String role, String phone, String telegramUserId, String zaloUserId) {
            this(name, role, phone, telegramUserId, zaloUserId, null);
        }
    }

    /**
     * A change of a membership; each field present is changed. {@code statusFrom}: the day the new status
     * takes effect (default today; on or before {@code joinedOn}: since the membership began). {@code leftOn}
     * needs {@code leftReason}; {@code leftOn: null} sent explicitly reopens an ended membership, which
     * {@code present} (the names of the fields the body carried) tells apart from a field left out.
     */
    public record MemberChange(String name, String role, String phone, String status, String statusFrom, String joinedOn,
                               String leftOn, String leftReason, java.util.Set<String> present) {
        public MemberChange {
            present = present == null ? java.util.Set.of() : java.util.Set.copyOf(present);
        }

        public MemberChange withPresent(java.util.Set<String> fields) {
            return new MemberChange(name, role, phone, status, statusFrom, joinedOn, leftOn, leftReason, fields);
        }

        public boolean has(String field) {
            return present.contains(field);
        }
    }

    public record NewChat(String platform, String chatId, String title) {}

    /** One reminder of a plan: an ISO duration before the start and, optionally, its kind. */
    public record ReminderRequest(String offset, String kind) {}

    /** {@code recorded}: a meeting that already took place, entered afterwards (no reminders; attendance follows). */
    public record MeetingRequest(Long unitId, String title, String kind, String startsAt, Integer durationMinutes,
                                 String location, List<AgendaItem> agenda, List<ReminderRequest> reminders,
                                 List<Long> observerUnitIds, String theme, Boolean recorded) {
        public MeetingRequest(Long unitId, String title, String kind, String startsAt, Integer durationMinutes, String location,
                              List<AgendaItem> agenda, List<ReminderRequest> reminders, List<Long> observerUnitIds) {
            this(unitId, title, kind, startsAt, durationMinutes, location, agenda, reminders, observerUnitIds, null, null);
        }
    }
}
