package org.convene.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.convene.chat.OutgoingMessage;
import org.convene.meeting.Chat;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialsPageService;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Writes deliveries inside the caller's transaction, one per chat and part, each under an idempotency
 * key, so writing the same thing twice adds nothing.
 */
public final class Outbox {
    /** Telegram allows about 20 edits a minute in a group; one tally edit per 5 s leaves room for the rest. */
    public static final java.time.Duration TALLY_INTERVAL = java.time.Duration.ofSeconds(5);

    private final MessageRenderer renderer;
    private final Clock clock;
    private final LiveContent live;
    private final MaterialsPageService materialsPages;
    private final java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours;

    /** Without materials pages: every platform is taken to post documents itself. */
    public Outbox(MessageRenderer renderer, Clock clock, LiveContent live) {
        this(renderer, clock, live, null, (at, zone) -> false);
    }

    /**
     * @param materialsPages the meetings' materials pages, linked from the agenda of a platform that cannot post documents
     * @param quietHours     whether an instant is in quiet hours in a zone: a reminder due then (its meeting starts in them) says why it comes
     */
    public Outbox(MessageRenderer renderer, Clock clock, LiveContent live, MaterialsPageService materialsPages,
                  java.util.function.BiPredicate<Instant, java.time.ZoneId> quietHours) {
        this.renderer = renderer;
        this.clock = clock;
        this.live = live;
        this.materialsPages = materialsPages;
        this.quietHours = quietHours;
    }

    private OutgoingMessage.Text noted(Unit unit, Meeting meeting, Instant dueAt, OutgoingMessage.Text text) {
        return quietHours.test(dueAt, java.time.ZoneId.of(meeting.zone())) ? renderer.inQuietHours(unit, meeting, text) : text;
    }

    public MessageRenderer renderer() {
        return renderer;
    }

