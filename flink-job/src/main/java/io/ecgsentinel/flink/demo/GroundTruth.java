package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.synth.TruthBeat;
import io.ecgsentinel.core.synth.TruthEpisode;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.labels.RhythmEpisodes;
import io.ecgsentinel.flink.demo.AlarmScorer.Kind;
import io.ecgsentinel.flink.demo.AlarmScorer.Truth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns ground truth into {@link Truth} episodes with the alarm definitions applied: the synthetic
 * generator's exact episodes, or a replayed record's rhythm annotations ({@code (VT}, {@code (AFIB},
 * ...). Times are seconds from the start of the patient's stream.
 */
public final class GroundTruth {

    static final double AF_MIN_S = 30;

    private GroundTruth() {}

    public static List<Truth> synthetic(String patient, List<TruthEpisode> episodes, List<TruthBeat> beats, double fs) {
        List<Truth> out = new ArrayList<>();
        for (TruthEpisode e : episodes) {
            double on = e.onsetSample() / fs;
            double end = e.endSample() / fs;
            double dur = end - on;
            double rate = rate(e.detail(), e.type().defaultRate());
            String label = e.type().name();
            switch (e.type()) {
                case VT -> {
                    long v = beats.stream().filter(b -> b.sample() >= e.onsetSample() && b.sample() < e.endSample()
                            && b.symbol().equals("V")).count();
                    out.add(new Truth(patient, Kind.VENTRICULAR_TACHYCARDIA, on, end, v >= 5,
                            EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA), label));
                }
                case VF -> out.add(new Truth(patient, Kind.VENTRICULAR_FIBRILLATION, on, end, dur >= 4,
                        EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA, Kind.ASYSTOLE,
                                Kind.EXTREME_BRADYCARDIA), label));
                case ASYSTOLE -> out.add(new Truth(patient, Kind.ASYSTOLE, on, end, dur >= 4,
                        EnumSet.of(Kind.EXTREME_BRADYCARDIA), label));
                case AFIB -> out.add(new Truth(patient, Kind.ATRIAL_FIBRILLATION, on, end, dur >= AF_MIN_S,
                        EnumSet.of(Kind.EXTREME_TACHYCARDIA), label));
                case SVT, TACHY -> out.add(new Truth(patient, Kind.EXTREME_TACHYCARDIA, on, end,
                        rate > 140 && dur * rate / 60 >= 17, EnumSet.noneOf(Kind.class), label));
                case BRADY -> out.add(new Truth(patient, Kind.EXTREME_BRADYCARDIA, on, end,
                        rate < 40 && dur * rate / 60 >= 5, EnumSet.noneOf(Kind.class), label));
                case LEAD_OFF -> out.add(new Truth(patient, Kind.LEAD_OFF, on, end, true, EnumSet.noneOf(Kind.class),
                        label));
                case NOISE -> out.add(new Truth(patient, null, on, end, false, EnumSet.of(Kind.LEAD_OFF), label));
                default -> { } // PVCs, bigeminy, ST changes, pacing: no scored alarm
            }
        }
        return out;
    }

    /** Truth from a record's reference annotations. */
    public static List<Truth> fromAnnotations(String patient, List<Annotation> ann, long length, double fs) {
        List<Truth> out = new ArrayList<>();
        for (RhythmEpisodes.Episode e : RhythmEpisodes.of(ann, length)) {
            double on = e.start() / fs;
            double end = e.end() / fs;
            long beats = ann.stream().filter(a -> a.isBeat() && a.sample() >= e.start() && a.sample() < e.end()).count();
            long vBeats = ann.stream().filter(a -> a.code() == AnnotationCodes.PVC && a.sample() >= e.start()
                    && a.sample() < e.end()).count();
            double rate = beats > 1 ? 60 * (beats - 1) / Math.max(1e-9, end - on) : Double.NaN;
            String label = "(" + e.rhythm();
            switch (e.rhythm()) {
                case "VT" -> out.add(new Truth(patient, Kind.VENTRICULAR_TACHYCARDIA, on, end, vBeats >= 5,
                        EnumSet.of(Kind.EXTREME_TACHYCARDIA), label + " " + vBeats + " V beats"));
                case "VFL", "VF" -> out.add(new Truth(patient, Kind.VENTRICULAR_FIBRILLATION, on, end, end - on >= 4,
                        EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA, Kind.ASYSTOLE), label));
                case "AFIB" -> out.add(new Truth(patient, Kind.ATRIAL_FIBRILLATION, on, end, end - on >= AF_MIN_S,
                        EnumSet.of(Kind.EXTREME_TACHYCARDIA), label));
                case "AFL" -> out.add(new Truth(patient, null, on, end, false,
                        EnumSet.of(Kind.ATRIAL_FIBRILLATION, Kind.EXTREME_TACHYCARDIA), label));
                case "SVTA" -> out.add(new Truth(patient, Kind.EXTREME_TACHYCARDIA, on, end,
                        rate > 140 && beats >= 17, EnumSet.of(Kind.ATRIAL_FIBRILLATION), label));
                case "SBR" -> out.add(new Truth(patient, Kind.EXTREME_BRADYCARDIA, on, end,
                        rate < 40 && beats >= 5, EnumSet.noneOf(Kind.class), label));
                case "ASYS" -> out.add(new Truth(patient, Kind.ASYSTOLE, on, end, end - on >= 4,
                        EnumSet.of(Kind.EXTREME_BRADYCARDIA), label));
                case "IVR" -> out.add(new Truth(patient, null, on, end, false, Set.of(Kind.VENTRICULAR_TACHYCARDIA),
                        label));
                default -> { }
            }
        }
        return out;
    }

    private static double rate(String detail, double fallback) {
        if (detail != null) {
            for (String part : detail.split("[ ,;]+")) {
                if (part.startsWith("rate=")) {
                    try {
                        return Double.parseDouble(part.substring(5));
                    } catch (NumberFormatException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }
}
