package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.convene.delivery.Delivery;
import org.convene.meeting.Chat;
import org.convene.meeting.DocumentReading;
import org.convene.meeting.IdentityOrigin;
import org.convene.meeting.MeetingKind;
import org.convene.meeting.MemberCsv;
import org.convene.meeting.MemberStatus;
import org.convene.meeting.Role;
import org.convene.meeting.Unit;
import org.convene.response.Answer;
import org.convene.response.ResponseService;
import org.convene.schedule.Reminder;
import org.junit.jupiter.api.Test;

/** Every text a page names exists in Vietnamese and in English, so no key shows through as itself. */
class I18nKeysTest {
    static final Path PAGES = Path.of("src/main/resources/pages");
    static final Path SOURCES = Path.of("src/main/java/org/convene/web");

    static Set<String> keys(String lang) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(PAGES.resolve("i18n").resolve(lang + ".properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new TreeSet<>(p.stringPropertyNames());
    }

    @Test
    void vietnamese_and_english_have_the_same_keys() throws IOException {
        assertThat(keys("en")).containsExactlyElementsOf(keys("vi"));
    }

    @Test
    void every_key_a_template_or_a_page_names_outright_exists() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.list(PAGES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".mustache")).toList()) {
                Matcher m = Pattern.compile("\\{\\{[#^/]?t\\.([A-Za-z0-9_]+)}}").matcher(Files.readString(f));
                while (m.find()) named.add(m.group(1));
            }
        }
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                // the key is the first literal of the call, whatever the language argument is written as
                Matcher m = Pattern.compile("\\.text\\([^;\"]*?\"([A-Za-z0-9_-]+)\"(?!\\s*\\+)").matcher(Files.readString(f));
                while (m.find()) named.add(m.group(1));
            }
        }

        assertThat(named).isNotEmpty();
        assertThat(keys("vi")).containsAll(named);
        assertThat(keys("en")).containsAll(named);
    }

    /**
     * Keys a page builds from a prefix and a value ({@code "reason_" + code}): for each prefix as the code
     * writes it, every key it can make, from the enums and constants it is combined with (where the code
     * has a plain list, the same list). A new value without its text, or a new prefix not listed here, fails.
     */
    static Map<String, Set<String>> builtKeys() throws IOException {
        Map<String, Set<String>> f = new TreeMap<>();
        put(f, "rsvp_", List.of("yes", "no", "received", "none"));
        put(f, "reason_", ResponseService.REASON_CODES);
        put(f, "att_", List.of("present", "excused", "absent", "none"));
        put(f, "attendance_", List.of("not-due", "pending", "overdue", "confirmed")); // FollowUps.state
        put(f, "word_", Unit.MEMBER_WORDS, "_one", "_many", "_title");
        put(f, "receipt_", List.of("none", "latest", "older"));
        put(f, "view_", List.of(DocumentReading.OPENED, DocumentReading.DOWNLOADED));
        put(f, "views_reminded_", List.of("sent", "none", "closed"));
        put(f, "notice_", literals(Path.of("src/main/java/org/convene/chat"), "new Notice\\(\"([A-Za-z0-9_]+)\""));
        put(f, "attention_", List.of("overdue", "pending"));
        put(f, "kind_", java.util.Arrays.stream(MeetingKind.values()).map(MeetingKind::wire).toList());
        Set<String> presets = new TreeSet<>(MeetingEditorPage.PRESETS.keySet());
        presets.add("keep");
        put(f, "preset_", presets);
        put(f, "reminder_", List.of(Reminder.AGENDA, Reminder.REMINDER, Reminder.CHASE));
        put(f, "state_", List.of(Reminder.PENDING, Reminder.FIRED, Reminder.MISSED));
        put(f, "repeat_", java.util.Arrays.stream(MeetingEditorPage.Repeat.values()).map(r -> r.wire).toList());
        put(f, "policy_", MeetingEditorPage.HOLIDAY_POLICIES);
        put(f, "rule_policy_", MeetingEditorPage.HOLIDAY_POLICIES.stream().filter(x -> !x.equals("allow")).toList());
        put(f, "wd_", SeriesWords.CODES);
        put(f, "rule_nth_", List.of("1", "2", "3", "4", "5", "last"));
        put(f, "rule_", literals(SOURCES.resolve("SeriesWords.java"), "every\\(lang, \"([a-z]+)\""), "", "_n");
        put(f, "why_", List.of("evening", "weekend", "holiday")); // FreeSlots.Slot.why
        put(f, "chase_", List.of("quiet", "begun", "cancelled", "no_agenda", "nobody"));
        put(f, "source_", java.util.Arrays.stream(Answer.Source.values()).map(Answer.Source::wire).toList());
        put(f, "documents_", List.of("latest", "older"));
        put(f, "delivery_", List.of(Delivery.QUEUED, Delivery.SENDING, Delivery.SENT, Delivery.FAILED));
        put(f, "chat_", List.of(Chat.ACTIVE, Chat.LEFT, Chat.MIGRATED, Chat.RELEASED));
        put(f, "status_", java.util.Arrays.stream(MemberStatus.values()).map(MemberStatus::wire).toList());
        put(f, "left_", java.util.Arrays.stream(MemberStatus.LeftReason.values()).map(MemberStatus.LeftReason::wire).toList());
        put(f, "role_", java.util.Arrays.stream(Role.values()).map(Role::wire).toList());
        put(f, "unit_account_origin_", List.of(IdentityOrigin.SELF, IdentityOrigin.REGISTERED, IdentityOrigin.CODE));
        put(f, "import_bad_", literals(Path.of("src/main/java/org/convene/meeting/MemberCsv.java"), "Invalid\\(\"([A-Za-z]+)\""));
        put(f, "import_read_", List.of("comma", "semicolon", "tab"));
        put(f, "import_column_", java.util.Arrays.stream(MemberCsv.Column.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        // the codes MemberService gives a refused line (new Problem(field, code, …), new LineError(line, code, …))
        put(f, "import_problem_", literals(Path.of("src/main/java/org/convene/meeting/MemberService.java"),
                "new (?:Problem\\(\"[A-Za-z]+\"|LineError\\([^,]+), \"([A-Za-z_]+)\""));
        return f;
    }

    /** Built keys whose lookup falls back on purpose: the field's own words, an audit action's name. */
    static final Set<String> FALLING_BACK = Set.of("err_", "audit_");

    private static void put(Map<String, Set<String>> f, String prefix, Collection<String> values, String... suffixes) {
        Set<String> keys = new TreeSet<>();
        for (String v : values) for (String suffix : suffixes.length == 0 ? new String[] {""} : suffixes) keys.add(prefix + v + suffix);
        assertThat(keys).as("values of " + prefix).isNotEmpty();
        f.put(prefix, keys);
    }

    /** The first group of every match of {@code regex} in a file, or in every Java file under a folder. */
    private static Set<String> literals(Path where, String regex) throws IOException {
        Set<String> found = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(where)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
            while (m.find()) found.add(m.group(1));
        }
        return found;
    }

    /** Every prefix the pages' code joins to a value to make a key ({@code text(lang, "x_" + …)}, {@code key = "x_" + …}). */
    static Set<String> prefixesInCode() throws IOException {
        Set<String> prefixes = new TreeSet<>();
        Pattern prefix = Pattern.compile("\"([a-z][a-z_]*_)\"\\s*\\+");
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.contains(".text(") && !line.contains("String key =")) continue;
                    Matcher m = prefix.matcher(line);
                    while (m.find()) prefixes.add(m.group(1));
                }
            }
        }
        return prefixes;
    }

    @Test
    void every_prefix_a_page_builds_keys_from_is_listed_with_the_values_it_takes() throws IOException {
        Set<String> found = prefixesInCode();
        Set<String> listed = new TreeSet<>(builtKeys().keySet());
        listed.addAll(FALLING_BACK);

        assertThat(found).as("prefixes in web/*.java").contains("reason_", "word_", "import_problem_");
        assertThat(listed).as("a key built from a prefix: list what it is combined with in builtKeys()").containsAll(found);
    }

    @Test
    void every_key_built_from_a_prefix_exists_in_vietnamese_and_english() throws IOException {
        Set<String> built = new TreeSet<>();
        builtKeys().values().forEach(built::addAll);

        assertThat(keys("vi")).as("vi.properties").containsAll(built);
        assertThat(keys("en")).as("en.properties").containsAll(built);
    }

    @Test
    void every_problem_code_a_service_refuses_with_has_its_text_for_the_pages() throws IOException {
        // new Conflict("…", "code"), new NotAllowed("…", "code"): the pages say "problem_<code>" in their language
        Set<String> codes = literals(Path.of("src/main/java/org/convene"),
                "new ConveneException\\.(?:Conflict|NotAllowed)\\((?:[^;]|\\n)*?, \"([a-z_]+)\"\\);");

        assertThat(codes).contains("meeting_delete_answered", "role_not_allowed", "unit_merge_itself");
        for (String code : codes) {
            assertThat(keys("vi")).as("vi " + code).contains("problem_" + code);
            assertThat(keys("en")).as("en " + code).contains("problem_" + code);
        }
    }

    @Test
    void every_import_problem_code_has_its_text() throws IOException {
        for (String code : Set.of("name_required", "name_too_long", "role_unknown", "phone_invalid", "telegramUserId_invalid",
                "telegramUserId_taken", "zaloUserId_too_long", "localUserId_too_long")) {
            assertThat(keys("vi")).contains("import_problem_" + code);
        }
        assertThat(keys("vi")).contains("import_bad_body", "import_bad_header");
    }

    @Test
    void the_reasons_the_pages_list_are_the_words_of_the_chat_buttons() throws IOException {
        for (String lang : java.util.List.of("vi", "en")) {
            Properties pages = new Properties();
            Properties chat = new Properties();
            try (Reader a = Files.newBufferedReader(PAGES.resolve("i18n").resolve(lang + ".properties"), StandardCharsets.UTF_8);
                 Reader b = Files.newBufferedReader(Path.of("templates", lang, "messages.properties"), StandardCharsets.UTF_8)) {
                pages.load(a);
                chat.load(b);
            }
            for (String code : org.convene.response.ResponseService.REASON_CODES) {
                String button = chat.getProperty("button.reason." + code);
                assertThat(button.substring(button.indexOf(' ') + 1)).as(lang + " " + code).isEqualTo(pages.getProperty("reason_" + code));
            }
        }
    }
}
