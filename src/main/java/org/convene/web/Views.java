package org.convene.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.convene.delivery.Delivery;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Chat;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;
import org.convene.meeting.Member;
import org.convene.meeting.Unit;
import org.convene.schedule.Reminder;

/** The JSON shapes of the API; times carry the unit's offset. */
final class Views {
    private Views() {}

    /** {@code mergedInto}: the unit this one was merged into, left out while it stands on its own. */
    record UnitView(long id, String name, Long parentId, String timezone, String locale, String calendarUrl, boolean showNamesInGroup,
                    String memberWord, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                    Long mergedInto) {
        static UnitView of(Unit u, String publicUrl) {
            return new UnitView(u.id(), u.name(), u.parentId(), u.timezone(), u.locale(), publicUrl + "/calendar/" + u.feedToken() + ".ics",
                    u.showNames(), u.memberWord(), u.mergedInto());
        }
    }

    /** A membership; {@code id} names it within its unit and is the person's id, {@code personId} names the person everywhere. */
    record MemberView(long id, long personId, long unitId, String name, String role, String phone, String telegramUserId, String zaloUserId,
                      String localUserId, boolean linked, String status, String joinedOn, String leftOn, String leftReason) {
        static MemberView of(Member m) {
            return new MemberView(m.id(), m.personId(), m.unitId(), m.name(), m.role().wire(), m.phone(), m.accounts().get("telegram"),
                    m.accounts().get("zalo"), m.accounts().get("local"), m.linked(), m.status().wire(),
                    m.joinedOn() == null ? null : m.joinedOn().toString(), m.leftOn() == null ? null : m.leftOn().toString(),
                    m.leftReason() == null ? null : m.leftReason().wire());
        }
    }

    /** One audit event, its time with the unit's offset. */
    record AuditView(long id, OffsetDateTime at, String actor, String actorName, String action, String entity, String entityId, String detail) {
        static AuditView of(org.convene.store.AuditLog.Event e, java.time.ZoneId zone) {
            return new AuditView(e.id(), Views.at(e.at(), zone), e.actor(), e.actorName(), e.action(), e.entity(), e.entityId(), e.detail());
        }
    }

    /** A linked chat account: {@code origin} says who linked it (self, registered, code) and so whether it signs in. */
    record AccountView(String platform, String userId, String userName, String origin, OffsetDateTime linkedAt) {
        static AccountView of(org.convene.meeting.MemberDao.Account a, java.time.ZoneId zone) {
            return new AccountView(a.platform(), a.userId(), a.userName(), a.origin(), at(a.linkedAt(), zone));
        }
    }

    /** A unit token as listed: its id, role and label, never the secret. */
    record TokenView(long id, String role, String label, OffsetDateTime createdAt, OffsetDateTime revokedAt, boolean revoked) {
        static TokenView of(ApiTokens.Listed t, java.time.ZoneId zone) {
            return new TokenView(t.id(), t.role(), t.label(), at(t.createdAt(), zone), t.revokedAt() == null ? null : at(t.revokedAt(), zone),
                    t.revokedAt() != null);
        }
    }

    record ChatView(long id, long unitId, String platform, String chatId, String title, String state) {
        static ChatView of(Chat c) {
            return new ChatView(c.id(), c.unitId(), c.platform(), c.platformChatId(), c.title(), c.state());
        }
    }

    record ReminderView(long id, String offset, String kind, OffsetDateTime dueAt, String state, OffsetDateTime firedAt) {}

    record MeetingView(long id, long unitId, String title, String kind, OffsetDateTime startsAt, OffsetDateTime endsAt,
                       String timezone, int durationMinutes, String location, String status, String cancelReason, int version,
                       List<AgendaItem> agenda, List<Long> observerUnitIds, List<ReminderView> reminders, String attendance,
                       String theme, boolean recorded) {
        static MeetingView of(Meeting m, List<Reminder> reminders, String attendance) {
            ZoneId zone = ZoneId.of(m.zone());
            return new MeetingView(m.id(), m.unitId(), m.title(), m.kind().wire(), at(m.startsAt(), zone),
                    at(m.startsAt().plusSeconds(m.durationMinutes() * 60L), zone), m.zone(), m.durationMinutes(), m.location(),
                    m.status(), m.cancelReason(), m.version(), m.agenda(), m.observerUnitIds(),
                    reminders.stream().map(r -> new ReminderView(r.id(), r.offsetIso(), r.kind(), at(r.dueAt(), zone), r.state(),
                            at(r.firedAt(), zone))).toList(), attendance, m.theme(), m.recorded());
        }
    }

    /**
     * One version of a document: {@code documentId} stays the same across versions, {@code replacedAt} is
     * set on all but the current one; {@code warnings} name the platforms of the meeting's chats that will
     * not take it as a file (it goes there as a link).
     */
    record MaterialView(long id, long meetingId, String filename, long size, String mediaType, String sha256, boolean confidential,
                        long documentId, int version, OffsetDateTime createdAt, OffsetDateTime replacedAt, boolean observersMayView,
                        List<WarningView> warnings) {
        static MaterialView of(Material m) {
            return of(m, List.of());
        }

        static MaterialView of(Material m, List<org.convene.meeting.MaterialHooks.Warning> warnings) {
            return new MaterialView(m.id(), m.meetingId(), m.filename(), m.size(), m.mediaType(), m.sha256(), m.confidential(),
                    m.document(), m.version(), at(m.createdAt(), ZoneOffset.UTC), at(m.replacedAt(), ZoneOffset.UTC), m.observersMayView(),
                    warnings.stream().map(w -> new WarningView(w.platform(), w.message())).toList());
        }
    }

    record WarningView(String platform, String message) {}

    record DeliveryView(long id, long chatId, String kind, int part, String state, int attempts, String lastError,
                        OffsetDateTime dueAt, OffsetDateTime sentAt, String platformMessageId) {
        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.id(), d.chatId(), d.kind(), d.part(), d.state(), d.attempts(), d.lastError(),
                    at(d.dueAt(), ZoneOffset.UTC), at(d.sentAt(), ZoneOffset.UTC), d.platformMessageId());
        }
    }

    static OffsetDateTime at(Instant instant, ZoneId zone) {
        return instant == null ? null : instant.atZone(zone).toOffsetDateTime();
    }
}
