package io.ecgsentinel.core.labels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata of one PTB-XL record (one row of {@code ptbxl_database.csv}) with its labels
 * resolved through {@code scp_statements.csv}; built by {@link PtbXlMetadata}.
 *
 * <p>Labels follow the PTB-XL paper's convention: a record belongs to every diagnostic superclass
 * of the diagnostic statements in its {@code scp_codes}, whatever their likelihood (0 means
 * "likelihood not stated", not "absent"); {@link PtbXlMetadata#superclasses(PtbXlRecord, double)}
 * applies a threshold when one is wanted. {@link #toString()} leaves the patient id out, because
 * patient identifiers must not reach logs.
 *
 * @param ecgId the record id ({@code ecg_id})
 * @param patientId the pseudonymous patient id; records of one patient share it and one fold
 * @param age age in years, NaN when missing
 * @param sex 0 male, 1 female (as PTB-XL codes it), -1 when missing
 * @param stratFold the stratified fold (column {@code strat_fold}) 1-10 (patient-disjoint)
 * @param filenameLr the 100 Hz record path relative to the PTB-XL folder, without extension
 * @param filenameHr the 500 Hz record path, without extension (the file may be absent here)
 * @param scpCodes statement code to likelihood (0-100), in file order
 * @param superclasses diagnostic superclasses (NORM, MI, STTC, CD, HYP) in that order
 * @param subclasses diagnostic subclasses (for example AMI, LVH)
 * @param rhythms rhythm statements present (for example SR, AFIB)
 * @param forms form statements present (for example PVC, LVOLT)
 * @param baselineDrift noise column {@code baseline_drift} (free text naming leads), empty if none
 * @param staticNoise noise column {@code static_noise}, empty if none
 * @param burstNoise noise column {@code burst_noise}, empty if none
 * @param electrodesProblems column {@code electrodes_problems}, empty if none
 * @param extraBeats column {@code extra_beats} (for example {@code 1ES}), empty if none
 * @param pacemaker column {@code pacemaker}, empty if none
 * @param validatedByHuman column {@code validated_by_human}
 * @param columns every column of the row by header name, as text, for anything not above
 */
public record PtbXlRecord(
        int ecgId,
        long patientId,
        double age,
        int sex,
        int stratFold,
        String filenameLr,
        String filenameHr,
        Map<String, Double> scpCodes,
        Set<String> superclasses,
        Set<String> subclasses,
        Set<String> rhythms,
        Set<String> forms,
        String baselineDrift,
        String staticNoise,
        String burstNoise,
        String electrodesProblems,
        String extraBeats,
        String pacemaker,
        boolean validatedByHuman,
        Map<String, String> columns) {

    /** The five diagnostic superclasses of PTB-XL, in the paper's order. */
    public static final List<String> SUPERCLASSES = List.of("NORM", "MI", "STTC", "CD", "HYP");

    public PtbXlRecord {
        scpCodes = Collections.unmodifiableMap(new LinkedHashMap<>(scpCodes));
        superclasses = Collections.unmodifiableSet(new LinkedHashSet<>(superclasses));
        subclasses = Collections.unmodifiableSet(new LinkedHashSet<>(subclasses));
        rhythms = Collections.unmodifiableSet(new LinkedHashSet<>(rhythms));
        forms = Collections.unmodifiableSet(new LinkedHashSet<>(forms));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** The stratified fold (same as {@link #stratFold()}). */
    public int fold() {
        return stratFold;
    }

    /** True when {@code scp_codes} contains {@code code} (any likelihood). */
    public boolean hasCode(String code) {
        return scpCodes.containsKey(code);
    }

    /** True when any of the noise columns (drift, static, burst, electrode problems) is filled. */
    public boolean hasNoise() {
        return !baselineDrift.isEmpty()
                || !staticNoise.isEmpty()
                || !burstNoise.isEmpty()
                || !electrodesProblems.isEmpty();
    }

    /** Ecg id, fold and labels; never the patient id. */
    @Override
    public String toString() {
        return "PtbXlRecord[ecgId="
                + ecgId
                + ", fold="
                + stratFold
                + ", scpCodes="
                + scpCodes
                + ", superclasses="
                + superclasses
                + "]";
    }
}
