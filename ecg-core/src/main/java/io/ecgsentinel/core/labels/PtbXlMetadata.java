package io.ecgsentinel.core.labels;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.io.CsvFormatException;
import io.ecgsentinel.core.io.CsvParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PTB-XL's metadata: {@code ptbxl_database.csv} (one row per record, with the SCP-ECG codes as a
 * Python dict such as {@code {'NORM': 100.0, 'SR': 0.0}}) joined with {@code scp_statements.csv},
 * so that training and evaluation get each record's diagnostic superclasses, rhythm and form
 * statements, fold and noise annotations without re-implementing the PTB-XL conventions.
 *
 * <p>It also locates the signal files: {@code filename_hr} is filled for every row, but a copy of
 * the data may hold only some of the 500 Hz records (ours has them for ecg_id 1-500), so {@link
 * #hasHighRate} checks the disk.
 */
public final class PtbXlMetadata {

    /** The file names inside the PTB-XL folder. */
    public static final String DATABASE_CSV = "ptbxl_database.csv";

    public static final String STATEMENTS_CSV = "scp_statements.csv";

    private static final Pattern DICT_ENTRY =
            Pattern.compile("\\s*'([^']+)'\\s*:\\s*([-+0-9.eE]+|nan)\\s*");

    private final Path directory;
    private final Map<String, ScpStatement> statements;
    private final List<PtbXlRecord> records;
    private final Map<Integer, PtbXlRecord> byId;

    private PtbXlMetadata(
            Path directory, Map<String, ScpStatement> statements, List<PtbXlRecord> records) {
        this.directory = directory;
        this.statements = Collections.unmodifiableMap(statements);
        this.records = List.copyOf(records);
        Map<Integer, PtbXlRecord> ids = new HashMap<>();
        for (PtbXlRecord r : records) {
            if (ids.put(r.ecgId(), r) != null) {
                throw new CsvFormatException(
                        directory.resolve(DATABASE_CSV).toString(),
                        0,
                        "ecg_id " + r.ecgId() + " appears twice");
            }
        }
        this.byId = ids;
    }

    /** Loads the metadata of the PTB-XL folder of the configured data directory. */
    public static PtbXlMetadata load() throws IOException {
        return load(DataDirs.resolve("ptbxl"));
    }

    /**
     * Loads {@code ptbxl_database.csv} and {@code scp_statements.csv} from {@code ptbxlDir}.
     *
     * @throws CsvFormatException naming file and line when a row cannot be read, or a record uses a
     *     code that {@code scp_statements.csv} does not define
     */
    public static PtbXlMetadata load(Path ptbxlDir) throws IOException {
        Map<String, ScpStatement> statements = loadStatements(ptbxlDir.resolve(STATEMENTS_CSV));
        Path db = ptbxlDir.resolve(DATABASE_CSV);
        List<CsvParser.Row> rows = CsvParser.readAll(db, ',');
        if (rows.isEmpty()) {
            throw new CsvFormatException(db.toString(), 0, "empty file");
        }
        List<String> header = rows.get(0).cells();
        for (String required :
                List.of(
                        "ecg_id",
                        "patient_id",
                        "scp_codes",
                        "strat_fold",
                        "filename_lr",
                        "filename_hr")) {
            if (!header.contains(required)) {
                throw new CsvFormatException(
                        db.toString(), rows.get(0).line(), "no column " + required);
            }
        }
        List<PtbXlRecord> records = new ArrayList<>(rows.size() - 1);
        for (CsvParser.Row row : rows.subList(1, rows.size())) {
            if (row.cells().size() != header.size()) {
                throw new CsvFormatException(
                        db.toString(),
                        row.line(),
                        "expected " + header.size() + " cells, found " + row.cells().size());
            }
            Map<String, String> cols = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                cols.put(header.get(i), row.cells().get(i));
            }
            try {
                records.add(toRecord(cols, statements));
            } catch (IllegalArgumentException e) {
                throw new CsvFormatException(db.toString(), row.line(), e.getMessage());
            }
        }
        return new PtbXlMetadata(ptbxlDir, statements, records);
    }

    private static Map<String, ScpStatement> loadStatements(Path file) throws IOException {
        List<CsvParser.Row> rows = CsvParser.readAll(file, ',');
        if (rows.isEmpty()) {
            throw new CsvFormatException(file.toString(), 0, "empty file");
        }
        List<String> h = rows.get(0).cells();
        int desc = h.indexOf("description");
        int diag = h.indexOf("diagnostic");
        int form = h.indexOf("form");
        int rhythm = h.indexOf("rhythm");
        int dclass = h.indexOf("diagnostic_class");
        int dsub = h.indexOf("diagnostic_subclass");
        int cat = h.indexOf("Statement Category");
        if (desc < 0 || diag < 0 || form < 0 || rhythm < 0 || dclass < 0 || dsub < 0) {
            throw new CsvFormatException(
                    file.toString(),
                    rows.get(0).line(),
                    "expected the columns description, diagnostic, form, rhythm, diagnostic_class,"
                        + " diagnostic_subclass");
        }
        Map<String, ScpStatement> out = new LinkedHashMap<>();
        for (CsvParser.Row row : rows.subList(1, rows.size())) {
            List<String> c = row.cells();
            if (c.size() != h.size()) {
                throw new CsvFormatException(
                        file.toString(),
                        row.line(),
                        "expected " + h.size() + " cells, found " + c.size());
            }
            String code = c.get(0).strip();
            out.put(
                    code,
                    new ScpStatement(
                            code,
                            c.get(desc),
                            flag(c.get(diag)),
                            flag(c.get(form)),
                            flag(c.get(rhythm)),
                            c.get(dclass).strip(),
                            c.get(dsub).strip(),
                            cat >= 0 ? c.get(cat) : ""));
        }
        return out;
    }

    /** The statement files mark membership with 1.0 and leave the cell empty otherwise. */
    private static boolean flag(String cell) {
        String s = cell.strip();
        return !s.isEmpty() && Double.parseDouble(s) != 0;
    }

    private static PtbXlRecord toRecord(
            Map<String, String> c, Map<String, ScpStatement> statements) {
        int ecgId = Integer.parseInt(c.get("ecg_id").strip());
        Map<String, Double> codes = parseScpCodes(c.get("scp_codes"), ecgId);
        Set<String> superclasses = new LinkedHashSet<>();
        Set<String> subclasses = new LinkedHashSet<>();
        Set<String> rhythms = new LinkedHashSet<>();
        Set<String> forms = new LinkedHashSet<>();
        Set<String> found = new LinkedHashSet<>();
        for (String code : codes.keySet()) {
            ScpStatement s = statements.get(code);
            if (s == null) {
                throw new IllegalArgumentException(
                        "ecg_id "
                                + ecgId
                                + " uses SCP code "
                                + code
                                + ", which "
                                + STATEMENTS_CSV
                                + " does not define");
            }
            if (s.diagnostic() && !s.diagnosticClass().isEmpty()) {
                found.add(s.diagnosticClass());
                subclasses.add(s.diagnosticSubclass());
            }
            if (s.rhythm()) {
                rhythms.add(code);
            }
            if (s.form()) {
                forms.add(code);
            }
        }
        for (String sc : PtbXlRecord.SUPERCLASSES) {
            if (found.contains(sc)) {
                superclasses.add(sc);
            }
        }
        found.removeAll(PtbXlRecord.SUPERCLASSES);
        superclasses.addAll(found); // any class outside the five, kept rather than dropped
        return new PtbXlRecord(
                ecgId,
                (long) number(c, "patient_id", Double.NaN),
                number(c, "age", Double.NaN),
                (int) number(c, "sex", -1),
                Integer.parseInt(c.get("strat_fold").strip()),
                c.get("filename_lr").strip(),
                c.get("filename_hr").strip(),
                codes,
                superclasses,
                subclasses,
                rhythms,
                forms,
                text(c, "baseline_drift"),
                text(c, "static_noise"),
                text(c, "burst_noise"),
                text(c, "electrodes_problems"),
                text(c, "extra_beats"),
                text(c, "pacemaker"),
                "true".equalsIgnoreCase(text(c, "validated_by_human")),
                c);
    }

    private static double number(Map<String, String> c, String column, double missing) {
        String s = c.getOrDefault(column, "").strip();
        if (s.isEmpty()) {
            return missing;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "column " + column + ": '" + s + "' is not a number", e);
        }
    }

    /** A free-text column, stripped; PTB-XL pads some with blanks (e.g. {@code " , I-V1, "}). */
    private static String text(Map<String, String> c, String column) {
        return c.getOrDefault(column, "").strip();
    }

    /**
     * Parses the Python dict literal of {@code scp_codes}, for example {@code {'NORM': 100.0, 'SR':
     * 0.0}}, keeping the file's order.
     */
    static Map<String, Double> parseScpCodes(String dict, int ecgId) {
        String s = dict.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException(
                    "ecg_id " + ecgId + ": scp_codes is not a dict: " + dict);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        String body = s.substring(1, s.length() - 1).strip();
        if (body.isEmpty()) {
            return out;
        }
        for (String entry : body.split(",")) {
            Matcher m = DICT_ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "ecg_id "
                                + ecgId
                                + ": cannot read scp_codes entry '"
                                + entry.strip()
                                + "' in "
                                + dict);
            }
            String v = m.group(2);
            out.put(m.group(1), v.equals("nan") ? Double.NaN : Double.parseDouble(v));
        }
        return out;
    }

    /** The PTB-XL folder this was loaded from. */
    public Path directory() {
        return directory;
    }

    /** Every record, in file order (sorted by ecg_id in PTB-XL). */
    public List<PtbXlRecord> records() {
        return records;
    }

    /** The record with this ecg_id, if it is in the table. */
    public Optional<PtbXlRecord> byEcgId(int ecgId) {
        return Optional.ofNullable(byId.get(ecgId));
    }

    /** The records of one stratified fold. */
    public List<PtbXlRecord> fold(int fold) {
        return records.stream().filter(r -> r.stratFold() == fold).toList();
    }

    /** The SCP statements by code, in file order. */
    public Map<String, ScpStatement> statements() {
        return statements;
    }

    /**
     * The diagnostic superclasses of the statements whose likelihood is at least {@code
     * minLikelihood} (0 gives {@link PtbXlRecord#superclasses()}).
     */
    public Set<String> superclasses(PtbXlRecord record, double minLikelihood) {
        Set<String> found = new LinkedHashSet<>();
        for (Map.Entry<String, Double> e : record.scpCodes().entrySet()) {
            ScpStatement s = statements.get(e.getKey());
            if (s != null
                    && s.diagnostic()
                    && !s.diagnosticClass().isEmpty()
                    && e.getValue() >= minLikelihood) {
                found.add(s.diagnosticClass());
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String sc : PtbXlRecord.SUPERCLASSES) {
            if (found.remove(sc)) {
                ordered.add(sc);
            }
        }
        ordered.addAll(found);
        return ordered;
    }

    /** Header path of the 100 Hz record ({@code records100/.../NNNNN_lr.hea}). */
    public Path lowRateHeader(PtbXlRecord record) {
        return directory.resolve(record.filenameLr() + ".hea");
    }

    /** Header path of the 500 Hz record; check {@link #hasHighRate} before reading it. */
    public Path highRateHeader(PtbXlRecord record) {
        return directory.resolve(record.filenameHr() + ".hea");
    }

    /** True when the 500 Hz record (header and signal file) is present in this copy. */
    public boolean hasHighRate(PtbXlRecord record) {
        return Files.isRegularFile(highRateHeader(record))
                && Files.isRegularFile(directory.resolve(record.filenameHr() + ".dat"));
    }

    /** True when the 100 Hz record (header and signal file) is present in this copy. */
    public boolean hasLowRate(PtbXlRecord record) {
        return Files.isRegularFile(lowRateHeader(record))
                && Files.isRegularFile(directory.resolve(record.filenameLr() + ".dat"));
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "PtbXlMetadata[%s, %d records, %d statements]",
                directory,
                records.size(),
                statements.size());
    }
}
