package io.ecgsentinel.core.labels;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.io.CsvFormatException;
import io.ecgsentinel.core.io.CsvParser;
import io.ecgsentinel.core.wfdb.WfdbHeader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labels of the PhysioNet/CinC Challenge 2021 records: the SNOMED CT codes of a header's {@code #
 * Dx:} comment, named through the challenge's mapping files {@code dx_mapping_scored.csv} (the 30
 * diagnoses the challenge scored) and {@code dx_mapping_unscored.csv} (the rest).
 *
 * <p>The challenge scored some pairs of codes as one diagnosis (for example complete right bundle
 * branch block and right bundle branch block); the scored file says so in its {@code Notes} column,
 * and {@link #scoredClass} reads those notes instead of hard-coding the pairs.
 */
public final class CincLabels {

    /** The mapping file of the scored diagnoses. */
    public static final String SCORED_CSV = "dx_mapping_scored.csv";

    public static final String UNSCORED_CSV = "dx_mapping_unscored.csv";

    private static final Pattern SAME_AS =
            Pattern.compile("score\\s+(\\d+)\\s+and\\s+(\\d+)\\s+as the same");

    /**
     * One diagnosis of the mapping files.
     *
     * @param snomedCode the SNOMED CT concept id as written in {@code # Dx:}
     * @param name the challenge's name, for example {@code sinus rhythm}
     * @param abbreviation the challenge's abbreviation, for example {@code NSR}
     * @param scored true when the challenge scored it
     */
    public record Diagnosis(String snomedCode, String name, String abbreviation, boolean scored) {}

    private final Map<String, Diagnosis> byCode;
    private final Map<String, String> equivalent;

    private CincLabels(Map<String, Diagnosis> byCode, Map<String, String> equivalent) {
        this.byCode = Collections.unmodifiableMap(byCode);
        this.equivalent = Collections.unmodifiableMap(equivalent);
    }

    /** Loads the mapping files from the cinc2021 folder of the configured data directory. */
    public static CincLabels load() throws IOException {
        return load(DataDirs.resolve("cinc2021"));
    }

    /** Loads {@code dx_mapping_scored.csv} and {@code dx_mapping_unscored.csv} from {@code dir}. */
    public static CincLabels load(Path dir) throws IOException {
        Map<String, Diagnosis> byCode = new LinkedHashMap<>();
        Map<String, String> equivalent = new HashMap<>();
        read(dir.resolve(SCORED_CSV), true, byCode, equivalent);
        read(dir.resolve(UNSCORED_CSV), false, byCode, equivalent);
        return new CincLabels(byCode, equivalent);
    }

    private static void read(
            Path file,
            boolean scored,
            Map<String, Diagnosis> byCode,
            Map<String, String> equivalent)
            throws IOException {
        List<CsvParser.Row> rows = CsvParser.readAll(file, ',');
        if (rows.isEmpty()) {
            throw new CsvFormatException(file.toString(), 0, "empty file");
        }
        List<String> h = rows.get(0).cells();
        int name = h.indexOf("Dx");
        int code = h.indexOf("SNOMEDCTCode");
        int abbr = h.indexOf("Abbreviation");
        int notes = h.indexOf("Notes");
        if (name < 0 || code < 0 || abbr < 0) {
            throw new CsvFormatException(
                    file.toString(),
                    rows.get(0).line(),
                    "expected the columns Dx, SNOMEDCTCode, Abbreviation");
        }
        for (CsvParser.Row row : rows.subList(1, rows.size())) {
            List<String> c = row.cells();
            if (c.size() <= Math.max(name, Math.max(code, abbr))) {
                throw new CsvFormatException(file.toString(), row.line(), "too few cells");
            }
            String snomed = c.get(code).strip();
            Diagnosis d = new Diagnosis(snomed, c.get(name).strip(), c.get(abbr).strip(), scored);
            if (byCode.putIfAbsent(snomed, d) != null) {
                throw new CsvFormatException(
                        file.toString(), row.line(), "code " + snomed + " listed twice");
            }
            if (notes >= 0 && notes < c.size()) {
                Matcher m = SAME_AS.matcher(c.get(notes));
                if (m.find()) {
                    // the first code named in the note represents the pair, as in the evaluation
                    equivalent.put(m.group(1), m.group(1));
                    equivalent.put(m.group(2), m.group(1));
                }
            }
        }
    }

    /** Every diagnosis by SNOMED code, scored ones first. */
    public Map<String, Diagnosis> diagnoses() {
        return byCode;
    }

    /** The diagnosis of a SNOMED code, if the mapping files know it. */
    public Optional<Diagnosis> lookup(String snomedCode) {
        return Optional.ofNullable(byCode.get(snomedCode.strip()));
    }

    /**
     * The code that represents {@code snomedCode} in scoring: the first code of its "scored as the
     * same diagnosis" pair, or the code itself.
     */
    public String scoredClass(String snomedCode) {
        String c = snomedCode.strip();
        return equivalent.getOrDefault(c, c);
    }

    /** The SNOMED codes of a header's {@code # Dx:} comment, in order; empty when there is none. */
    public static List<String> dxCodes(WfdbHeader header) {
        Optional<String> dx = header.comment("Dx");
        List<String> out = new ArrayList<>();
        if (dx.isEmpty()) {
            return out;
        }
        for (String s : dx.get().split(",")) {
            String c = s.strip();
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The diagnoses of a header's {@code # Dx:} codes. A code the mapping files do not know is
     * kept, with the name {@code unknown SNOMED CT code} and the code as abbreviation, so that a
     * label is never dropped silently.
     */
    public List<Diagnosis> diagnoses(WfdbHeader header) {
        List<Diagnosis> out = new ArrayList<>();
        for (String code : dxCodes(header)) {
            out.add(
                    byCode.getOrDefault(
                            code, new Diagnosis(code, "unknown SNOMED CT code", code, false)));
        }
        return out;
    }
}
