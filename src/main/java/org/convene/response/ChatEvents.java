package org.convene.response;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.convene.chat.InboundHandler;
import org.convene.chat.Receipt;
import org.convene.chat.OutgoingMessage;
import org.convene.delivery.ButtonIds;
import org.convene.delivery.DeliveryDao;
import org.convene.delivery.Outbox;
import org.convene.delivery.Templates;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatService;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.convene.meeting.MemberService;
import org.convene.meeting.NameKey;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What members do in the chats: button presses become answers of the member who pressed, commands link
 * accounts and groups, and the bot's chat membership keeps the chat's state. Small talk is ignored.
 */
public final class ChatEvents implements InboundHandler {
    private static final Logger log = LoggerFactory.getLogger(ChatEvents.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final ChatService chats;
    private final ResponseService responses;
    private final Templates templates;
    private final ChatPlatforms platforms;
    private final ButtonIds buttonIds;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;
    private final FeedbackService feedback;
    private final LoginLinks loginLinks;

    private final MemberService members;
    private final CommandAttempts attempts;

    /**
     * One-time sign-in links for the web pages, for the account a {@code /login} came from: empty when the
     * account's identity gives no sign-in (the member linked it to themselves) or its member holds no role
     * that signs in.
     */
    public interface LoginLinks {
        Optional<String> forAccount(String platform, String userId);

        /** A member's personal link to the documents of their meetings (signed in on opening); empty where there is none. */
        default Optional<String> readerForAccount(String platform, String userId) {
            return Optional.empty();
        }
    }

    public ChatEvents(Jdbi jdbi, Clock clock, ChatService chats, ResponseService responses, Templates templates, ChatPlatforms platforms,
                      ButtonIds buttonIds, Outbox outbox, Runnable deliveriesAdded, FeedbackService feedback, LoginLinks loginLinks,
                      MemberService members) {
        this.members = members;
        this.attempts = new CommandAttempts(clock);
        this.feedback = feedback;
        this.loginLinks = loginLinks;
        this.buttonIds = buttonIds;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
        this.jdbi = jdbi;
        this.clock = clock;
        this.chats = chats;
        this.responses = responses;
        this.templates = templates;
        this.platforms = platforms;
    }

    @Override
    public String handle(InboundEvent event, Receipt receipt) {
        return switch (event) {
            case InboundEvent.ButtonPressed press -> pressed(press, receipt);
            case InboundEvent.TextReceived text -> {
                said(text, receipt);
                yield null;
            }
            case InboundEvent.BotJoined joined -> {
                // a released chat stays released until a link code binds it again
                chats.find(joined.platform(), joined.chatId()).ifPresent(c -> chats.setState(c.id(), Chat.ACTIVE));
                yield null;
            }
            case InboundEvent.BotLeft left -> {
                chats.find(left.platform(), left.chatId()).ifPresent(c -> chats.setState(c.id(), Chat.LEFT));
                yield null;
            }
            case InboundEvent.ChatMigrated moved -> {
                chats.find(moved.platform(), moved.chatId()).ifPresent(c -> chats.move(c.id(), moved.newChatId()));
                yield null;
            }
        };
    }

    /** What a press turned out to be: an answer to record, or a notice that says why it counts for nothing. */
    private record Press(Chat chat, String locale, Meeting meeting, long person, ButtonIds.Action action, String refusal) {
        static Press refused(String notice) {
            return new Press(null, null, null, 0, null, notice);
        }
    }

    private String pressed(InboundEvent.ButtonPressed press, Receipt receipt) {
        // every check reads on one connection (nested jdbi calls share it); the answer is written after it is handed back,
        // so that no connection is held while the writer thread commits
        Press p = jdbi.withHandle(h -> check(press));
        if (p == null) return null;
        if (p.refusal() != null) return p.refusal();
        ButtonIds.Action action = p.action();
        Answer answer = switch (action) {
            case RECEIVED -> new Answer.Received();
            case COMING -> new Answer.Coming();
            case ABSENT -> new Answer.Absent(null, null);
            case SICK, WORK, TRAVEL, FAMILY, OTHER -> new Answer.Absent(action.reasonCode(), null);
        };
        boolean fresh = responses.record(actor(press.platform(), press.user()), p.meeting(), p.person(), answer, Answer.Source.BUTTON, receipt);
        if (!fresh) {
            // the platform delivered this press again: the member may have answered otherwise since, and the stored answer is what counts
            return responses.answerOf(p.meeting().id(), p.person()).map(a -> templates.text(p.locale(),
                    "yes".equals(a.rsvp()) ? "answer.coming"
                    : "no".equals(a.rsvp()) ? (a.reasonCode() != null || a.reason() != null ? "answer.reason" : "answer.absent")
                    : "answer.received")).orElse(null);
        }
        if (action == ButtonIds.Action.ABSENT) askWhy(p.meeting(), p.chat(), p.person(), press.user());
        return templates.text(p.locale(), switch (action) {
            case RECEIVED -> "answer.received";
            case COMING -> "answer.coming";
            case ABSENT -> "answer.absent";
            case SICK, WORK, TRAVEL, FAMILY, OTHER -> "answer.reason";
        });
    }

    /** The chat a press came from, its unit's language, and the person whose account pressed (null: nobody's). */
    private record PressChat(Chat chat, String locale, Long person) {}

    /** The press's button, chat, meeting and member, checked; null for a press that is not ours at all. */
    private Press check(InboundEvent.ButtonPressed press) {
        Optional<ButtonIds.Parsed> button = buttonIds.parse(press.buttonId());
        if (button.isEmpty()) return null;
        // the chat, its unit's language and the person behind the account in one query
        Optional<PressChat> found = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.*, u.locale, (SELECT i.person_id FROM identities i WHERE i.platform = :platform AND i.user_id = :user) AS person_of_user
                        FROM chats c JOIN units u ON u.id = c.unit_id
                        WHERE c.platform = :platform AND c.platform_chat_id = :chatId AND c.state <> 'released'""")
                .bind("platform", press.platform()).bind("chatId", press.chatId()).bind("user", press.user().id())
                .map((rs, ctx) -> {
                    long owner = rs.getLong("person_of_user");
                    Long person = rs.wasNull() ? null : owner; // before any other column is read: wasNull speaks of the last
                    return new PressChat(Chat.ROW.map(rs, ctx), rs.getString("locale"), person);
                }).findOne());
        if (found.isEmpty()) return null;
        Optional<Chat> chat = Optional.of(found.get().chat());
        String locale = found.get().locale();
        Optional<Meeting> meeting = jdbi.withHandle(h -> new MeetingDao(h).findForAnswer(button.get().meetingId()));
        if (meeting.isEmpty() || meeting.get().cancelled() || !meeting.get().startsAt().plusSeconds(meeting.get().durationMinutes() * 60L).isAfter(clock.instant())) {
            return Press.refused(templates.text(locale, "answer.meetingClosed"));
        }
        Optional<Long> person = Optional.ofNullable(found.get().person());
        if (person.isEmpty()) return Press.refused(templates.text(locale, "answer.unknown"));
        try {
            responses.requireInvited(meeting.get(), person.get());
        } catch (RuntimeException e) {
            return Press.refused(templates.text(locale, "answer.notMember"));
        }
        return new Press(chat.get(), locale, meeting.get(), person.get(), button.get().action(), null);
    }

    /** "Can't come" asks that member why, once per meeting, in the chat where they answered (through the outbox, so a burst stays within the chat's limit). */
    private void askWhy(Meeting meeting, Chat chat, long personId, ChatUser user) {
        String name = jdbi.withHandle(h -> new MemberDao(h).find(chat.unitId(), personId).map(Member::name).orElse(user.displayName()));
        boolean added = jdbi.inTransaction(h -> outbox.reasonQuestion(h, meeting, chat, personId, new ChatUser(user.id(), name, user.username())) > 0);
        if (added) deliveriesAdded.run();
    }

    private void said(InboundEvent.TextReceived text, Receipt receipt) {
        String body = text.text() == null ? "" : text.text().strip();
        Optional<Chat> chatOfText = chats.find(text.platform(), text.chatId());
        if (chatOfText.isPresent() && text.replyToMessageId() != null && answeredQuestion(text, chatOfText.get(), receipt)) return;
        if (!body.startsWith("/") || body.startsWith("/yes") || body.startsWith("/no")) {
            chatOfText.ifPresent(c -> typedAnswer(text, c, body, receipt));
            return; // anything else is small talk: the bot never answers it in a group
        }
        String[] parts = body.split("\\s+", 2);
        String command = parts[0].toLowerCase(Locale.ROOT).replaceFirst("@.*$", "");
        String argument = parts.length > 1 ? parts[1].strip() : "";
        Optional<Chat> chat = chats.find(text.platform(), text.chatId());
        switch (command) {
            case "/link" -> guarded(text, "/link", () -> link(text, argument));
            case "/iam" -> guarded(text, "/iam", () -> iam(text, chat, argument));
            case "/next" -> chat.ifPresent(c -> next(text, c));
            case "/login" -> login(text);
            case "/docs", "/tailieu" -> personalLink(text);
            case "/help", "/start" -> reply(text, chat.map(c -> unit(c.unitId()).locale()).orElse("vi"), "reply.help");
            default -> { /* not ours */ }
        }
    }

    /**
     * {@code /login} in a private chat answers a secretary, deputy or supervisor with a one-time link to
     * the web pages; in a group it is ignored, so a link is never shown to others.
     */
    private void login(InboundEvent.TextReceived text) {
        if (!text.privateChat()) return;
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
        String locale = localeOf(person);
        Optional<String> url = person.flatMap(p -> loginLinks.forAccount(text.platform(), text.user().id()));
        if (url.isPresent()) reply(text, locale, "reply.loginLink", url.get());
        else reply(text, locale, "reply.loginRefused");
    }

    /**
     * {@code /docs} in a private chat (Telegram after the member started the bot, Zalo's OA within its
     * window, Zalo Bot's private chats): the member's own one-time link to their meetings' documents, where
     * each opening is recorded as theirs. In a group it is ignored, like {@code /login}.
     */
    private void personalLink(InboundEvent.TextReceived text) {
        if (!text.privateChat()) return;
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
        String locale = localeOf(person);
        Optional<String> url = person.flatMap(p -> loginLinks.readerForAccount(text.platform(), text.user().id()));
        if (url.isPresent()) reply(text, locale, "reply.readerLink", url.get());
        else reply(text, locale, person.isPresent() ? "reply.readerRefused" : "answer.unknown");
    }

    /** The language of the person's first unit (Vietnamese for someone unknown). */
    private String localeOf(Optional<Long> person) {
        return person.flatMap(p -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT u.locale FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.person_id = :p ORDER BY m.id")
                .bind("p", p).mapTo(String.class).findFirst())).orElse("vi");
    }

    /**
     * Runs a {@code /link} or {@code /iam} unless its chat or its account has used up its wrong attempts; the
     * command answers whether it succeeded. Past the limit the bot says nothing, so a guesser learns nothing.
     */
    private void guarded(InboundEvent.TextReceived text, String command, java.util.function.BooleanSupplier attempt) {
        String chatKey = text.platform() + ":chat:" + text.chatId();
        String accountKey = text.platform() + ":user:" + text.user().id();
        boolean chatBlocked = attempts.blocked(chatKey);
        if (chatBlocked || attempts.blocked(accountKey)) {
            if (attempts.firstIgnored(chatBlocked ? chatKey : accountKey)) {
                log.warn("ignoring {} after too many wrong attempts platform={} chat={} user={} (the {}: {} within {} min; logged once a burst)",
                        command, text.platform(), text.chatId(), text.user().id(), chatBlocked ? "chat" : "account",
                        CommandAttempts.LIMIT, CommandAttempts.WINDOW.toMinutes());
            }
            return;
        }
        if (!attempt.getAsBoolean()) {
            attempts.failed(chatKey);
            attempts.failed(accountKey);
        }
    }

    /** {@code /link CODE}; false for a wrong code (an attempt that counts against the limit). */
    private boolean link(InboundEvent.TextReceived text, String code) {
        ChatService.Binding binding = code.isEmpty() ? new ChatService.Binding.UnknownCode() : chats.bindByCode(code, text.platform(), text.chatId(), null);
        switch (binding) {
            case ChatService.Binding.Bound bound -> {
                Unit unit = unit(bound.chat().unitId());
                reply(text, unit.locale(), "reply.chatLinked", unit.name());
                return true;
            }
            case ChatService.Binding.BoundElsewhere elsewhere -> {
                Unit unit = unit(elsewhere.chat().unitId());
                reply(text, unit.locale(), "reply.chatBoundElsewhere", unit.name());
                return true;
            }
            case ChatService.Binding.UnknownCode unknown -> {
                reply(text, "vi", "reply.codeInvalid");
                return false;
            }
        }
    }

    /**
     * {@code /iam CODE} (a personal code, in any chat with the bot) or {@code /iam NAME} (in a unit's chat,
     * for members whose role does not sign in); false for an attempt that found nobody.
     */
    private boolean iam(InboundEvent.TextReceived text, Optional<Chat> chat, String argument) {
        String locale = chat.map(c -> unit(c.unitId()).locale()).orElse("vi");
        if (argument.isEmpty()) {
            reply(text, locale, "reply.help");
            return true;
        }
        MemberService.Linking result = new MemberService.Linking.Unknown();
        if (MemberService.looksLikeCode(argument)) {
            result = members.linkByCode(argument, text.platform(), text.user().id(), text.user().displayName());
        }
        if (result instanceof MemberService.Linking.Unknown && chat.isPresent()) {
            result = members.linkByName(chat.get().unitId(), argument, text.platform(), text.user().id(), text.user().displayName());
        }
        // what the unit calls its members (đảng viên, đoàn viên…), for the texts that name them
        String word = templates.text(locale, "word." + chat.map(c -> unit(c.unitId()).memberWord()).orElse("member"));
        switch (result) {
            case MemberService.Linking.Linked l -> reply(text, unit(l.member().unitId()).locale(), "reply.linked", l.member().name());
            case MemberService.Linking.Taken t -> reply(text, locale, "reply.accountTaken", t.member().name(), word);
            case MemberService.Linking.NeedsCode n -> reply(text, locale, "reply.iamNeedsCode", n.member().name());
            case MemberService.Linking.Ambiguous a -> reply(text, locale, "reply.nameAmbiguous", argument, word);
            case MemberService.Linking.Unknown u -> {
                if (chat.isPresent() || MemberService.looksLikeCode(argument)) reply(text, locale, "reply.nameUnknown", argument, word);
                return false;
            }
        }
        return true;
    }

    private void next(InboundEvent.TextReceived text, Chat chat) {
        Unit unit = unit(chat.unitId());
        Optional<Meeting> next = jdbi.withHandle(h -> new MeetingDao(h).next(unit.id(), clock.instant()));
        if (next.isEmpty()) {
            reply(text, unit.locale(), "reply.noNext");
            return;
        }
        var start = next.get().localStart();
        reply(text, unit.locale(), "reply.next", next.get().title(),
                start.format(DateTimeFormatter.ofPattern("dd/MM/yyyy")), start.format(DateTimeFormatter.ofPattern("HH:mm")));
    }

    /**
     * A typed answer ("có", "vắng vì ốm", "/no đi công tác"): for the meeting whose message it replies
     * to, else the unit's next meeting. Unlinked accounts and small talk are ignored without a word.
     */
    private void typedAnswer(InboundEvent.TextReceived text, Chat chat, String body, Receipt receipt) {
        Optional<Answer> answer = ReplyParser.parse(body.replaceFirst("^/(yes|no)@\\S+", "/$1"));
        if (answer.isEmpty()) return;
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
        if (person.isEmpty()) return;
        Optional<Meeting> meeting = repliedMeeting(text, chat).or(() -> jdbi.withHandle(h -> new MeetingDao(h).next(chat.unitId(), clock.instant())));
        if (meeting.isEmpty() || meeting.get().cancelled()) return;
        try {
            responses.requireInvited(meeting.get(), person.get());
        } catch (RuntimeException e) {
            return;
        }
        if (!responses.record(actor(text.platform(), text.user()), meeting.get(), person.get(), answer.get(), Answer.Source.TEXT, receipt)) return;
        if (answer.get() instanceof Answer.Absent absent && absent.reason() == null) askWhy(meeting.get(), chat, person.get(), text.user());
        // in a group a reaction on the member's message where the platform has one (and the tally edit), never a message to all;
        // a private chat gets a word back
        if (!text.privateChat()) platforms.get(text.platform()).ifPresent(p -> p.acknowledge(text));
        if (text.privateChat()) {
            reply(text, unit(chat.unitId()).locale(), switch (answer.get()) {
                case Answer.Received r -> "answer.received";
                case Answer.Coming c -> "answer.coming";
                case Answer.Absent a -> "answer.absent";
            });
        }
    }

    /** The meeting of the bot message a text replies to, if it replies to one. */
    private Optional<Meeting> repliedMeeting(InboundEvent.TextReceived text, Chat chat) {
        if (text.replyToMessageId() == null) return Optional.empty();
        return jdbi.withExtension(DeliveryDao.class, d -> d.byPlatformMessage(chat.id(), text.replyToMessageId()))
                .flatMap(d -> jdbi.withHandle(h -> new MeetingDao(h).find(d.meetingId())));
    }

    /**
     * A reply to one of the bot's questions: the reason question (from the member it asked, the text is
     * the reason) or a pilot meeting's feedback question (from an observer, the text is their feedback).
     */
    private boolean answeredQuestion(InboundEvent.TextReceived text, Chat chat, Receipt receipt) {
        Optional<org.convene.delivery.Delivery> asked = jdbi.withExtension(DeliveryDao.class, d -> d.byPlatformMessage(chat.id(), text.replyToMessageId()));
        if (asked.isPresent() && "feedback-question".equals(asked.get().kind())) {
            Optional<Long> observer = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
            Optional<Meeting> pilot = jdbi.withHandle(h -> new MeetingDao(h).find(asked.get().meetingId()));
            if (observer.isPresent() && pilot.isPresent() && feedback.give(actor(text.platform(), text.user()), pilot.get(), observer.get(), text.text())
                    && text.privateChat()) {
                reply(text, unit(chat.unitId()).locale(), "answer.feedback");
            }
            return true;
        }
        Optional<org.convene.delivery.Delivery> question = asked.filter(d -> "question".equals(d.kind()));
        if (question.isEmpty()) return false;
        Optional<Long> askedWhom = Outbox.questionPerson(question.get());
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
        if (askedWhom.isEmpty() || person.isEmpty() || !askedWhom.get().equals(person.get())) return true; // someone else's question: ignore
        Answer.Absent reason = ReplyParser.parse(text.text()).filter(Answer.Absent.class::isInstance).map(Answer.Absent.class::cast)
                .filter(a -> a.reason() != null).orElseGet(() -> ReplyParser.reason(text.text()));
        if (responses.record(actor(text.platform(), text.user()), question.get().meetingId(), person.get(), reason, Answer.Source.TEXT, receipt)
                && !text.privateChat()) {
            platforms.get(text.platform()).ifPresent(p -> p.acknowledge(text));
        }
        return true;
    }

    private void reply(InboundEvent.TextReceived to, String locale, String key, String... args) {
        Optional<ChatPlatform> platform = platforms.get(to.platform());
        if (platform.isEmpty()) return;
        var outcome = platform.get().send(to.chatId(), new OutgoingMessage.Text(templates.text(locale, key, args)));
        log.debug("replied chat={} key={} outcome={}", to.chatId(), key, outcome);
    }

    /** A plain query: a unit is read for every tap, and attaching UnitDao cost more than the query. */
    private Unit unit(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM units WHERE id = :id").bind("id", id).map(UNIT).one());
    }

    private static final org.jdbi.v3.core.mapper.RowMapper<Unit> UNIT = org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(Unit.class);

    private static String actor(String platform, ChatUser user) {
        return platform + ":" + user.id();
    }
}
