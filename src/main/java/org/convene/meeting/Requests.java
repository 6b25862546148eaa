package org.convene.meeting;

import java.util.List;

/** What callers ask the meeting feature for; every field may be missing and is validated by the services. */
public final class Requests {
    private Requests() {}

    public record NewUnit(String name, Long parentId, String timezone, String locale) {}

    /** A change of a unit: each field present is changed. {@code showNamesInGroup}: names, not only counts, in the group's tally. */
    public record UnitChange(String name, String timezone, String locale, Boolean showNamesInGroup) {}

    public record NewMember(String name, String role, String phone, String telegramUserId, String zaloUserId, String localUserId) {
        public NewMember(String name, String role, String phone, String telegramUserId, String zaloUserId) {
            this(name, role, phone, telegramUserId, zaloUserId, null);
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
