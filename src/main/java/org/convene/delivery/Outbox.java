package org.convene.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.convene.chat.OutgoingMessage;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatDao;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialDao;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Handle;

/**
 * Writes deliveries inside the caller's transaction, one per chat and part, each under an idempotency
 * key, so writing the same thing twice adds nothing.
 */
public final class Outbox {
    private final MessageRenderer renderer;
    private final Clock clock;

    public Outbox(MessageRenderer renderer, Clock clock) {
        this.renderer = renderer;
        this.clock = clock;
    }

    /** The agenda with its buttons, then each non-confidential document, to every active chat of the unit. */
    public int agenda(Handle h, Meeting meeting, long reminderId, Instant dueAt) {
        Unit unit = unit(h, meeting);
        List<Material> materials = h.attach(MaterialDao.class).ofMeeting(meeting.id());
        List<Material> posted = materials.stream().filter(m -> !m.confidential()).toList();
        OutgoingMessage.Text text = renderer.agenda(unit, meeting, materials);
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            String key = "reminder:" + reminderId + ":chat:" + chat.id() + ":part:";
            added += add(h, meeting, reminderId, chat, "agenda", 0, text(text), key + 0, dueAt);
            for (int i = 0; i < posted.size(); i++) {
                added += add(h, meeting, reminderId, chat, "document", i + 1,
                        new Payload.Document(posted.get(i).id(), null), key + (i + 1), dueAt);
            }
        }
        return added;
    }

    public int reminder(Handle h, Meeting meeting, long reminderId, Instant dueAt) {
        OutgoingMessage.Text text = renderer.reminder(unit(h, meeting), meeting, dueAt);
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            added += add(h, meeting, reminderId, chat, "reminder", 0, text(text),
                    "reminder:" + reminderId + ":chat:" + chat.id() + ":part:0", dueAt);
        }
        return added;
    }

    /** A notice that the time or place changed, keyed by the meeting's version so each change is told once. */
    public int changed(Handle h, Meeting before, Meeting after) {
        return notice(h, after, "changed", renderer.changed(unit(h, after), before, after));
    }

    public int cancelled(Handle h, Meeting meeting) {
        return notice(h, meeting, "cancelled", renderer.cancelled(unit(h, meeting), meeting));
    }

    /** Any text to the unit's chats under a caller-chosen key (the key names what is said, once). */
    public int text(Handle h, Meeting meeting, String kind, OutgoingMessage.Text message, String keyPrefix) {
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            added += add(h, meeting, null, chat, kind, 0, text(message), keyPrefix + ":chat:" + chat.id(), clock.instant());
        }
        return added;
    }

    private int notice(Handle h, Meeting meeting, String kind, OutgoingMessage.Text message) {
        return text(h, meeting, kind, message, "meeting:" + meeting.id() + ":v" + meeting.version() + ":" + kind);
    }

    private int add(Handle h, Meeting meeting, Long reminderId, Chat chat, String kind, int part, Payload payload,
                    String key, Instant dueAt) {
        return h.attach(DeliveryDao.class).insertIfAbsent(meeting.id(), reminderId, chat.id(), kind, part,
                payload.toJson(), key, dueAt, clock.instant());
    }

    private static Payload text(OutgoingMessage.Text text) {
        return new Payload.Text(text.text(), text.buttons(), text.mentions());
    }

    private static Unit unit(Handle h, Meeting meeting) {
        return h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
    }

    private static List<Chat> activeChats(Handle h, Meeting meeting) {
        return h.attach(ChatDao.class).ofUnit(meeting.unitId()).stream().filter(Chat::active).toList();
    }
}
