package org.convene.delivery;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.convene.chat.Button;
import org.convene.chat.OutgoingMessage;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;
import org.convene.meeting.Task;
import org.convene.meeting.Unit;

/** Turns meetings into chat messages in the unit's locale and zone. */
public final class MessageRenderer {
    private static final Map<String, DateTimeFormatter> DATES = Map.of(
            "vi", DateTimeFormatter.ofPattern("dd/MM/yyyy"),
            "en", DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Templates templates;
    private final ButtonIds buttons;
    private final org.convene.chat.ChatPlatforms platforms;
    private final DocumentLinks links;

    public MessageRenderer(Templates templates, ButtonIds buttons) {
        this(templates, buttons, new org.convene.chat.ChatPlatforms());
    }

    /** @param platforms the enabled platforms, whose capabilities decide between buttons and typed answers */
    public MessageRenderer(Templates templates, ButtonIds buttons, org.convene.chat.ChatPlatforms platforms) {
        this(templates, buttons, platforms, DocumentLinks.RELATIVE);
    }

    /** @param links where documents not posted as files are read (confidential ones, those a platform refuses) */
    public MessageRenderer(Templates templates, ButtonIds buttons, org.convene.chat.ChatPlatforms platforms, DocumentLinks links) {
        this.templates = templates;
        this.buttons = buttons;
        this.platforms = platforms;
        this.links = links;
    }

    public DocumentLinks links() {
        return links;
    }

    /**
     * Why chats of this platform cannot get this document as a file (naming the platform), or null when
     * they can. A confidential document is never a file anywhere, which is not a platform's limit: null.
     */
    public String documentRefusal(String platform, Material material) {
        if (material.confidential()) return null;
        return platforms.get(platform).map(p -> p.capabilities().refusal(p.name(), material.filename(), material.mediaType(),
                org.convene.meeting.MaterialTypes.label(material.mediaType()), material.size())).orElse(null);
    }

    /** A document added after the agenda went out: a short notice before the file (or its link). */
    public OutgoingMessage.Text documentAdded(Unit unit, Meeting meeting, Material material) {
        return new OutgoingMessage.Text(templates.text(unit.locale(), "document.added", meeting.title(), whenShort(unit, meeting),
                material.filename(), humanSize(material.size(), unit.locale())));
    }

    /** A posted document replaced by a new version: the notice before the new file (or its link). */
    public OutgoingMessage.Text documentReplaced(Unit unit, Meeting meeting, Material previous, Material current) {
        String key = previous.filename().equals(current.filename()) ? "document.replaced" : "document.replacedRenamed";
        return new OutgoingMessage.Text(templates.text(unit.locale(), key, meeting.title(), whenShort(unit, meeting), previous.filename(),
                String.valueOf(current.version()), current.filename(), humanSize(current.size(), unit.locale())));
    }

    /**
     * A document that goes as a link: a confidential one (read after signing in, at its viewer) or one the
     * platform will not take (downloaded at {@code url}, the meeting's materials page).
     */
    public OutgoingMessage.Text documentLink(Unit unit, Material material, String url) {
        String key = material.confidential() ? "document.confidentialLink" : "document.link";
        return new OutgoingMessage.Text(templates.text(unit.locale(), key, material.filename(), humanSize(material.size(), unit.locale()),
                material.confidential() ? links.of(material) : url));
    }

    /**
     * Asks those who acknowledged the papers before a document changed to read the new version and
     * acknowledge again: they are named and mentioned, and where there are buttons a Received button is under it.
     */
    public OutgoingMessage.Text askAgain(Unit unit, Meeting meeting, Material current, List<String> names,
                                         List<org.convene.chat.ChatUser> mentions, boolean withButtons) {
        String locale = unit.locale();
        String text = templates.text(locale, withButtons ? "document.askAgain" : "document.askAgainByText", String.join(", ", names),
                meeting.title(), current.filename(), String.valueOf(current.version()));
        List<List<Button>> rows = withButtons
                ? List.of(List.of(new Button(buttons.of(ButtonIds.Action.RECEIVED, meeting.id()), templates.text(locale, "button.received"))))
                : List.of();
        return new OutgoingMessage.Text(text, rows, mentions);
    }

    /** Names the members who have not opened a document and tells them how to get their own link to it. */
    public OutgoingMessage.Text remindToRead(Unit unit, Meeting meeting, Material current, List<String> names,
                                             List<org.convene.chat.ChatUser> mentions) {
        return new OutgoingMessage.Text(templates.text(unit.locale(), "document.remindToRead", String.join(", ", names), current.filename(),
                meeting.title(), whenShort(unit, meeting)), List.of(), mentions);
    }

    private static String whenShort(Unit unit, Meeting meeting) {
        ZonedDateTime start = meeting.localStart();
        return start.format(DATES.get(unit.locale())) + " " + start.format(TIME);
    }

    /** Whether messages to chats of this platform carry buttons; a platform not known here is taken to have them. */
    public boolean buttonsOn(String platform) {
        return platforms.get(platform).map(p -> p.capabilities().buttons()).orElse(true);
    }

    /** Whether this platform can edit a posted message (the live tally); a platform not known here is taken to. */
    public boolean editsOn(String platform) {
        return platforms.get(platform).map(p -> p.capabilities().edits()).orElse(true);
    }

    /**
     * Whether members must answer in words by replying to the bot's message on this platform: the bot does
     * not receive the group's other messages (Telegram's privacy mode). Unknown: it receives them all.
     */
    public boolean repliesOnlyOn(String platform) {
        return platforms.get(platform).map(p -> !p.capabilities().allGroupMessages()).orElse(false);
    }

    /** Whether this platform can post files; one that cannot gets the meeting's materials page link instead. Unknown: taken to. */
    public boolean documentsOn(String platform) {
        return platforms.get(platform).map(p -> p.capabilities().documents()).orElse(true);
    }

    /** Whether a platform without documents posts pictures from a public address (image materials then go that way). */
    public boolean photosOn(String platform) {
        return platforms.get(platform).map(p -> p.capabilities().photosByUrl()).orElse(false);
    }

    public ButtonIds buttonIds() {
        return buttons;
    }

    public Templates templates() {
        return templates;
    }

    /** The agenda with the three reply buttons. */
    public OutgoingMessage.Text agenda(Unit unit, Meeting meeting, List<Material> materials) {
        return agenda(unit, meeting, materials, List.of());
    }

    /** The agenda with the open tasks of earlier meetings carried forward. */
    public OutgoingMessage.Text agenda(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks) {
        return agenda(unit, meeting, materials, openTasks, true);
    }

    /** The agenda with its buttons, or, for a platform without buttons, asking for answers in words. */
    public OutgoingMessage.Text agenda(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks, boolean withButtons) {
        return agenda(unit, meeting, materials, openTasks, withButtons, null);
    }

    /**
     * The agenda; {@code materialsUrl}, when not null, is the meeting's materials page, shown under the list of
     * documents for a platform that cannot post them.
     */
    public OutgoingMessage.Text agenda(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks, boolean withButtons,
                                       String materialsUrl) {
        return agenda(unit, meeting, materials, openTasks, withButtons, materialsUrl, false);
    }

    /** The agenda; {@code replyHere} asks for answers in words as replies to it (the bot reads nothing else in the group). */
    public OutgoingMessage.Text agenda(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks, boolean withButtons,
                                       String materialsUrl, boolean replyHere) {
        String locale = unit.locale();
        Map<String, Object> ctx = context(unit, meeting, materials, null);
        putTasks(ctx, openTasks);
        ctx.put("buttons", withButtons);
        ctx.put("replyHere", replyHere);
        ctx.put("materialsUrl", materialsUrl);
        String text = templates.render(locale, "agenda", ctx);
        if (!withButtons) return new OutgoingMessage.Text(text);
        List<Button> row = List.of(
                new Button(buttons.of(ButtonIds.Action.RECEIVED, meeting.id()), templates.text(locale, "button.received")),
                new Button(buttons.of(ButtonIds.Action.COMING, meeting.id()), templates.text(locale, "button.coming")),
                new Button(buttons.of(ButtonIds.Action.ABSENT, meeting.id()), templates.text(locale, "button.absent")));
        return new OutgoingMessage.Text(text, List.of(row), List.of());
    }

    /**
     * A reminder that goes out during quiet hours, because its meeting starts inside them, says so first:
     * the bot is otherwise silent then.
     */
    public OutgoingMessage.Text inQuietHours(Unit unit, Meeting meeting, OutgoingMessage.Text message) {
        String note = templates.text(unit.locale(), "quiet.note",
                meeting.startsAt().atZone(java.time.ZoneId.of(meeting.zone())).format(TIME));
        return new OutgoingMessage.Text(note + "\n\n" + message.text(), message.buttons(), message.mentions());
    }

    /** The agenda again with the live tally under it, and its buttons: what an edit of the posted agenda shows. */
    public OutgoingMessage.Text agendaWithTally(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks, Tally tally) {
        return agendaWithTally(unit, meeting, materials, openTasks, tally, false);
    }

    /** The edited agenda keeps asking for replies where the bot reads only those. */
    public OutgoingMessage.Text agendaWithTally(Unit unit, Meeting meeting, List<Material> materials, List<Task> openTasks, Tally tally,
                                                boolean replyHere) {
        OutgoingMessage.Text agenda = agenda(unit, meeting, materials, openTasks, true, null, replyHere);
        String line = templates.text(unit.locale(), "tally.line", String.valueOf(tally.received()), String.valueOf(tally.invited()),
                String.valueOf(tally.yes()), String.valueOf(tally.no()));
        if (unit.showNames()) {
            if (!tally.coming().isEmpty()) line += "\n🙋 " + String.join(", ", tally.coming());
            if (!tally.absent().isEmpty()) line += "\n🚫 " + String.join(", ", tally.absent());
        }
        return new OutgoingMessage.Text(agenda.text() + "\n\n" + line, agenda.buttons(), List.of());
    }

    /** Counts shown on the posted agenda; the names only where the unit chose to show them. */
    public record Tally(int invited, int received, int yes, int no, List<String> coming, List<String> absent) {
        public Tally(int invited, int received, int yes, int no) {
            this(invited, received, yes, no, List.of(), List.of());
        }
    }

    /** Asks one member why they cannot come, with a button per coded reason. */
    public OutgoingMessage.Text reasonQuestion(Unit unit, Meeting meeting, org.convene.chat.ChatUser member) {
        return reasonQuestion(unit, meeting, member, true);
    }

    /** The reason question; without buttons it asks for the reason in words ("vắng vì …"), which the reply parser reads. */
    public OutgoingMessage.Text reasonQuestion(Unit unit, Meeting meeting, org.convene.chat.ChatUser member, boolean withButtons) {
        String locale = unit.locale();
        if (!withButtons) {
            return new OutgoingMessage.Text(templates.text(locale, "question.reasonByText", member.displayName()), List.of(), List.of(member));
        }
        String text = templates.text(locale, "question.reason", member.displayName());
        List<Button> first = List.of(reasonButton(locale, ButtonIds.Action.SICK, meeting), reasonButton(locale, ButtonIds.Action.WORK, meeting),
                reasonButton(locale, ButtonIds.Action.TRAVEL, meeting));
        List<Button> second = List.of(reasonButton(locale, ButtonIds.Action.FAMILY, meeting), reasonButton(locale, ButtonIds.Action.OTHER, meeting));
        return new OutgoingMessage.Text(text, List.of(first, second), List.of(member));
    }

    /** One message naming those who have not answered; each named member with an account is mentioned. */
    public OutgoingMessage.Text chase(Unit unit, Meeting meeting, List<String> names, List<org.convene.chat.ChatUser> mentions) {
        return chase(unit, meeting, names, mentions, true);
    }

    /** The chase; {@code withButtons} false for a platform where the agenda carries no buttons to point at. */
    public OutgoingMessage.Text chase(Unit unit, Meeting meeting, List<String> names, List<org.convene.chat.ChatUser> mentions,
                                      boolean withButtons) {
        return chase(unit, meeting, names, mentions, withButtons, false);
    }

    /** The chase; {@code replyHere} asks for answers in words as replies to it. */
    public OutgoingMessage.Text chase(Unit unit, Meeting meeting, List<String> names, List<org.convene.chat.ChatUser> mentions,
                                      boolean withButtons, boolean replyHere) {
        Map<String, Object> ctx = context(unit, meeting, List.of(), null);
        ctx.put("buttons", withButtons);
        ctx.put("replyHere", replyHere);
        ctx.put("names", String.join(", ", names));
        return new OutgoingMessage.Text(templates.render(unit.locale(), "chase", ctx), List.of(), mentions);
    }

    /** The skeleton of a meeting's minutes, from its agenda, for the secretary to fill in. */
    public String minutesDraft(Unit unit, Meeting meeting) {
        return templates.render(unit.locale(), "minutes", context(unit, meeting, List.of(), null));
    }

    public String text(Unit unit, String key, String... args) {
        return templates.text(unit.locale(), key, args);
    }

    private Button reasonButton(String locale, ButtonIds.Action action, Meeting meeting) {
        return new Button(buttons.of(action, meeting.id()), templates.text(locale, "button.reason." + action.reasonCode()));
    }

    public OutgoingMessage.Text reminder(Unit unit, Meeting meeting, Instant now) {
        return reminder(unit, meeting, now, List.of());
    }

    /** A short reminder; open tasks are listed with their assignees so each is reminded of theirs. */
    public OutgoingMessage.Text reminder(Unit unit, Meeting meeting, Instant now, List<Task> openTasks) {
        Map<String, Object> ctx = context(unit, meeting, List.of(), now);
        putTasks(ctx, openTasks);
        return new OutgoingMessage.Text(templates.render(unit.locale(), "reminder", ctx));
    }

    private void putTasks(Map<String, Object> ctx, List<Task> tasks) {
        DateTimeFormatter due = DateTimeFormatter.ofPattern("dd/MM");
        ctx.put("hasTasks", !tasks.isEmpty());
        ctx.put("tasks", tasks.stream().map(t -> {
            Map<String, Object> row = new HashMap<>();
            row.put("text", t.text());
            row.put("assignee", t.assigneeName());
            row.put("due", t.due() == null ? null : java.time.LocalDate.parse(t.due()).format(due));
            return row;
        }).toList());
    }

    public OutgoingMessage.Text changed(Unit unit, Meeting before, Meeting after) {
        Map<String, Object> ctx = context(unit, after, List.of(), null);
        ZonedDateTime was = before.localStart();
        ctx.put("previousDate", was.format(DATES.get(unit.locale())));
        ctx.put("previousTime", was.format(TIME));
        ctx.put("previousLocation", before.location());
        return new OutgoingMessage.Text(templates.render(unit.locale(), "changed", ctx));
    }

    public OutgoingMessage.Text cancelled(Unit unit, Meeting meeting) {
        Map<String, Object> ctx = context(unit, meeting, List.of(), null);
        ctx.put("reason", meeting.cancelReason());
        return new OutgoingMessage.Text(templates.render(unit.locale(), "cancelled", ctx));
    }

    public OutgoingMessage.Text reinstated(Unit unit, Meeting meeting) {
        return new OutgoingMessage.Text(templates.render(unit.locale(), "reinstated", context(unit, meeting, List.of(), null)));
    }

    Map<String, Object> context(Unit unit, Meeting meeting, List<Material> materials, Instant now) {
        String locale = unit.locale();
        ZonedDateTime start = meeting.localStart();
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("unitName", unit.name());
        // what this unit calls its members (đảng viên, đoàn viên, …), for the texts that address them
        String members = membersWord(locale, unit.memberWord());
        ctx.put("membersWord", members);
        ctx.put("MembersWord", members.isEmpty() ? members : Character.toUpperCase(members.charAt(0)) + members.substring(1));
        ctx.put("title", meeting.title());
        ctx.put("kind", meeting.kind().wire());
        ctx.put("theme", meeting.theme());
        ctx.put("weekday", weekday(start, locale));
        ctx.put("date", start.format(DATES.get(locale)));
        ctx.put("time", start.format(TIME));
        ctx.put("endTime", start.plusMinutes(meeting.durationMinutes()).format(TIME));
        ctx.put("location", meeting.location());
        List<Map<String, Object>> agenda = new ArrayList<>();
        for (int i = 0; i < meeting.agenda().size(); i++) {
            AgendaItem item = meeting.agenda().get(i);
            Map<String, Object> row = new HashMap<>();
            row.put("number", i + 1);
            row.put("title", item.title());
            row.put("presenter", item.presenter());
            row.put("minutes", item.minutes());
            agenda.add(row);
        }
        ctx.put("hasAgenda", !agenda.isEmpty());
        ctx.put("agenda", agenda);
        // a confidential document is listed with the address where it is read after signing in
        List<Map<String, Object>> docs = materials.stream().map(m -> {
            Map<String, Object> row = new HashMap<>();
            row.put("filename", m.filename());
            row.put("size", humanSize(m.size(), locale));
            row.put("confidential", m.confidential());
            row.put("link", m.confidential() ? links.of(m) : null);
            return row;
        }).toList();
        ctx.put("hasMaterials", !docs.isEmpty());
        ctx.put("materials", docs);
        if (now != null) {
            long minutes = Math.max(0, java.time.Duration.between(now, meeting.startsAt()).toMinutes());
            ctx.put("minutesUntil", minutes);
            ctx.put("hoursUntil", minutes / 60);
            ctx.put("daysUntil", minutes / (60 * 24));
        }
        return ctx;
    }

    /** An operator's copy of messages.properties made before issue 19 has no words.*: the message then goes without the word. */
    private String membersWord(String locale, String word) {
        try {
            return templates.text(locale, "words." + word);
        } catch (IllegalStateException missing) {
            return "";
        }
    }

    /** "Thứ Bảy" / "Saturday": CLDR's names, capitalised as Vietnamese writes them at the start of a line. */
    static String weekday(ZonedDateTime time, String locale) {
        String name = time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.forLanguageTag(locale));
        StringBuilder out = new StringBuilder();
        for (String word : name.split(" ")) {
            if (!out.isEmpty()) out.append(' ');
            out.append(word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return out.toString();
    }

    /**
     * A file size as people write it in that language: "2,5 MB" in Vietnamese, "2.5 MB" in English,
     * and "20 MB" rather than "20.0 MB". Pages and chat messages share it so that both say the same.
     */
    public static String humanSize(long bytes, String locale) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return Math.round(bytes / 1024.0) + " KB";
        long tenths = Math.round(bytes * 10 / (1024.0 * 1024.0));
        String whole = Long.toString(tenths / 10);
        return (tenths % 10 == 0 ? whole : whole + ("vi".equals(locale) ? "," : ".") + tenths % 10) + " MB";
    }
}
