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

/**
 * An archived WFDB record loaded for replay (MIT-BIH, PTB-XL, CinC 2021, CPSC 2021, ... anything
 * ecg-core reads): its raw ADC samples, how to turn them into mV, and the ground truth of one pass
 * from its reference annotations: rhythm episodes ({@code (VT} ... next change) and, as chosen,
 * beats. Immutable, so several replayed patients can share one record.
 */
public final class ReplayRecord {

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
            gain[i] = (float) (s.adcGain() / unit);
            toMv[i] = (float) (unit / s.adcGain());
            check[i] = s.format() != 80 && s.format() != 8 && s.format() != 310 && s.format() != 311;
            names.add(leadName(s.description()));
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

    /** ADC units per mV of each lead (the record's own gain, so replayed samples stay exact). */
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
