package org.convene.meeting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Group chats bound to units: registered by the secretary, or bound from the chat with {@code /link CODE}. */
public final class ChatService {
    private static final String CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final Duration CODE_VALIDITY = Duration.ofHours(24);

    private final int maxChats;
    private final Jdbi jdbi;
    private final Clock clock;
    private final RandomGenerator random;
    private final Set<String> platforms;

    /** Without a quota on chats: for tools and tests that build the service by hand. */
    public ChatService(Jdbi jdbi, Clock clock, RandomGenerator random, Set<String> platforms) {
        this(jdbi, clock, random, platforms, Integer.MAX_VALUE);
    }

    /** @param maxChats chats one unit may have bound (the operator's {@code limits.chats}) */
    public ChatService(Jdbi jdbi, Clock clock, RandomGenerator random, Set<String> platforms, int maxChats) {
        this.maxChats = maxChats;
        this.jdbi = jdbi;
        this.clock = clock;
        this.random = random;
        this.platforms = Set.copyOf(platforms);
    }

    public Chat add(String actor, long unitId, Requests.NewChat request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.platform() == null || !platforms.contains(request.platform())) {
            errors.add(new FieldError("platform", "must be one of the enabled platforms " + platforms));
        }
        String chatId = request.chatId() == null ? "" : request.chatId().strip();
        if (chatId.isEmpty()) errors.add(new FieldError("chatId", "is required"));
        if (chatId.length() > 64) errors.add(new FieldError("chatId", "is longer than 64 characters"));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return jdbi.inTransaction(h -> {
            MemberService.requireUnit(h, unitId);
            ChatDao chats = h.attach(ChatDao.class);
            if (chats.find(request.platform(), chatId).isPresent()) {
                throw new ConveneException.Conflict("chat " + request.platform() + ":" + chatId + " is already bound to a unit");
            }
            requireChatQuota(h, unitId);
            long id = chats.insert(unitId, request.platform(), chatId, request.title(), clock.instant());
            AuditLog.record(h, clock.instant(), actor, "chat.added", "chat", id, request.platform() + ":" + chatId);
            return chats.find(id).orElseThrow();
        });
    }

    /** 422 once the unit has {@code maxChats} chats that are not gone (left or migrated away). */
    private void requireChatQuota(org.jdbi.v3.core.Handle h, long unitId) {
        int bound = h.createQuery("SELECT COUNT(*) FROM chats WHERE unit_id = :unit AND state = 'active'")
                .bind("unit", unitId).mapTo(Integer.class).one();
        if (bound >= maxChats) {
            throw new ConveneException.Invalid("chatId", "unit " + unitId + " has " + bound + " chats, the limit (limits.chats = " + maxChats + ")");
        }
    }

    public List<Chat> ofUnit(long unitId) {
        return jdbi.withHandle(h -> {
            MemberService.requireUnit(h, unitId);
            return h.attach(ChatDao.class).ofUnit(unitId);
        });
    }

    public record LinkCode(String code, Instant expiresAt) {}

    public LinkCode newLinkCode(String actor, long unitId) {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 8; i++) code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        Instant now = clock.instant();
        Instant expires = now.plus(CODE_VALIDITY);
        jdbi.useTransaction(h -> {
            MemberService.requireUnit(h, unitId);
            // a code would bind one more chat: refused already when the unit has all it may have
            requireChatQuota(h, unitId);
            h.createUpdate("INSERT INTO link_codes (code, unit_id, expires_at, created_at) VALUES (:code, :unit, :exp, :now)")
                    .bind("code", code.toString()).bind("unit", unitId).bind("exp", expires).bind("now", now).execute();
            AuditLog.record(h, now, actor, "link-code.created", "unit", unitId, null);
        });
        return new LinkCode(code.toString(), expires);
    }

    /** What a {@code /link CODE} came to. */
    public sealed interface Binding {
        record Bound(Chat chat) implements Binding {}
        /** The code is unknown, used or expired. */
        record UnknownCode() implements Binding {}
        /** The chat belongs to another unit; its secretary must release it first. The code stays usable. */
        record BoundElsewhere(Chat chat, long unitOfCode) implements Binding {}
    }

    /**
     * Binds the chat a {@code /link CODE} came from to the code's unit. A chat bound to another unit never
     * moves: anyone in a group could otherwise carry it, with its members' answers, to a unit of their
     * choosing. Its unit releases it first ({@link #release}).
     */
    public Binding bindByCode(String code, String platform, String platformChatId, String title) {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            Optional<Long> unit = h.createQuery("SELECT unit_id FROM link_codes WHERE code = :code AND used_at IS NULL AND expires_at > :now")
                    .bind("code", code.strip().toUpperCase()).bind("now", now).mapTo(Long.class).findOne();
            if (unit.isEmpty()) return (Binding) new Binding.UnknownCode();
            ChatDao chats = h.attach(ChatDao.class);
            Optional<Chat> existing = chats.find(platform, platformChatId);
            if (existing.isPresent() && existing.get().unitId() != unit.get() && !Chat.RELEASED.equals(existing.get().state())) {
                AuditLog.record(h, now, "chat:" + platform + ":" + platformChatId, "chat.link-refused", "chat", existing.get().id(),
                        "bound to unit " + existing.get().unitId() + ", code of unit " + unit.get());
                return new Binding.BoundElsewhere(existing.get(), unit.get());
            }
            long chatId = existing
                    .map(found -> {
                        chats.rebind(found.id(), unit.get(), title);
                        return found.id();
                    })
                    .orElseGet(() -> chats.insert(unit.get(), platform, platformChatId, title, now));
            h.createUpdate("UPDATE link_codes SET used_at = :now, chat_id = :chat WHERE code = :code")
                    .bind("now", now).bind("chat", chatId).bind("code", code.strip().toUpperCase()).execute();
            AuditLog.record(h, now, "chat:" + platform + ":" + platformChatId, "chat.linked", "chat", chatId, "unit " + unit.get());
            return new Binding.Bound(chats.find(chatId).orElseThrow());
        });
    }

    /** The unit lets one of its chats go: nothing more is posted there, and a link code of another unit may take it. */
    public Chat release(Caller caller, long unitId, long chatId) {
        return jdbi.inTransaction(h -> {
            MemberService.requireUnit(h, unitId);
            caller.requireReach(unitId, "chat");
            ChatDao chats = h.attach(ChatDao.class);
            Chat chat = chats.find(chatId).filter(c -> c.unitId() == unitId)
                    .orElseThrow(() -> new ConveneException.NotFound("chat", chatId));
            if (Chat.RELEASED.equals(chat.state())) return chat;
            chats.setState(chatId, Chat.RELEASED);
            AuditLog.record(h, clock.instant(), caller.actor(), "chat.released", "chat", chatId, "unit " + unitId);
            return chats.find(chatId).orElseThrow();
        });
    }

    /**
     * The chat bound to a unit that a message came from; a released chat belongs to no unit. A plain query:
     * every tap and every message in a group looks its chat up, and attaching ChatDao cost more than the query.
     */
    public Optional<Chat> find(String platform, String platformChatId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chats WHERE platform = :platform AND platform_chat_id = :chatId AND state <> 'released'")
                .bind("platform", platform).bind("chatId", platformChatId).map(Chat.ROW).findOne());
    }

    public void setState(long chatId, String state) {
        jdbi.useTransaction(h -> {
            h.attach(ChatDao.class).setState(chatId, state);
            AuditLog.record(h, clock.instant(), "system", "chat.state", "chat", chatId, state);
        });
    }

    public void move(long chatId, String newPlatformChatId) {
        jdbi.useTransaction(h -> {
            h.attach(ChatDao.class).move(chatId, newPlatformChatId);
            AuditLog.record(h, clock.instant(), "system", "chat.moved", "chat", chatId, newPlatformChatId);
        });
    }
}
