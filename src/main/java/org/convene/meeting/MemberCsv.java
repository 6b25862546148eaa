package org.convene.meeting;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a roster as spreadsheets write it: comma, semicolon (what Vietnamese-locale spreadsheet
 * programs save) or tab separated, with an optional header in English or Vietnamese. It only reads;
 * what the rows do to the unit is {@link MemberService}'s business. A new column is a new
 * {@link Column} with its header words.
 */
public final class MemberCsv {
    private MemberCsv() {}

    /** The columns a roster may carry, each with the header words that name it (compared as {@link NameKey}s). */
    public enum Column {
        NAME("name", "full name", "ho ten", "ho va ten", "ten", "ten dang vien"),
        ROLE("role", "vai tro", "chuc vu", "chuc danh"),
        PHONE("phone", "phone number", "dien thoai", "so dien thoai", "sdt", "so dt", "dt"),
        TELEGRAM_USER_ID("telegramuserid", "telegram user id", "telegram id", "telegram", "ma telegram", "id telegram"),
        ZALO_USER_ID("zalouserid", "zalo user id", "zalo id", "zalo", "ma zalo", "id zalo"),
        STATUS("status", "tinh trang", "trang thai"),
        JOINED_ON("joinedon", "joined on", "joined", "ngay vao", "ngay ket nap", "ngay vao dang"),
        LEFT_ON("lefton", "left on", "left", "ngay ra", "ngay chuyen di"),
        LEFT_REASON("leftreason", "left reason", "ly do ra", "ly do");

        private final List<String> words;

        Column(String... words) {
            this.words = List.of(words);
        }

        static Optional<Column> ofHeader(String cell) {
            String key = NameKey.of(cell).replace("_", " ");
            for (Column c : values()) if (c.words.contains(key)) return Optional.of(c);
            return Optional.empty();
        }
    }

    /** Columns without a header, in this order. */
    static final List<Column> POSITIONAL = List.of(Column.NAME, Column.ROLE, Column.PHONE, Column.TELEGRAM_USER_ID, Column.ZALO_USER_ID,
            Column.STATUS, Column.JOINED_ON, Column.LEFT_ON, Column.LEFT_REASON);

    /** One data line: its line in the file (counted from 1, blank lines and the header included) and its non-blank cells. */
    public record Row(long line, Map<Column, String> cells) {
        public Row {
            cells = Map.copyOf(cells);
        }

        /** The cell, or null when the line leaves it blank. */
        public String get(Column column) {
            return cells.get(column);
        }
    }

    /**
     * A read roster. {@code ignored} are header cells that name no column (a "STT" numbering column,
     * a note), shown to the secretary rather than guessed at.
     */
    public record Roster(char delimiter, boolean header, List<Column> columns, List<String> ignored, List<Row> rows) {
        public Roster {
            columns = List.copyOf(columns);
            ignored = List.copyOf(ignored);
            rows = List.copyOf(rows);
        }
    }

    /** Reads the text; a file that is not CSV at all, or whose header names no name column, is {@link ConveneException.Invalid}. */
    /**
     * The roster as a file that imports back: every membership, former ones included, with the header of
     * the API's field names; UTF-8 with a byte-order mark so that spreadsheet programs show Vietnamese names.
     */
    public static String write(List<Member> members) {
        java.io.StringWriter out = new java.io.StringWriter();
        out.write('\uFEFF');
        try (org.apache.commons.csv.CSVPrinter csv = new org.apache.commons.csv.CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord("name", "role", "phone", "telegramUserId", "zaloUserId", "status", "joinedOn", "leftOn", "leftReason");
            for (Member m : members) {
                csv.printRecord(m.name(), m.role().wire(), m.phone(), m.accounts().get("telegram"), m.accounts().get("zalo"), m.status().wire(),
                        m.joinedOn(), m.leftOn(), m.leftReason() == null ? null : m.leftReason().wire());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    public static Roster read(String text) {
        String csv = text.startsWith("\uFEFF") ? text.substring(1) : text;
        char delimiter = delimiterOf(csv);
        List<CSVRecord> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (Reader reader = new StringReader(csv);
             CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setTrim(true).setIgnoreEmptyLines(true)
                     .get().parse(reader)) {
            for (CSVRecord r : parser) {
                records.add(r);
                lines.add(parser.getCurrentLineNumber()); // the file's line, blank lines included, not the record's number
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new ConveneException.Invalid("body", "is not readable CSV: " + e.getMessage());
        }
        Map<Integer, Column> byIndex = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        boolean header = !records.isEmpty() && isHeader(records.get(0));
        if (header) {
            CSVRecord first = records.get(0);
            for (int i = 0; i < first.size(); i++) {
                Optional<Column> c = Column.ofHeader(first.get(i));
                if (c.isPresent() && !byIndex.containsValue(c.get())) byIndex.put(i, c.get());
                else if (!first.get(i).isBlank()) ignored.add(first.get(i));
            }
            if (!byIndex.containsValue(Column.NAME)) {
                throw new ConveneException.Invalid("header", "names no name column (name, họ tên)");
            }
        } else {
            for (int i = 0; i < POSITIONAL.size(); i++) byIndex.put(i, POSITIONAL.get(i));
        }
        List<Row> rows = new ArrayList<>();
        for (int k = header ? 1 : 0; k < records.size(); k++) {
            CSVRecord r = records.get(k);
            Map<Column, String> cells = new EnumMap<>(Column.class);
            byIndex.forEach((i, column) -> {
                if (i < r.size() && !r.get(i).isBlank()) cells.put(column, r.get(i).strip());
            });
            rows.add(new Row(lines.get(k), cells));
        }
        return new Roster(delimiter, header, List.copyOf(byIndex.values()), ignored, rows);
    }

    /** A first line is a header when one of its cells is a column's header word (no member is called "Phone"). */
    private static boolean isHeader(CSVRecord first) {
        for (String cell : first) if (Column.ofHeader(cell).isPresent()) return true;
        return false;
    }

    /**
     * The separator that splits the first non-blank line into the most cells, outside quotes: a
     * Vietnamese name has no comma, semicolon or tab, so the separator wins. Comma when none appears.
     */
    static char delimiterOf(String csv) {
        String first = csv.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
        char best = ',';
        int bestCount = 0;
        for (char d : new char[] {',', ';', '\t'}) {
            int count = 0;
            boolean quoted = false;
            for (int i = 0; i < first.length(); i++) {
                char ch = first.charAt(i);
                if (ch == '"') quoted = !quoted;
                else if (ch == d && !quoted) count++;
            }
            if (count > bestCount) {
                best = d;
                bestCount = count;
            }
        }
        return best;
    }
}
