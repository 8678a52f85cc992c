package io.ecgsentinel.flink.demo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores raised alarms against ground truth, per alarm type and over all types. A truth episode is
 * <em>required</em> to alarm when it meets the alarm's definition (a VT run of at least 5 beats, AF of
 * at least 30 s, ...); the first alarm of its type raised between {@value #EARLY_S} s before its onset
 * and {@value #LATE_S} s after its end, or one already active at its onset, is a hit (TP) with delay =
 * max(0, raise time - onset). An alarm matching
 * an episode that is not required, or lying inside an episode whose rhythm implies it (tachycardia
 * inside VT), is neither a hit nor a false alarm. Any other alarm of a scored type is a false alarm
 * (FP); a required episode without a hit is a miss (FN). Times are seconds on one clock per patient.
 */
public final class AlarmScorer {

    static final double EARLY_S = 2.0;
    static final double LATE_S = 10.0;

    /** Alarm types that are scored, in table order. */
    public enum Kind {
        ASYSTOLE, VENTRICULAR_FIBRILLATION, VENTRICULAR_TACHYCARDIA, EXTREME_BRADYCARDIA, EXTREME_TACHYCARDIA,
        ATRIAL_FIBRILLATION, LEAD_OFF
    }

    /**
     * One truth episode.
     *
     * @param kind the alarm type it calls for, or null when it calls for none but excuses {@code excuses}
     * @param required whether it meets the alarm definition
     * @param excuses alarm types an alarm inside it is not blamed for
     */
    public record Truth(String patient, Kind kind, double onset, double end, boolean required, Set<Kind> excuses,
            String label) {}

    /**
     * One alarm episode: its type name, the event time it was raised at and cleared at (seconds;
     * +infinity while still active).
     */
    public record Raised(String patient, String type, double raisedAt, double onset, double clearedAt) {}

    /** Per-type result. */
    public record Row(Kind kind, int episodes, int required, int tp, int fp, int fn, List<Double> delays) {}

    private final Map<Kind, Row> rows = new EnumMap<>(Kind.class);
    private final List<Double> allDelays = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    private int unscored;

    public AlarmScorer(List<Truth> truth, List<Raised> alarms) {
        for (Kind k : Kind.values()) {
            List<Truth> ofKind = truth.stream().filter(t -> t.kind() == k).toList();
            int required = (int) ofKind.stream().filter(Truth::required).count();
            List<Double> delays = new ArrayList<>();
            boolean[] hit = new boolean[ofKind.size()];
            int fp = 0;
            for (Raised a : alarms) {
                if (!a.type().equals(k.name())) {
                    continue;
                }
                boolean matched = false;
                for (int i = 0; i < ofKind.size(); i++) {
                    Truth t = ofKind.get(i);
                    // raised during the episode (or just around it), or already active when it began
                    boolean raisedIn = a.raisedAt() >= t.onset() - EARLY_S && a.raisedAt() <= t.end() + LATE_S;
                    boolean activeAtOnset = a.raisedAt() < t.onset() && a.clearedAt() >= t.onset();
                    if (t.patient().equals(a.patient()) && (raisedIn || activeAtOnset)) {
                        matched = true;
                        if (t.required() && !hit[i]) {
                            hit[i] = true;
                            delays.add(Math.max(0, a.raisedAt() - t.onset()));
                        }
                    }
                }
                if (!matched) {
                    boolean excused = truth.stream().anyMatch(t -> t.patient().equals(a.patient())
                            && t.excuses().contains(k) && a.raisedAt() >= t.onset() - EARLY_S
                            && a.raisedAt() <= t.end() + LATE_S);
                    if (!excused) {
                        fp++;
                        details.add(String.format(Locale.ROOT, "FP %s %s raised at %.1f s", k, a.patient(), a.raisedAt()));
                    }
                }
            }
            int tp = 0;
            int fn = 0;
            for (int i = 0; i < ofKind.size(); i++) {
                if (!ofKind.get(i).required()) {
                    continue;
                }
                if (hit[i]) {
                    tp++;
                } else {
                    fn++;
                    Truth t = ofKind.get(i);
                    details.add(String.format(Locale.ROOT, "FN %s %s %s at %.1f-%.1f s", k, t.patient(), t.label(),
                            t.onset(), t.end()));
                }
            }
            rows.put(k, new Row(k, ofKind.size(), required, tp, fp, fn, delays));
            allDelays.addAll(delays);
        }
        Set<String> scored = new java.util.HashSet<>();
        for (Kind k : Kind.values()) {
            scored.add(k.name());
        }
        unscored = (int) alarms.stream().filter(a -> !scored.contains(a.type())).count();
    }

    public Map<Kind, Row> rows() {
        return rows;
    }

    public int tp() {
        return rows.values().stream().mapToInt(Row::tp).sum();
    }

    public int fp() {
        return rows.values().stream().mapToInt(Row::fp).sum();
    }

    public int fn() {
        return rows.values().stream().mapToInt(Row::fn).sum();
    }

    public List<String> details() {
        return details;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    static String secs(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The table, ending with the exact ALARMS line. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-26s %8s %8s %4s %4s %4s %12s %10s%n", "alarm type", "episodes",
                "required", "TP", "FP", "FN", "median delay", "max delay"));
        for (Row r : rows.values()) {
            b.append(String.format(Locale.ROOT, "%-26s %8d %8d %4d %4d %4d %12s %10s%n", r.kind(), r.episodes(),
                    r.required(), r.tp(), r.fp(), r.fn(), secs(median(r.delays())),
                    secs(r.delays().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))));
        }
        if (unscored > 0) {
            b.append(String.format(Locale.ROOT, "(%d informational alarms not scored: ventricular runs, unusable signal)%n",
                    unscored));
        }
        b.append(alarmsLine());
        return b.toString();
    }

    public String alarmsLine() {
        return "ALARMS TP=" + tp() + " FP=" + fp() + " FN=" + fn() + " MEDIAN_DELAY_S=" + secs(median(allDelays))
                + " MAX_DELAY_S=" + secs(allDelays.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }
}
