package io.ecgsentinel.simulator;

import io.ecgsentinel.core.labels.RhythmEpisodes;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.SignalSpec;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An archived WFDB record loaded for replay (MIT-BIH, PTB-XL, CinC 2021, CPSC 2021, ... anything
 * ecg-core reads): its raw ADC samples, how to turn them into mV, and the ground truth of one pass
 * from its reference annotations: rhythm episodes ({@code (VT} ... next change) and, as chosen,
 * beats. Immutable, so several replayed patients can share one record.
 */
public final class ReplayRecord {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRecord.class);

    /**
     * Largest |ADC value| a published sample may take at the publishing gain: below the int16 rail
     * ({@code EcgFrames.MAX_ADC}) with a margin, so rounding never reaches it and a replayed sample is
     * never mistaken for a saturated one.
     */
    static final double MAX_PUBLISHED_ADC = 32_000;

    private final String source;
    private final int fs;
    private final List<String> leads;
    private final int[][] adc;
    private final int[] baseline;
    private final float[] gain;
    private final float[] toMv;
    private final boolean[] checkInvalid;
    private final List<TruthEvent> truth;

    private ReplayRecord(String source, int fs, List<String> leads, int[][] adc, int[] baseline, float[] gain,
            float[] toMv, boolean[] checkInvalid, List<TruthEvent> truth) {
        this.source = source;
        this.fs = fs;
        this.leads = leads;
        this.adc = adc;
        this.baseline = baseline;
        this.gain = gain;
        this.toMv = toMv;
        this.checkInvalid = checkInvalid;
        this.truth = truth;
    }

    /**
     * Loads a record from its header path (or the record path without extension) with the truth of
     * its {@code .atr} annotations, if there are any.
     */
    public static ReplayRecord load(Path record, TruthBeats beats) throws IOException {
        WfdbRecord rec = WfdbRecord.read(record);
        double f = rec.samplingFrequency();
        if (f != Math.rint(f)) {
            throw new IllegalArgumentException(rec.name() + ": sampling frequency " + f
                    + " Hz is not integral, which frames cannot carry");
        }
        int n = rec.signalCount();
        int[][] adc = new int[n][];
        int[] base = new int[n];
        float[] gain = new float[n];
        float[] toMv = new float[n];
        boolean[] check = new boolean[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignalSpec s = rec.header().signals().get(i);
            adc[i] = rec.adc(i);
            base[i] = s.baseline();
            double unit = unitToMv(s.units());
            toMv[i] = (float) (unit / s.adcGain());
            check[i] = s.format() != 80 && s.format() != 8 && s.format() != 310 && s.format() != 311;
            names.add(leadName(s.description()));
            gain[i] = publishingGain((float) (s.adcGain() / unit), maxAbsMillivolts(adc[i], base[i], toMv[i], check[i]));
        }
        Path hea = record.toString().endsWith(".hea") ? record : Path.of(record + ".hea");
        Path dir = hea.toAbsolutePath().getParent();
        String name = rec.name();
        String source = (dir.getFileName() == null ? "" : dir.getFileName() + "/") + name;
        List<TruthEvent> truth = new ArrayList<>();
        Path atr = dir.resolve(name + ".atr");
        if (Files.isRegularFile(atr)) {
            List<Annotation> ann = AnnotationReader.read(dir.resolve(name), "atr");
            for (RhythmEpisodes.Episode e : RhythmEpisodes.of(ann, rec.length())) {
                truth.add(new TruthEvent(rhythmCode(e.rhythm()), e.start(), e.end(), "(" + e.rhythm(), false));
            }
            for (Annotation a : ann) {
                if (a.isBeat()) {
                    TruthEvent t = beats.event(a.sample(), a.symbol(), AnnotationCodes.aamiClass(a.code()));
                    if (t != null) {
                        truth.add(t);
                    }
                }
            }
            truth.sort(Comparator.comparingLong(TruthEvent::onsetSample));
        }
        return new ReplayRecord(source, (int) f, List.copyOf(names), adc, base, gain, toMv, check, List.copyOf(truth));
    }

    /**
     * ADC units per mV to publish a lead at: the record's own gain, so that replayed samples stay
     * exact, unless its samples in mV reach beyond {@link #MAX_PUBLISHED_ADC} at that gain. Frames
     * carry int16 samples around a baseline of their own, and the publisher quantises millivolts with
     * baseline 0, so a record whose own baseline is far from zero would saturate at the rail: CPSC 2021
     * stores lead I at 34,043 units per mV around a baseline of -167,477 (samples of 4-6 mV), which
     * at its own gain published every sample at 32,767 and the job judged every lead flat at a rail.
     * Such a lead is published at the gain that puts its largest |mV| at {@link #MAX_PUBLISHED_ADC}
     * (for that lead about 5,400 units per mV: steps of 0.2 uV, finer than any ECG front end).
     */
    static float publishingGain(float recordGain, double maxAbsMv) {
        if (!(maxAbsMv * recordGain > MAX_PUBLISHED_ADC)) {
            return recordGain;
        }
        float g = (float) (MAX_PUBLISHED_ADC / maxAbsMv);
        LOG.info("a replayed lead reaches {} mV, beyond int16 at its record's gain of {} units/mV: published at {}"
                + " units/mV", String.format(Locale.ROOT, "%.2f", maxAbsMv), recordGain, g);
        return g;
    }

    /** Largest |sample| of a lead in mV (invalid samples left out; 0 for a lead without any). */
    private static double maxAbsMillivolts(int[] adc, int baseline, float toMv, boolean checkInvalid) {
        long max = 0;
        for (int v : adc) {
            if (!(checkInvalid && v == WfdbRecord.INVALID_SAMPLE)) {
                max = Math.max(max, Math.abs((long) v - baseline));
            }
        }
        return max * (double) toMv;
    }

    /**
     * The lead name frames carry: the conventional spelling of the twelve standard leads ({@code
     * AVR} becomes {@code aVR}), any other description (MLII, V5 of a Holter record) as recorded.
     */
    static String leadName(String description) {
        String canonical = EcgSignal.canonicalLeadName(description);
        String plain = description.strip().toUpperCase(Locale.ROOT);
        for (StandardLead l : StandardLead.values()) {
            if (l.name().equals(plain) || ("LEAD" + l.name()).equals(plain.replace(" ", ""))) {
                return l.label();
            }
        }
        return description.isBlank() ? canonical : description.strip();
    }

    /** Maps a WFDB rhythm label (without the parenthesis) to the canonical truth code. */
    static String rhythmCode(String rhythm) {
        return switch (rhythm.toUpperCase(Locale.ROOT)) {
            case "N" -> "NORMAL";
            case "VT" -> "VT";
            case "VFL", "VF" -> "VF";
            case "AFIB", "AF" -> "AFIB";
            case "AFL" -> "AFL";
            case "SVTA", "SVT" -> "SVTA";
            case "SBR" -> "BRADY";
            case "B" -> "BIGEMINY";
            case "T" -> "TRIGEMINY";
            case "P" -> "PACED";
            case "ASYS" -> "ASYSTOLE";
            case "STACH" -> "TACHY";
            default -> rhythm.toUpperCase(Locale.ROOT);
        };
    }

    private static double unitToMv(String units) {
        String u = units == null ? "" : units.strip().toLowerCase(Locale.ROOT);
        return switch (u) {
            case "uv", "µv", "microvolts" -> 1e-3;
            case "v", "volts" -> 1e3;
            default -> 1.0;
        };
    }

    /**
     * The records to replay from a directory: those its {@code RECORDS} file lists (PhysioNet
     * layout), else every {@code .hea} below it, sorted; header paths.
     */
    public static List<Path> discover(Path dir) throws IOException {
        Path list = dir.resolve("RECORDS");
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(list)) {
            for (String line : Files.readAllLines(list)) {
                String r = line.strip();
                if (!r.isEmpty() && !r.startsWith("#")) {
                    Path hea = dir.resolve(r + ".hea");
                    if (Files.isRegularFile(hea)) {
                        out.add(hea);
                    }
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        try (Stream<Path> s = Files.walk(dir, 4)) {
            s.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().forEach(out::add);
        }
        return out;
    }

    public String source() {
        return source;
    }

    public int sampleRateHz() {
        return fs;
    }

    public List<String> leads() {
        return leads;
    }

    /**
     * ADC units per mV each lead is published at: the record's own gain, so replayed samples stay
     * exact, except for a lead whose samples would not fit in int16 at it ({@link #publishingGain}).
     */
    public float[] gains() {
        return gain.clone();
    }

    public int length() {
        return adc.length == 0 ? 0 : adc[0].length;
    }

    /** Truth of one pass, sorted by onset. */
    public List<TruthEvent> truth() {
        return truth;
    }

    /** Copies {@code n} samples of every lead from {@code from} (within one pass) into {@code out} at {@code off}, in mV. */
    void copyMillivolts(int from, int n, float[][] out, int off) {
        for (int k = 0; k < adc.length; k++) {
            int[] a = adc[k];
            float[] o = out[k];
            int b = baseline[k];
            float s = toMv[k];
            boolean check = checkInvalid[k];
            for (int i = 0; i < n; i++) {
                int v = a[from + i];
                o[off + i] = check && v == WfdbRecord.INVALID_SAMPLE ? Float.NaN : (v - b) * s;
            }
        }
    }
}