    /**
     * The agenda with its buttons, then each non-confidential document, to every active chat of the unit. A
     * platform that cannot post documents gets no document deliveries: its agenda carries the link to the
     * meeting's materials page instead, where the same documents can be downloaded.
     */
    public int agenda(Handle h, Meeting meeting, long reminderId, Instant dueAt) {
        Unit unit = unit(h, meeting);
        List<Material> materials = h.createQuery(Material.CURRENT_OF_MEETING)
                .bind("meetingId", meeting.id()).map(MATERIAL).list();
        List<Material> posted = materials.stream().filter(m -> !m.confidential()).toList();
        List<org.convene.meeting.Task> tasks = new org.convene.meeting.TaskDao(h).openBefore(meeting);
        // rendered once per kind of platform, not per chat: a wave renders for thousands of chats
        java.util.Map<String, OutgoingMessage.Text> rendered = new java.util.HashMap<>();
        String link = null;
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            String key = "reminder:" + reminderId + ":chat:" + chat.id() + ":part:";
            boolean buttons = renderer.buttonsOn(chat.platform());
            boolean replyHere = renderer.repliesOnlyOn(chat.platform());
            boolean documents = materialsPages == null || renderer.documentsOn(chat.platform());
            if (!documents && !posted.isEmpty() && link == null) link = materialsPages.link(h, meeting.id()).url();
            String withLink = documents || posted.isEmpty() ? null : link;
            OutgoingMessage.Text text = rendered.computeIfAbsent(buttons + ":" + replyHere + ":" + (withLink != null),
                    kind -> noted(unit, meeting, dueAt, renderer.agenda(unit, meeting, materials, tasks, buttons, withLink, replyHere)));
            added += add(h, meeting, reminderId, chat, "agenda", 0, text(text), key + 0, dueAt);
            // without documents, pictures still go where the platform fetches them from a public address (the page's)
            boolean photosOnly = !documents && renderer.photosOn(chat.platform());
            if (!documents && !photosOnly) continue;
            for (int i = 0; i < posted.size(); i++) {
                if (photosOnly && !MaterialsPageService.PHOTO_TYPES.contains(posted.get(i).mediaType())) continue;
                // a platform that posts pictures by address only gets them as they are; the rest go as the platform allows
                Payload part = photosOnly ? new Payload.Document(posted.get(i).id(), null) : documentPart(h, unit, chat, posted.get(i));
                added += add(h, meeting, reminderId, chat, "document", i + 1, part, key + (i + 1), dueAt);
            }
        }
        return added;
    }

    /**
     * A document as one chat gets it: the file, or, where the platform will not take it (its size or
     * type) or it is confidential, a text with the address where it is read.
     */
    private Payload documentPart(Handle h, Unit unit, Chat chat, Material material) {
        if (material.confidential() || renderer.documentRefusal(chat.platform(), material) != null) {
            return text(renderer.documentLink(unit, material, downloadUrl(h, material)));
        }
        return new Payload.Document(material.id(), null);
    }

    /** Where a document a platform refuses is downloaded: its place on the meeting's materials page (no sign-in). */
    private String downloadUrl(Handle h, Material material) {
        if (material.confidential()) return renderer.links().of(material);
        return materialsPages == null ? renderer.links().of(material) : materialsPages.link(h, material.meetingId()).url() + "/" + material.id();
    }

    /** Whether the meeting's agenda went out already (its deliveries were written): later documents go on their own. */
    public static boolean agendaWentOut(Handle h, Meeting meeting) {
        return h.createQuery("SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND kind = 'agenda'").bind("m", meeting.id())
                .mapTo(Integer.class).one() > 0;
    }

    /** A document attached after the agenda went out: a short notice, then the document, to every chat that got the agenda. */
    public int documentAdded(Handle h, Meeting meeting, Material material) {
        Unit unit = unit(h, meeting);
        return document(h, meeting, unit, material, renderer.documentAdded(unit, meeting, material));
    }

    /** A new version of a posted document: the notice of the change, then the new version, to every chat that got the agenda. */
    public int documentReplaced(Handle h, Meeting meeting, Material previous, Material current) {
        Unit unit = unit(h, meeting);
        return document(h, meeting, unit, current, renderer.documentReplaced(unit, meeting, previous, current));
    }

    /** Keyed by the version: each version is posted once, however often the attach or replace is retried. */
    private int document(Handle h, Meeting meeting, Unit unit, Material material, OutgoingMessage.Text notice) {
        Instant now = clock.instant();
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            String key = "material:" + material.id() + ":chat:" + chat.id() + ":part:";
            // a confidential document is its link, which the notice can carry in one message
            if (material.confidential()) {
                OutgoingMessage.Text link = renderer.documentLink(unit, material, renderer.links().of(material));
                added += add(h, meeting, null, chat, "document", 0, text(new OutgoingMessage.Text(notice.text() + "\n" + link.text())), key + 0, now);
                continue;
            }
            added += add(h, meeting, null, chat, "notice", 0, text(notice), key + 0, now);
            added += add(h, meeting, null, chat, "document", 1, documentPart(h, unit, chat, material), key + 1, now);
        }
        return added;
    }

    /**
     * Asks again, in each of the host unit's chats, the members who acknowledged the papers before
     * {@code current} replaced an older version: {@code message} makes the text for a chat's platform
     * (mentions are platform accounts), or nothing when no one is to be asked.
     */
    public int askAgain(Handle h, Meeting meeting, Material current,
                        java.util.function.Function<String, java.util.Optional<OutgoingMessage.Text>> message) {
        int added = 0;
        for (Chat chat : hostChats(h, meeting)) {
            var text = message.apply(chat.platform());
            if (text.isEmpty()) continue;
            added += add(h, meeting, null, chat, "ask-again", 0, text(text.get()), "ask-again:" + current.id() + ":chat:" + chat.id(), clock.instant());
        }
        return added;
    }

    public int reminder(Handle h, Meeting meeting, long reminderId, Instant dueAt) {
        Unit unit = unit(h, meeting);
        OutgoingMessage.Text text = noted(unit, meeting, dueAt, renderer.reminder(unit, meeting, dueAt, new org.convene.meeting.TaskDao(h).openBefore(meeting)));
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            added += add(h, meeting, reminderId, chat, "reminder", 0, text(text),
                    "reminder:" + reminderId + ":chat:" + chat.id() + ":part:0", dueAt);
        }
        return added;
    }

    /**
     * Asks for a tally edit of the posted agenda in every chat where it went out, at most once per
     * {@link #TALLY_INTERVAL} per message: while an edit is queued, more answers change nothing here,
     * since the edit's text is made when it is sent.
     */
    public int tally(Handle h, Meeting meeting) {
        Instant now = clock.instant();
        int added = 0;
        for (Chat chat : activeChats(h, meeting)) {
            // a platform that cannot edit (Zalo) gets no tally: the secretary sees the answers in the API and the web pages
            if (!renderer.editsOn(chat.platform())) continue;
            // one query per chat, not four: this runs for every answer, on the one writer thread
            TallyState state = h.createQuery(TALLY_STATE).bind("m", meeting.id()).bind("c", chat.id()).bind("now", now)
                    .map((rs, ctx) -> new TallyState(rs.getString(1), rs.getInt(2),
                            rs.getObject(3) == null ? null : Instant.ofEpochMilli(rs.getLong(3)))).one();
            if (state.agendaMessageId() == null || state.queued() > 0) continue;
            Instant notBefore = java.util.Optional.ofNullable(state.lastSent()).map(last -> last.plus(TALLY_INTERVAL))
                    .filter(t -> t.isAfter(now)).orElse(now);
            added += h.createUpdate(DeliveryDao.INSERT_NOT_BEFORE).bind("meetingId", meeting.id()).bind("chatId", chat.id())
                    .bind("kind", "tally").bind("payload", new Payload.Tally(meeting.id(), state.agendaMessageId()).toJson())
                    // keyed by its own time: each edit is at least TALLY_INTERVAL after the one before
                    .bind("key", "tally:" + meeting.id() + ":chat:" + chat.id() + ":" + notBefore.toEpochMilli())
                    .bind("notBefore", notBefore).bind("now", now).execute();
        }
        return added;
    }

    /** The posted agenda's message id (null before it is sent), tally edits queued, and when the last one went out (sending counts as now). */
    private record TallyState(String agendaMessageId, int queued, Instant lastSent) {}

    // each subquery one lookup in deliveries(meeting_id, kind, chat_id, state, sent_at), whatever the meeting's other deliveries
    private static final String TALLY_STATE = """
            SELECT (SELECT platform_message_id FROM deliveries WHERE meeting_id = :m AND kind = 'agenda' AND chat_id = :c AND state = 'sent'
                    ORDER BY id DESC LIMIT 1),
                   (SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND kind = 'tally' AND chat_id = :c AND state = 'queued'),
                   COALESCE((SELECT :now FROM deliveries WHERE meeting_id = :m AND kind = 'tally' AND chat_id = :c AND state = 'sending' LIMIT 1),
                            (SELECT MAX(sent_at) FROM deliveries WHERE meeting_id = :m AND kind = 'tally' AND chat_id = :c AND state = 'sent'))""";

    /** Asks one member, in the chat they answered in, why they cannot come; once per meeting and member. */
    public int reasonQuestion(Handle h, Meeting meeting, Chat chat, long personId, org.convene.chat.ChatUser member) {
        OutgoingMessage.Text question = renderer.reasonQuestion(unit(h, meeting), meeting, member, renderer.buttonsOn(chat.platform()));
        return add(h, meeting, null, chat, "question", 0, text(question),
                "question:" + meeting.id() + ":person:" + personId + ":chat:" + chat.id(), clock.instant());
    }

    /** The person a reason question was for, read back from its idempotency key. */
    public static java.util.Optional<Long> questionPerson(Delivery delivery) {
        if (!"question".equals(delivery.kind())) return java.util.Optional.empty();
        String[] parts = delivery.idempotencyKey().split(":");
        return parts.length >= 4 && parts[2].equals("person") ? java.util.Optional.of(Long.parseLong(parts[3])) : java.util.Optional.empty();
    }

    /** The chase of those who have not answered, per chat; nothing when everyone has. */
    public int chase(Handle h, Meeting meeting, Long reminderId, String keyPrefix) {
        int added = 0;
        for (Chat chat : hostChats(h, meeting)) {
            var chase = live.chase(meeting.id(), chat.platform());
            if (chase.isEmpty()) continue;
            added += add(h, meeting, reminderId, chat, "chase", 0, text(chase.get()), keyPrefix + ":chat:" + chat.id(), clock.instant());
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

    public int reinstated(Handle h, Meeting meeting) {
        return notice(h, meeting, "reinstated", renderer.reinstated(unit(h, meeting), meeting));
    }

    /** A text to the observer units' chats only (a pilot meeting's guests), under a caller-chosen key. */
    public int toObservers(Handle h, Meeting meeting, String kind, OutgoingMessage.Text message, String keyPrefix) {
        int added = 0;
        for (long observer : meeting.observerUnitIds()) {
            for (Chat chat : chatsOf(h, observer)) {
                added += add(h, meeting, null, chat, kind, 0, text(message), keyPrefix + ":chat:" + chat.id(), clock.instant());
            }
        }
        return added;
    }

    /** A text made for each chat's platform (mentions are platform accounts) under a caller-chosen key. */
    public int textPerPlatform(Handle h, Meeting meeting, String kind, java.util.function.Function<String, OutgoingMessage.Text> message,
                               String keyPrefix) {
        int added = 0;
        for (Chat chat : hostChats(h, meeting)) {
            added += add(h, meeting, null, chat, kind, 0, text(message.apply(chat.platform())), keyPrefix + ":chat:" + chat.id(), clock.instant());
        }
        return added;
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
        // a plain statement, not h.attach(DeliveryDao.class): attaching builds a handler for each of the
        // DAO's methods, which cost more than the insert itself when a wave adds thousands of rows
        return h.createUpdate(DeliveryDao.INSERT_IF_ABSENT).bind("meetingId", meeting.id()).bind("reminderId", reminderId)
                .bind("chatId", chat.id()).bind("kind", kind).bind("part", part).bind("payload", payload.toJson()).bind("key", key)
                .bind("dueAt", dueAt).bind("now", clock.instant()).execute();
    }

    private static Payload text(OutgoingMessage.Text text) {
        return new Payload.Text(text.text(), text.buttons(), text.mentions());
    }

    // Plain queries with mappers made once, not h.attach(UnitDao.class) and the like: a wave
    // fires thousands of reminders, and attaching a DAO costs more than its query.
    private static final RowMapper<Unit> UNIT = ConstructorMapper.of(Unit.class);
    private static final RowMapper<Material> MATERIAL = ConstructorMapper.of(Material.class);

    private static Unit unit(Handle h, Meeting meeting) {
        return h.createQuery("SELECT * FROM units WHERE id = :id").bind("id", meeting.unitId()).map(UNIT).one();
    }

    private static List<Chat> chatsOf(Handle h, long unitId) {
        return h.createQuery("SELECT * FROM chats WHERE unit_id = :unitId ORDER BY id").bind("unitId", unitId).map(Chat.ROW).stream()
                .filter(Chat::active).toList();
    }

    /** The meeting's own unit's chats, then those of its observer units (a pilot meeting's guests get the same messages). */
    private static List<Chat> activeChats(Handle h, Meeting meeting) {
        List<Chat> chats = new java.util.ArrayList<>(chatsOf(h, meeting.unitId()));
        for (long observer : meeting.observerUnitIds()) chats.addAll(chatsOf(h, observer));
        return chats;
    }

    /** Only the meeting's own unit's chats: chases and the secretary's follow-ups are the host's business. */
    private static List<Chat> hostChats(Handle h, Meeting meeting) {
        return chatsOf(h, meeting.unitId());
    }
}
