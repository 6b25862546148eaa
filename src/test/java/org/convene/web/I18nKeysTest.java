package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
                Matcher m = Pattern.compile("\\.text\\(lang, \"([A-Za-z0-9_-]+)\"(?!\\s*\\+)").matcher(Files.readString(f));
                while (m.find()) named.add(m.group(1));
            }
        }

        assertThat(named).isNotEmpty();
        assertThat(keys("vi")).containsAll(named);
        assertThat(keys("en")).containsAll(named);
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
