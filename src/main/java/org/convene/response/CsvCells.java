package org.convene.response;

import java.io.IOException;
import org.apache.commons.csv.CSVPrinter;

/**
 * Every cell Convene writes into a CSV goes through here. Spreadsheet programs run a cell that begins with
 * {@code = + - @}, a tab or a carriage return as a formula ({@code =HYPERLINK(…)} in a member's reason):
 * such a text gets a leading apostrophe, which they show as text. Numbers are written as they are.
 */
public final class CsvCells {
    private CsvCells() {}

    /** The cell as it may be written: texts that a spreadsheet would take for a formula made inert. */
    public static Object cell(Object value) {
        if (!(value instanceof CharSequence text) || text.isEmpty()) return value;
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : value;
    }

    /** One record, each cell through {@link #cell}. */
    public static void print(CSVPrinter csv, Object... cells) throws IOException {
        Object[] safe = new Object[cells.length];
        for (int i = 0; i < cells.length; i++) safe[i] = cell(cells[i]);
        csv.printRecord(safe);
    }
}
