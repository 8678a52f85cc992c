package io.ecgsentinel.flink.demo;

import io.ecgsentinel.core.labels.RhythmEpisodes;
import io.ecgsentinel.core.synth.EventType;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.flink.demo.AlarmScorer.Kind;
import io.ecgsentinel.flink.demo.AlarmScorer.Truth;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the ground truth the device simulator published ({@link GroundTruthEvent}s, as its
 * {@code SimulationRunner} hands them to the publisher) into {@link Truth} episodes with the alarm
 * definitions applied. For synthetic patients that is every scheduled episode of the generator
 * ({@code VT}, {@code ASYSTOLE}, ... with {@code PVC} events for the ventricular beats when the
 * patient publishes ectopic beats); for replayed records it is the record's rhythm annotations
 * ({@code (VT}, {@code (AFIB}, ... as the detail of each rhythm episode) and its beats ({@code BEAT}
 * events with the WFDB symbol as detail, when the record publishes all beats), and where those beats
 * alone meet a rate alarm's definition ({@link #rateSpans(String, double[])}). Times are seconds
 * from {@code t0Micros}, the run's start, the clock the alarms are measured on.
 */
public final class GroundTruth {

    static final double AF_MIN_S = 30;
    /** Consecutive reference beats whose rate meets the extreme bradycardia definition. */
    static final int BRADY_BEATS = 5;
    /** Consecutive reference beats whose rate meets the extreme tachycardia definition. */
    static final int TACHY_BEATS = 17;
    /** Label prefix of the spans {@link #rateSpans(String, double[])} gives. */
    static final String RATE_SPAN_LABEL = "reference beats";

    private GroundTruth() {}

    /** Truth of synthetic patients from their published events (those of other sources are ignored). */
    public static List<Truth> synthetic(List<GroundTruthEvent> events, long t0Micros) {
        List<Truth> out = new ArrayList<>();
        for (var patient : byPatient(events, true).entrySet()) {
            List<GroundTruthEvent> ev = patient.getValue();
            for (GroundTruthEvent e : ev) {
                double on = seconds(e.getOnsetMicros(), t0Micros);
                double end = seconds(e.getEndMicros(), t0Micros);
                double dur = end - on;
                String code = e.getEventType();
                String label = code;
                String p = patient.getKey();
                switch (code) {
                    case "VT" -> {
                        long v = ev.stream().filter(b -> b.getEventType().equals("PVC") && "V".equals(b.getDetail())
                                && within(b, e.getOnsetMicros(), e.getEndMicros())).count();
                        out.add(new Truth(p, Kind.VENTRICULAR_TACHYCARDIA, on, end, v >= 5,
                                EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA), label));
                    }
                    case "VF" -> out.add(new Truth(p, Kind.VENTRICULAR_FIBRILLATION, on, end, dur >= 4,
                            EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA, Kind.ASYSTOLE,
                                    Kind.EXTREME_BRADYCARDIA), label));
                    case "ASYSTOLE" -> out.add(new Truth(p, Kind.ASYSTOLE, on, end, dur >= 4,
                            EnumSet.of(Kind.EXTREME_BRADYCARDIA), label));
                    case "AFIB" -> out.add(new Truth(p, Kind.ATRIAL_FIBRILLATION, on, end, dur >= AF_MIN_S,
                            EnumSet.of(Kind.EXTREME_TACHYCARDIA), label));
                    case "SVTA", "TACHY" -> {
                        double rate = rate(e.getDetail(), defaultRate(code));
                        out.add(new Truth(p, Kind.EXTREME_TACHYCARDIA, on, end, rate > 140 && dur * rate / 60 >= 17,
                                EnumSet.noneOf(Kind.class), label));
                    }
                    case "BRADY" -> {
                        double rate = rate(e.getDetail(), defaultRate(code));
                        out.add(new Truth(p, Kind.EXTREME_BRADYCARDIA, on, end, rate < 40 && dur * rate / 60 >= 5,
                                EnumSet.noneOf(Kind.class), label));
                    }
                    case "LEAD_OFF" -> out.add(new Truth(p, Kind.LEAD_OFF, on, end, true, EnumSet.noneOf(Kind.class),
                            label));
                    case "NOISE" -> out.add(new Truth(p, null, on, end, false, EnumSet.of(Kind.LEAD_OFF), label));
                    default -> { } // PVCs, bigeminy, ST changes, pacing: no scored alarm
                }
            }
        }
        return out;
    }

    /**
     * Truth of replayed records from their published events: the rhythm episodes (events whose
     * detail is the annotation's rhythm label, {@code (VT}), cut at the end of what was replayed
     * ({@code streamEndMicros} by patient; episodes starting after it are dropped), with the rate
     * and ventricular beats counted from the {@code BEAT} events.
     */
    public static List<Truth> replayed(List<GroundTruthEvent> events, long t0Micros,
            Map<String, Long> streamEndMicros) {
        List<Truth> out = new ArrayList<>();
        for (var patient : byPatient(events, false).entrySet()) {
            String p = patient.getKey();
            List<GroundTruthEvent> ev = patient.getValue();
            long stop = streamEndMicros.getOrDefault(p, Long.MAX_VALUE);
            List<GroundTruthEvent> beatEvents = ev.stream().filter(b -> b.getEventType().equals("BEAT")).toList();
            for (GroundTruthEvent e : ev) {
                String detail = e.getDetail();
                if (e.getEventType().equals("BEAT") || detail == null || !detail.startsWith("(")
                        || e.getOnsetMicros() >= stop) {
                    continue;
                }
                long onUs = e.getOnsetMicros();
                long endUs = Math.min(e.getEndMicros(), stop);
                double on = seconds(onUs, t0Micros);
                double end = seconds(endUs, t0Micros);
                long beats = beatEvents.stream().filter(b -> within(b, onUs, endUs)).count();
                long vBeats = beatEvents.stream().filter(b -> "V".equals(b.getDetail()) && within(b, onUs, endUs))
                        .count();
                rhythmTruth(p, detail.substring(1), on, end, beats, vBeats).ifPresent(out::add);
            }
            double[] beatTimes = beatEvents.stream().filter(b -> b.getOnsetMicros() < stop)
                    .mapToDouble(b -> seconds(b.getOnsetMicros(), t0Micros)).sorted().toArray();
            out.addAll(rateSpans(p, beatTimes));
        }
        return out;
    }

    /**
     * Where the reference beats themselves meet a rate alarm's definition: every span of {@value
     * #BRADY_BEATS} consecutive beats under 40 bpm (from the first beat to the last) excuses an
     * extreme bradycardia alarm, and every span of {@value #TACHY_BEATS} over 140 bpm an extreme
     * tachycardia one; overlapping spans are merged. They excuse and never require: the alarm's own
     * definition holds there, but the record's annotations mark no episode (MIT-BIH labels a nodal
     * rhythm at 38 bpm {@code (NOD} and an idioventricular escape at 25 bpm {@code (IVR}, and
     * annotates non-conducted P waves, not a bradycardia), so an alarm there is neither a hit nor a
     * false alarm. {@code beatTimes} ascending, in seconds.
     */
    static List<Truth> rateSpans(String patient, double[] beatTimes) {
        List<Truth> out = new ArrayList<>();
        out.addAll(rateSpans(patient, beatTimes, BRADY_BEATS, true));
        out.addAll(rateSpans(patient, beatTimes, TACHY_BEATS, false));
        return out;
    }

    private static List<Truth> rateSpans(String patient, double[] t, int beats, boolean slow) {
        List<Truth> out = new ArrayList<>();
        double on = Double.NaN;
        double end = Double.NaN;
        for (int i = 0; i + beats - 1 < t.length; i++) {
            double span = t[i + beats - 1] - t[i];
            double bpm = span > 0 ? 60.0 * (beats - 1) / span : Double.POSITIVE_INFINITY;
            if (slow ? bpm < 40 : bpm > 140) {
                if (!Double.isNaN(end) && t[i] <= end) {
                    end = Math.max(end, t[i + beats - 1]);
                } else {
                    if (!Double.isNaN(on)) {
                        out.add(rateSpan(patient, on, end, slow));
                    }
                    on = t[i];
                    end = t[i + beats - 1];
                }
            }
        }
        if (!Double.isNaN(on)) {
            out.add(rateSpan(patient, on, end, slow));
        }
        return out;
    }

    private static Truth rateSpan(String patient, double on, double end, boolean slow) {
        return new Truth(patient, null, on, end, false,
                EnumSet.of(slow ? Kind.EXTREME_BRADYCARDIA : Kind.EXTREME_TACHYCARDIA),
                RATE_SPAN_LABEL + (slow ? " under 40 bpm" : " over 140 bpm"));
    }

    /**
     * Truth from a record's reference annotations ({@code length} samples of it at {@code fs}), on the
     * record's sample clock: what {@link #replayed} gives for a replay of those samples that started at 0.
     */
    public static List<Truth> fromAnnotations(String patient, List<Annotation> ann, long length, double fs) {
        List<Truth> out = new ArrayList<>();
        for (RhythmEpisodes.Episode e : RhythmEpisodes.of(ann, length)) {
            long beats = ann.stream().filter(a -> a.isBeat() && a.sample() >= e.start() && a.sample() < e.end()).count();
            long vBeats = ann.stream().filter(a -> a.code() == AnnotationCodes.PVC && a.sample() >= e.start()
                    && a.sample() < e.end()).count();
            rhythmTruth(patient, e.rhythm(), e.start() / fs, e.end() / fs, beats, vBeats).ifPresent(out::add);
        }
        out.addAll(rateSpans(patient, ann.stream().filter(a -> a.isBeat() && a.sample() < length)
                .mapToDouble(a -> a.sample() / fs).sorted().toArray()));
        return out;
    }

    /**
     * One rhythm episode of a record ({@code rhythm} = its annotation label without the parenthesis)
     * with the alarm definitions applied, from its beats and ventricular beats; empty for rhythms no
     * alarm is about.
     */
    static Optional<Truth> rhythmTruth(String p, String rhythm, double on, double end, long beats, long vBeats) {
        double rate = beats > 1 ? 60 * (beats - 1) / Math.max(1e-9, end - on) : Double.NaN;
        String label = "(" + rhythm;
        return Optional.ofNullable(switch (rhythm) {
            case "VT" -> new Truth(p, Kind.VENTRICULAR_TACHYCARDIA, on, end, vBeats >= 5,
                    EnumSet.of(Kind.EXTREME_TACHYCARDIA), label + " " + vBeats + " V beats");
            case "VFL", "VF" -> new Truth(p, Kind.VENTRICULAR_FIBRILLATION, on, end, end - on >= 4,
                    EnumSet.of(Kind.VENTRICULAR_TACHYCARDIA, Kind.EXTREME_TACHYCARDIA, Kind.ASYSTOLE), label);
            case "AFIB" -> new Truth(p, Kind.ATRIAL_FIBRILLATION, on, end, end - on >= AF_MIN_S,
                    EnumSet.of(Kind.EXTREME_TACHYCARDIA), label);
            case "AFL" -> new Truth(p, null, on, end, false,
                    EnumSet.of(Kind.ATRIAL_FIBRILLATION, Kind.EXTREME_TACHYCARDIA), label);
            case "SVTA" -> new Truth(p, Kind.EXTREME_TACHYCARDIA, on, end, rate > 140 && beats >= 17,
                    EnumSet.of(Kind.ATRIAL_FIBRILLATION), label);
            case "SBR" -> new Truth(p, Kind.EXTREME_BRADYCARDIA, on, end, rate < 40 && beats >= 5,
                    EnumSet.noneOf(Kind.class), label);
            case "ASYS" -> new Truth(p, Kind.ASYSTOLE, on, end, end - on >= 4, EnumSet.of(Kind.EXTREME_BRADYCARDIA),
                    label);
            case "IVR" -> new Truth(p, null, on, end, false, Set.of(Kind.VENTRICULAR_TACHYCARDIA), label);
            default -> null;
        });
    }

    /** Events by patient in publication order, of synthetic patients or of replayed records. */
    private static Map<String, List<GroundTruthEvent>> byPatient(List<GroundTruthEvent> events, boolean synthetic) {
        Map<String, List<GroundTruthEvent>> by = new LinkedHashMap<>();
        for (GroundTruthEvent e : events) {
            if ("synthetic".equals(e.getSource()) == synthetic) {
                by.computeIfAbsent(e.getPatientId(), k -> new ArrayList<>()).add(e);
            }
        }
        return by;
    }

    private static boolean within(GroundTruthEvent point, long fromMicros, long toMicros) {
        return point.getOnsetMicros() >= fromMicros && point.getOnsetMicros() < toMicros;
    }

    private static double seconds(long micros, long t0Micros) {
        return (micros - t0Micros) / 1e6;
    }

    private static double defaultRate(String truthCode) {
        for (EventType t : EventType.values()) {
            if (t.truthCode().equals(truthCode)) {
                return t.defaultRate();
            }
        }
        return Double.NaN;
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
