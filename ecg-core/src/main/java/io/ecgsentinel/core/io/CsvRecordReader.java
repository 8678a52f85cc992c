package io.ecgsentinel.core.io;

import io.ecgsentinel.core.signal.EcgSignal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an ECG from a CSV file, for the single-file CLI commands: one column per lead, a header row
 * with the lead names, and optionally a time column from which the sampling rate can be inferred.
 *
 * <p>Accepted layout:
 *
 * <ul>
 *   <li>Delimiter {@code ,}, {@code ;} or tab (detected from the header row); with {@code ;} or tab
 *       a decimal comma is accepted. Blank lines and lines starting with {@code #} are skipped.
 *       Cells may be quoted with {@code "} or {@code '} (PhysioNet's and Kaggle's exports quote the
 *       header with {@code '}).
 *   <li>A time column named {@code time}, {@code t}, {@code seconds}, {@code sec} or {@code elapsed
 *       time} holds seconds; {@code time_ms}, {@code ms} or any time name with a {@code (ms)} /
 *       {@code [ms]} suffix holds milliseconds. Times may also be clock strings {@code m:ss.fff} or
 *       {@code h:mm:ss.fff}. An index column ({@code sample}, {@code sample #}, {@code index}) is
 *       ignored.
 *   <li>Values are millivolts unless the caller says microvolts, or a lead's header carries a unit
 *       suffix ({@code II (uV)}, {@code V1 [mV]}), or the row after the header is a units row as in
 *       PhysioNet exports ({@code 'seconds','mV','mV'}).
 *   <li>An empty cell, {@code NaN} or {@code NA} is a missing sample (NaN); anything else that is
 *       not a number is an error naming the line and column.
 * </ul>
 *
 * <p>The sampling rate is the one given, or else inferred from the time column as (n - 1) / (t_last
 * - t_first). It is rounded to a whole number when the printed precision of the times cannot tell
 * the two apart (360 Hz printed with 3 decimals gives 359.98 Hz on 10 s, but 333.333 Hz over 10 s
 * is kept). The time column must then be evenly spaced (each time within half a sample period of
 * its place on the grid), since a signal with gaps or jitter cannot be represented without
 * resampling; a given rate that contradicts the time column by more than 1% is an error too.
 */
public final class CsvRecordReader {

    /** Units of the values in lead columns without their own unit. */
    public enum Units {
        MILLIVOLTS(1.0),
        MICROVOLTS(1e-3);

        private final double toMillivolts;

        Units(double toMillivolts) {
            this.toMillivolts = toMillivolts;
        }

        /** Factor that converts a value in these units to millivolts. */
        public double toMillivolts() {
            return toMillivolts;
        }
    }

    private static final Set<String> TIME_SECONDS =
            Set.of(
                    "time",
                    "t",
                    "seconds",
                    "second",
                    "sec",
                    "secs",
                    "s",
                    "time_s",
                    "time_sec",
                    "time (s)",
                    "elapsed time",
                    "elapsed_time",
                    "elapsed");
    private static final Set<String> TIME_MILLIS =
            Set.of("ms", "millis", "milliseconds", "time_ms", "t_ms", "elapsed_ms");
    private static final Set<String> INDEX =
            Set.of(
                    "sample",
                    "sample #",
                    "sample#",
                    "samples",
                    "sample_index",
                    "sample index",
                    "index",
                    "idx",
                    "#");
    private static final Pattern UNIT_SUFFIX =
            Pattern.compile("^(.*?)\\s*[\\[(]\\s*([^\\])]*?)\\s*[\\])]\\s*$");

    /** Below this an inferred rate is implausible for an ECG (typically times in ms read as s). */
    private static final double MIN_PLAUSIBLE_HZ = 10;

    private CsvRecordReader() {}

    /**
     * Reads a CSV of millivolts; {@code sampleRateOrNull} null means infer from the time column.
     */
    public static EcgSignal read(Path csv, Double sampleRateOrNull) throws IOException {
        return read(csv, sampleRateOrNull, Units.MILLIVOLTS);
    }

    /** Reads a CSV whose lead columns are in {@code units} unless a column says otherwise. */
    public static EcgSignal read(Path csv, Double sampleRateOrNull, Units units)
            throws IOException {
        String file = csv.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String name = dot > 0 ? file.substring(0, dot) : file;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return read(r, name, csv.toString(), sampleRateOrNull, units);
        }
    }

    /**
     * Reads CSV text from {@code in} (for standard input or tests).
     *
     * @param name the record name of the result
     * @param source names the input in error messages
     * @throws CsvFormatException with the line number when the input cannot be used
     */
    public static EcgSignal read(
            Reader in, String name, String source, Double sampleRateOrNull, Units units)
            throws IOException {
        if (sampleRateOrNull != null
                && (!(sampleRateOrNull > 0) || sampleRateOrNull.isInfinite())) {
            throw new IllegalArgumentException(
                    "sample rate must be positive, got " + sampleRateOrNull);
        }
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        int lineNo = 0;
        String line;
        String headerLine = null;
        int headerLineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!skippable(line)) {
                headerLine = line;
                headerLineNo = lineNo;
                break;
            }
        }
        if (headerLine == null) {
            throw new CsvFormatException(
                    source, 0, "empty file: expected a header row with lead names");
        }
        char delim = detectDelimiter(headerLine);
        List<String> header = cells(headerLine, delim);
        boolean numeric = true;
        for (String h : header) {
            numeric &= parseNumber(h, delim) != null;
        }
        if (numeric) {
            throw new CsvFormatException(
                    source,
                    headerLineNo,
                    "the first row holds numbers, not lead"
                            + " names; add a header row such as 'time,MLII,V1'");
        }
        Columns cols = Columns.of(header, units, source, headerLineNo);

        List<FloatBuffer> leads = new ArrayList<>();
        for (int i = 0; i < cols.leadColumns.length; i++) {
            leads.add(new FloatBuffer());
        }
        double[] times = new double[cols.timeColumn >= 0 ? 4096 : 0];
        int[] timeLines = new int[times.length];
        int n = 0;
        int timeDecimals = 0; // the most decimals printed in a time cell: the times' resolution
        boolean first = true;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (skippable(line)) {
                continue;
            }
            List<String> c = cells(line, delim);
            if (first) {
                first = false;
                if (cols.applyUnitsRow(c)) {
                    continue;
                }
            }
            if (c.size() == header.size() + 1 && c.get(c.size() - 1).isEmpty()) {
                c = c.subList(0, header.size()); // trailing delimiter
            }
            if (c.size() != header.size()) {
                throw new CsvFormatException(
                        source,
                        lineNo,
                        "expected " + header.size() + " cells like the header, found " + c.size());
            }
            for (int k = 0; k < cols.leadColumns.length; k++) {
                int col = cols.leadColumns[k];
                String cell = c.get(col);
                float v;
                if (isMissing(cell)) {
                    v = Float.NaN;
                } else {
                    Double d = parseNumber(cell, delim);
                    if (d == null || d.isInfinite() || d.isNaN()) {
                        throw new CsvFormatException(
                                source,
                                lineNo,
                                "column "
                                        + (col + 1)
                                        + " ('"
                                        + header.get(col).strip()
                                        + "'): '"
                                        + cell.strip()
                                        + "' is not a number");
                    }
                    v = (float) (d * cols.leadScale[k]);
                }
                leads.get(k).add(v);
            }
            if (cols.timeColumn >= 0) {
                String cell = c.get(cols.timeColumn);
                Double t = parseTime(cell, delim);
                if (t == null || t.isNaN() || t.isInfinite()) {
                    throw new CsvFormatException(
                            source,
                            lineNo,
                            "column "
                                    + (cols.timeColumn + 1)
                                    + " ('"
                                    + header.get(cols.timeColumn).strip()
                                    + "'): '"
                                    + cell.strip()
                                    + "' is not a time");
                }
                timeDecimals = Math.max(timeDecimals, decimals(cell));
                double seconds = t * cols.timeScale;
                if (n > 0 && !(seconds > times[n - 1])) {
                    throw new CsvFormatException(
                            source,
                            lineNo,
                            "time "
                                    + cell.strip()
                                    + " does not increase (previous row: "
                                    + times[n - 1] / cols.timeScale
                                    + ")");
                }
                if (n == times.length) {
                    times = Arrays.copyOf(times, n * 2);
                    timeLines = Arrays.copyOf(timeLines, n * 2);
                }
                times[n] = seconds;
                timeLines[n] = lineNo;
            }
            n++;
        }
        if (n == 0) {
            throw new CsvFormatException(source, 0, "no data rows after the header");
        }
        double resolution = Math.pow(10, -timeDecimals) * cols.timeScale;
        double fs = sampleRate(source, sampleRateOrNull, cols, times, timeLines, n, resolution);
        float[][] mv = new float[leads.size()][];
        for (int k = 0; k < mv.length; k++) {
            mv[k] = leads.get(k).toArray();
        }
        return new EcgSignal(name, fs, cols.leadNames, mv);
    }

    private static double sampleRate(
            String source,
            Double given,
            Columns cols,
            double[] t,
            int[] lines,
            int n,
            double resolution) {
        if (cols.timeColumn < 0 || n < 2) {
            if (given == null) {
                throw new CsvFormatException(
                        source,
                        0,
                        cols.timeColumn < 0
                                ? "no sample rate: give one (for the CLI: --fs) or add a time"
                                      + " column named 'time' (seconds) or 'time_ms'"
                                : "one row is not enough to infer the sample rate from the time"
                                      + " column; give one");
            }
            return given;
        }
        double exact = (n - 1) / (t[n - 1] - t[0]);
        if (exact < MIN_PLAUSIBLE_HZ) {
            throw new CsvFormatException(
                    source,
                    0,
                    String.format(
                            Locale.ROOT,
                            "the time column implies %.4g Hz, which is implausible for an ECG; if"
                                + " the times are in milliseconds name the column 'time_ms', or"
                                + " give the sample rate",
                            exact));
        }
        double period = 1 / exact;
        int worst = 0;
        double worstDev = 0;
        for (int i = 0; i < n; i++) {
            double dev = Math.abs(t[i] - (t[0] + i * period));
            if (dev > worstDev) {
                worstDev = dev;
                worst = i;
            }
        }
        if (worstDev > 0.5 * period) {
            throw new CsvFormatException(
                    source,
                    lines[worst],
                    String.format(
                            Locale.ROOT,
                            "the time column is not evenly spaced: %.6g s here, %.6g s expected at"
                                + " %.6g Hz; gaps and jitter cannot be represented, resample the"
                                + " file first",
                            t[worst],
                            t[0] + worst * period,
                            exact));
        }
        if (given != null) {
            if (Math.abs(given - exact) > 0.01 * exact) {
                throw new CsvFormatException(
                        source,
                        0,
                        String.format(
                                Locale.ROOT,
                                "the time column implies %.6g Hz but %s Hz was given",
                                exact,
                                given));
            }
            return given;
        }
        // Both end times are off by up to half a printed unit, so the duration is uncertain by
        // one unit; a whole rate inside that uncertainty is the one the file was written at.
        double rounded = Math.rint(exact);
        double tolerance = exact * resolution / (t[n - 1] - t[0]) + 1e-9 * exact;
        return Math.abs(rounded - exact) <= tolerance ? rounded : exact;
    }

    /** Digits after the decimal point (or comma) of a printed number; 9 for exponent notation. */
    private static int decimals(String cell) {
        String s = unquote(cell.strip());
        if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
            return 9;
        }
        int dot = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
        return dot < 0 ? 0 : s.length() - dot - 1;
    }

    /** Which columns hold what, and the per-lead unit scale. */
    private static final class Columns {
        int timeColumn = -1;
        double timeScale = 1;
        int indexColumn = -1;
        int[] leadColumns;
        double[] leadScale;
        List<String> leadNames;
        String source;
        int headerLine;

        static Columns of(List<String> header, Units units, String source, int headerLine) {
            Columns c = new Columns();
            c.source = source;
            c.headerLine = headerLine;
            List<Integer> leadCols = new ArrayList<>();
            List<Double> scales = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                String raw = header.get(i).strip();
                String base = raw;
                String unit = null;
                Matcher m = UNIT_SUFFIX.matcher(raw);
                if (m.matches() && !m.group(1).isEmpty()) {
                    base = m.group(1).strip();
                    unit = m.group(2).strip().toLowerCase(Locale.ROOT);
                }
                String lower = base.toLowerCase(Locale.ROOT);
                Double timeUnit = unit == null ? null : timeUnitScale(unit);
                if (TIME_SECONDS.contains(lower) || TIME_MILLIS.contains(lower)) {
                    if (c.timeColumn >= 0) {
                        throw new CsvFormatException(
                                source,
                                headerLine,
                                "two time columns ('"
                                        + header.get(c.timeColumn).strip()
                                        + "' and '"
                                        + raw
                                        + "')");
                    }
                    c.timeColumn = i;
                    c.timeScale =
                            timeUnit != null ? timeUnit : TIME_MILLIS.contains(lower) ? 1e-3 : 1;
                    continue;
                }
                if (INDEX.contains(lower) && c.indexColumn < 0) {
                    c.indexColumn = i;
                    continue;
                }
                Double scale = unit == null ? null : voltScale(unit);
                String leadName = scale == null ? raw : base;
                if (leadName.isEmpty()) {
                    throw new CsvFormatException(
                            source, headerLine, "column " + (i + 1) + " has no name");
                }
                if (!seen.add(leadName.toLowerCase(Locale.ROOT))) {
                    throw new CsvFormatException(
                            source, headerLine, "lead '" + leadName + "' appears twice");
                }
                leadCols.add(i);
                scales.add(scale != null ? scale : units.toMillivolts());
                names.add(leadName);
            }
            if (leadCols.isEmpty()) {
                throw new CsvFormatException(source, headerLine, "no lead columns in the header");
            }
            c.leadColumns = leadCols.stream().mapToInt(Integer::intValue).toArray();
            c.leadScale = scales.stream().mapToDouble(Double::doubleValue).toArray();
            c.leadNames = List.copyOf(names);
            return c;
        }

        /**
         * Applies a PhysioNet-style units row ({@code 'seconds','mV','mV'}) if {@code cells} is
         * one: every cell a known unit or empty, and at least one not empty.
         */
        boolean applyUnitsRow(List<String> cells) {
            boolean any = false;
            for (String cell : cells) {
                String u = unquote(cell.strip()).toLowerCase(Locale.ROOT);
                if (u.isEmpty()) {
                    continue;
                }
                if (voltScale(u) == null && timeUnitScale(u) == null && !isClockUnit(u)) {
                    return false;
                }
                any = true;
            }
            if (!any) {
                return false;
            }
            for (int k = 0; k < leadColumns.length; k++) {
                if (leadColumns[k] < cells.size()) {
                    Double s =
                            voltScale(
                                    unquote(cells.get(leadColumns[k]).strip())
                                            .toLowerCase(Locale.ROOT));
                    if (s != null) {
                        leadScale[k] = s;
                    }
                }
            }
            if (timeColumn >= 0 && timeColumn < cells.size()) {
                Double s =
                        timeUnitScale(
                                unquote(cells.get(timeColumn).strip()).toLowerCase(Locale.ROOT));
                if (s != null) {
                    timeScale = s;
                }
            }
            return true;
        }
    }

    private static Double voltScale(String unit) {
        return switch (unit) {
            case "mv", "millivolt", "millivolts" -> 1.0;
            case "uv", "µv", "μv", "microvolt", "microvolts" -> 1e-3;
            case "v", "volt", "volts" -> 1e3;
            default -> null;
        };
    }

    private static Double timeUnitScale(String unit) {
        return switch (unit) {
            case "s", "sec", "secs", "second", "seconds" -> 1.0;
            case "ms", "msec", "millisecond", "milliseconds" -> 1e-3;
            default -> null;
        };
    }

    private static boolean isClockUnit(String unit) {
        return unit.startsWith("hh:") || unit.startsWith("mm:");
    }

    private static boolean skippable(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static boolean isMissing(String cell) {
        String s = unquote(cell.strip());
        return s.isEmpty()
                || s.equalsIgnoreCase("nan")
                || s.equalsIgnoreCase("na")
                || s.equalsIgnoreCase("null")
                || s.equals("-");
    }

    /** The delimiter with the most occurrences outside quotes in the header row. */
    private static char detectDelimiter(String headerLine) {
        int comma = 0;
        int semi = 0;
        int tab = 0;
        boolean quoted = false;
        for (int i = 0; i < headerLine.length(); i++) {
            char c = headerLine.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                switch (c) {
                    case ',' -> comma++;
                    case ';' -> semi++;
                    case '\t' -> tab++;
                    default -> {}
                }
            }
        }
        if (semi > comma && semi >= tab) {
            return ';';
        }
        if (tab > comma && tab > semi) {
            return '\t';
        }
        return ',';
    }

    private static List<String> cells(String line, char delim) {
        if (line.indexOf('"') < 0) {
            // fast path for plain numeric rows, which are nearly all rows of a signal file
            List<String> out = new ArrayList<>();
            int start = 0;
            int p;
            while ((p = line.indexOf(delim, start)) >= 0) {
                out.add(unquote(line.substring(start, p).strip()));
                start = p + 1;
            }
            out.add(unquote(line.substring(start).strip()));
            return out;
        }
        List<String> raw = CsvParser.split(line, delim);
        List<String> out = new ArrayList<>(raw.size());
        for (String s : raw) {
            out.add(unquote(s.strip()));
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\'') {
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /** A decimal number, with a decimal comma when the delimiter is not a comma; else null. */
    private static Double parseNumber(String cell, char delim) {
        String s = unquote(cell.strip());
        if (s.isEmpty()) {
            return null;
        }
        if (delim != ',' && s.indexOf(',') >= 0 && s.indexOf('.') < 0) {
            s = s.replace(',', '.');
        }
        // Double.parseDouble also takes hex floats, "Infinity" and a trailing d/f; allow only
        // what a CSV writer produces
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9')
                    && c != '.'
                    && c != '-'
                    && c != '+'
                    && c != 'e'
                    && c != 'E') {
                return null;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null; // reported by the caller with line and column
        }
    }

    /** Seconds (or the column's unit) as a number, or a clock string m:ss.fff / h:mm:ss.fff. */
    private static Double parseTime(String cell, char delim) {
        String s = unquote(cell.strip());
        if (s.indexOf(':') < 0) {
            return parseNumber(s, delim);
        }
        String[] parts = s.split(":");
        if (parts.length > 3) {
            return null;
        }
        double total = 0;
        for (String part : parts) {
            Double v = parseNumber(part, delim);
            if (v == null || v < 0) {
                return null;
            }
            total = total * 60 + v;
        }
        return total;
    }

    /** A growable float array, so long files do not box every sample. */
    private static final class FloatBuffer {
        private float[] data = new float[4096];
        private int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
