package io.ecgsentinel.core.synth;

import io.ecgsentinel.core.wfdb.AnnotationWriter;
import io.ecgsentinel.core.wfdb.WfdbWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes synthetic patients as WFDB records: a format-16 {@code .hea}/{@code .dat} pair with the
 * scenario and seed in the header comments, and a {@code .atr} annotation file with the ground
 * truth (see {@link TruthRecorder#annotations(long)}). Records written this way can be read by
 * anything that reads PhysioNet data, including {@code ./ecg qrs-eval} and training code.
 */
public final class SyntheticRecords {

    /** ADC units per mV of written records (5 uV resolution, +-6.5 mV range as MIT-BIH). */
    public static final double DEFAULT_GAIN = 200;

    private SyntheticRecords() {}

    /**
     * What was written.
     *
     * @param header the {@code .hea} path
     * @param annotations the {@code .atr} path
     * @param samples samples per lead
     * @param truth the ground truth of the record
     */
    public record Written(Path header, Path annotations, long samples, TruthRecorder truth) {}

    /**
     * Generates {@code seconds} of {@code generator} (which must be fresh) and writes them
     * as {@code dir/recordName}. The generator's truth listener is replaced while writing.
     */
    public static Written write(Path dir, String recordName, EcgSynthesizer generator, double seconds,
            double gain) throws IOException {
        if (generator.position() != 0) {
            throw new IllegalStateException("write a record from a fresh generator (position 0), so "
                    + "annotation samples match the record");
        }
        int n = (int) Math.round(seconds * generator.sampleRate());
        TruthRecorder truth = new TruthRecorder();
        generator.truthListener(truth);
        float[][] x = new float[generator.leads().size()][n];
        int chunk = (int) Math.max(1, generator.sampleRate());
        for (int off = 0; off < n; off += chunk) {
            generator.next(x, off, Math.min(chunk, n - off));
        }
        generator.truthListener(null);
        List<String> names = generator.leads().stream().map(StandardLead::label).toList();
        List<String> comments = new ArrayList<>();
        comments.add("synthetic ECG (ECG Sentinel EcgSynthesizer), seed " + generator.seed()
                + String.format(Locale.ROOT, ", base rate %.1f bpm", generator.baseHeartRate()));
        for (String line : generator.scenario().toText().split("\n")) {
            if (!line.isBlank()) {
                comments.add("scenario: " + line);
            }
        }
        Path hea = WfdbWriter.write(dir, recordName, generator.sampleRate(), names, x, gain, comments);
        Path atr = dir.resolve(recordName + ".atr");
        AnnotationWriter.write(atr, truth.annotations(n));
        return new Written(hea, atr, n, truth);
    }
}
