package io.ecgsentinel.core.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV tokenizer: fields may be quoted with {@code "}, a quote inside a quoted
 * field is doubled, and quoted fields may span lines. It is here so that ecg-core can read the
 * PTB-XL and CinC metadata (whose report texts contain commas and quotes) without a CSV library.
 */
public final class CsvParser {

    private CsvParser() {}

    /** One parsed row and the 1-based line on which it starts. */
    public record Row(int line, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /** Reads every row of a UTF-8 file (blank lines skipped). */
    public static List<Row> readAll(Path file, char delimiter) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readAll(r, delimiter, file.toString());
        }
    }

    /**
     * Reads every row (blank lines skipped); {@code source} names the input in errors.
     *
     * @throws CsvFormatException for a quoted field that is never closed
     */
    public static List<Row> readAll(Reader in, char delimiter, String source) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Row> rows = new ArrayList<>();
        int lineNo = 0;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // byte-order mark written by spreadsheet programs
            }
            if (line.isEmpty()) {
                continue;
            }
            int start = lineNo;
            StringBuilder record = new StringBuilder(line);
            // a quoted field may contain line breaks: keep reading while a quote is open
            while (openQuote(record)) {
                String next = r.readLine();
                if (next == null) {
                    throw new CsvFormatException(source, start, "quoted field is never closed");
                }
                lineNo++;
                record.append('\n').append(next);
            }
            rows.add(new Row(start, split(record, delimiter)));
        }
        return rows;
    }

    private static boolean openQuote(CharSequence s) {
        boolean open = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') {
                open = !open;
            }
        }
        return open;
    }

    /**
     * Splits one record into cells. Quoted cells lose their quotes and doubled quotes become one;
     * unquoted cells are returned as they are (not stripped).
     */
    public static List<String> split(CharSequence line, char delimiter) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
