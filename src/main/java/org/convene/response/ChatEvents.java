package org.convene.response;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.convene.chat.InboundHandler;
import org.convene.chat.OutgoingMessage;
import org.convene.delivery.ButtonIds;
import org.convene.delivery.Templates;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatService;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
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

    public ChatEvents(Jdbi jdbi, Clock clock, ChatService chats, ResponseService responses, Templates templates, ChatPlatforms platforms,
                      ButtonIds buttonIds) {
        this.buttonIds = buttonIds;
        this.jdbi = jdbi;
        this.clock = clock;
        this.chats = chats;
        this.responses = responses;
        this.templates = templates;
        this.platforms = platforms;
    }

    @Override
    public String handle(InboundEvent event) {
        return switch (event) {
            case InboundEvent.ButtonPressed press -> pressed(press);
            case InboundEvent.TextReceived text -> {
                said(text);
                yield null;
            }
            case InboundEvent.BotJoined joined -> {
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

    private String pressed(InboundEvent.ButtonPressed press) {
        Optional<ButtonIds.Parsed> button = buttonIds.parse(press.buttonId());
        Optional<Chat> chat = chats.find(press.platform(), press.chatId());
        if (button.isEmpty() || chat.isEmpty()) return null;
        Unit unit = unit(chat.get().unitId());
        String locale = unit.locale();
        Optional<Meeting> meeting = jdbi.withHandle(h -> new MeetingDao(h).find(button.get().meetingId()));
        if (meeting.isEmpty() || meeting.get().cancelled() || !meeting.get().startsAt().plusSeconds(meeting.get().durationMinutes() * 60L).isAfter(clock.instant())) {
            return templates.text(locale, "answer.meetingClosed");
        }
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(press.platform(), press.user().id()));
        if (person.isEmpty()) return templates.text(locale, "answer.unknown");
        try {
            responses.requireInvited(meeting.get(), person.get());
        } catch (RuntimeException e) {
            return templates.text(locale, "answer.notMember");
        }
        ButtonIds.Action action = button.get().action();
        Answer answer = switch (action) {
            case RECEIVED -> new Answer.Received();
            case COMING -> new Answer.Coming();
            case ABSENT -> new Answer.Absent(null, null);
            case SICK, WORK, TRAVEL, FAMILY, OTHER -> new Answer.Absent(action.reasonCode(), null);
        };
        responses.record(actor(press.platform(), press.user()), meeting.get().id(), person.get(), answer, Answer.Source.BUTTON);
        return templates.text(locale, switch (action) {
            case RECEIVED -> "answer.received";
            case COMING -> "answer.coming";
            case ABSENT -> "answer.absent";
            case SICK, WORK, TRAVEL, FAMILY, OTHER -> "answer.reason";
        });
    }

    private void said(InboundEvent.TextReceived text) {
        String body = text.text() == null ? "" : text.text().strip();
        if (!body.startsWith("/")) return; // the bot never answers small talk in a group
        String[] parts = body.split("\\s+", 2);
        String command = parts[0].toLowerCase(Locale.ROOT).replaceFirst("@.*$", "");
        String argument = parts.length > 1 ? parts[1].strip() : "";
        Optional<Chat> chat = chats.find(text.platform(), text.chatId());
        switch (command) {
            case "/link" -> link(text, argument);
            case "/iam" -> chat.ifPresent(c -> iam(text, c, argument));
            case "/next" -> chat.ifPresent(c -> next(text, c));
            case "/help", "/start" -> reply(text, chat.map(c -> unit(c.unitId()).locale()).orElse("vi"), "reply.help");
            case "/yes", "/no" -> chat.ifPresent(c -> rsvp(text, c, command.equals("/yes"), argument));
            default -> { /* not ours */ }
        }
    }

    private void link(InboundEvent.TextReceived text, String code) {
        Optional<Chat> bound = code.isEmpty() ? Optional.empty() : chats.bindByCode(code, text.platform(), text.chatId(), null);
        if (bound.isPresent()) {
            Unit unit = unit(bound.get().unitId());
            reply(text, unit.locale(), "reply.chatLinked", unit.name());
        } else {
            reply(text, "vi", "reply.codeInvalid");
        }
    }

    private void iam(InboundEvent.TextReceived text, Chat chat, String name) {
        Unit unit = unit(chat.unitId());
        if (name.isEmpty()) {
            reply(text, unit.locale(), "reply.help");
            return;
        }
        List<Member> matches = jdbi.withHandle(h -> new MemberDao(h).byName(unit.id(), name));
        if (matches.isEmpty()) {
            reply(text, unit.locale(), "reply.nameUnknown", name);
        } else if (matches.size() > 1) {
            reply(text, unit.locale(), "reply.nameAmbiguous", name);
        } else {
            Member member = matches.get(0);
            boolean linked = jdbi.inTransaction(h -> new MemberDao(h).link(member.id(), text.platform(), text.user().id(),
                    text.user().displayName(), clock.instant()));
            reply(text, unit.locale(), linked ? "reply.linked" : "reply.accountTaken", member.name());
        }
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

    private void rsvp(InboundEvent.TextReceived text, Chat chat, boolean yes, String reason) {
        Unit unit = unit(chat.unitId());
        Optional<Meeting> next = jdbi.withHandle(h -> new MeetingDao(h).next(unit.id(), clock.instant()));
        Optional<Long> person = jdbi.withHandle(h -> new MemberDao(h).identityOwner(text.platform(), text.user().id()));
        if (next.isEmpty()) {
            reply(text, unit.locale(), "reply.noNext");
            return;
        }
        if (person.isEmpty()) {
            reply(text, unit.locale(), "answer.unknown");
            return;
        }
        try {
            responses.requireInvited(next.get(), person.get());
        } catch (RuntimeException e) {
            reply(text, unit.locale(), "answer.notMember");
            return;
        }
        Answer answer = yes ? new Answer.Coming() : new Answer.Absent(reason.isEmpty() ? null : "other", reason.isEmpty() ? null : reason);
        responses.record(actor(text.platform(), text.user()), next.get().id(), person.get(), answer, Answer.Source.TEXT);
        // answered by a button-like notice only in private chats; in groups the tally shows it without a message
        if (text.privateChat()) reply(text, unit.locale(), yes ? "answer.coming" : "answer.absent");
    }

    private void reply(InboundEvent.TextReceived to, String locale, String key, String... args) {
        Optional<ChatPlatform> platform = platforms.get(to.platform());
        if (platform.isEmpty()) return;
        var outcome = platform.get().send(to.chatId(), new OutgoingMessage.Text(templates.text(locale, key, args)));
        log.debug("replied chat={} key={} outcome={}", to.chatId(), key, outcome);
    }

    private Unit unit(long id) {
        return jdbi.withExtension(UnitDao.class, d -> d.find(id)).orElseThrow();
    }

    private static String actor(String platform, ChatUser user) {
        return platform + ":" + user.id();
    }
}
