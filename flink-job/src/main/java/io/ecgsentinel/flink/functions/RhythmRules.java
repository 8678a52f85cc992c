package io.ecgsentinel.flink.functions;

import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.schemas.avro.AlertType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The alarm rules, as pure functions of a patient's recent beats ({@link DeciderState}) and the
 * newest window analysis, with the usual definitions:
 *
 * <ul>
 *   <li>asystole: no QRS for at least {@value #ASYSTOLE_SECONDS} s of usable, gap-free signal;
 *   <li>extreme bradycardia: under 40 bpm over the last 5 beats;
 *   <li>extreme tachycardia: over 140 bpm over the last 17 beats;
 *   <li>ventricular tachycardia: at least 5 consecutive ventricular beats at over 100 bpm (a run of
 *       3-4 is a lower-priority ventricular run); see {@link #ventricular} for the beat verdict
 *       (the model's, once it has scored the beat; before that, or without a model, a QRS at least
 *       120 ms and 20 ms wider than the patient's own narrow beats); with a model, a run needs
 *       beats the model has confirmed, one of them V by the model's own beat rule; never from
 *       narrow complexes (median QRS under {@value #RUN_MIN_MEDIAN_QRS_MS} ms);
 *   <li>ventricular fibrillation: a large 3-8 Hz oscillation without an organised rhythm;
 *   <li>atrial fibrillation: irregularly irregular RR (median successive RR change over
 *       {@value #AF_MIN_INTERVALS}+ intervals between non-ventricular beats at least
 *       {@value #AF_MEDIAN_DRR} of the mean RR), or the model's AF score;
 *   <li>technical: lead-off (device flag or quality) and unusable signal (no usable lead).
 * </ul>
 *
 * Bad signal suppresses the rhythm rules: with no usable lead they report nothing either way.
 */
final class RhythmRules {

    static final double ASYSTOLE_SECONDS = 4.0;
    static final double MODEL_V_WIDE = 0.1;
    /** P(V) a beat the model's rule calls V needs when its QRS is not wide. */
    static final double MODEL_V_NARROW = 0.5;
    /** Share of a ventricular run's beats that must be ventricular (the rest single other beats). */
    static final double RUN_V_SHARE = 0.7;
    /** How many of the newest beats a ventricular run may end at. */
    static final int RUN_END_CANDIDATES = 8;
    /**
     * How much faster than the detected beats of a ventricular run the signal's own period may be and
     * still count the run's beats from it (the detector misses some beats of a fast wide-complex
     * rhythm). Measured on the MIT-BIH replay (ReplayScore, 26 records): without a bound, noise and
     * artefact periods of 200-250 bpm turned 3-4 detected ectopics into "VT" (24 false VT alarms);
     * 1.3 and 1.6 both leave 11-13 with the same true alarms.
     */
    static final double PERIODIC_MAX_RATIO = 1.5;
    /**
     * A VF-like oscillation with regular beats is organised (VT) below this rate and ventricular
     * flutter (a VF alarm) above it. MIT-BIH 207's flutter runs at 180-197 bpm and so gets a VT
     * alarm, which the replay scores as a missed VF; 175 bpm catches one of its two episodes but
     * turned the generator's VT at 189 bpm into VF alarms (ReplayScore on `./ecg simulate --preset
     * vt` records), and fast VT is the likelier of the two on unseen patients.
     */
    static final double FLUTTER_BPM = 220;
    /**
     * A ventricular run whose median QRS width is below this is a narrow-complex rhythm, not a
     * ventricular one, and raises nothing. A ventricular beat's QRS is 120 ms or more; the width this
     * job measures on 2-lead MIT-BIH reads the true VT runs of 223 at 94-100 ms and every other true
     * VT at 114 ms or more (the replay's alert texts), so the gate sits below them. It removes what a
     * model alone can turn into "VT": on the CinC 2021 records (12 leads, never trained on), sinus
     * tachycardia at 110 bpm whose every beat the model called ventricular (right ventricular
     * hypertrophy, P(V) 0.96, median QRS 74 ms) raised a VT alarm.
     */
    static final double RUN_MIN_MEDIAN_QRS_MS = 85;
    static final int AF_MIN_INTERVALS = 16;
    static final double AF_MEDIAN_DRR = 0.12;

    private RhythmRules() {}

    /**
     * Whether beat {@code i} is ventricular. Unscored beats (no model, or not scored yet: the model
     * lags the rules by a second) are judged by the width rule. Scored beats are judged by the model:
     * its beat decision rule (the one {@code ecg evaluate} scores) calls them V, or they are wide and
     * the model gives them at least {@value #MODEL_V_WIDE} P(V). Measured on the MIT-BIH replay
     * (see flink-job/README.md): the width rule alone turned noise and wide sinus beats into dozens
     * of false VT alarms, which the model's verdict removes.
     */
    static boolean ventricular(DeciderState s, int i) {
        float modelV = s.beatModelV[i];
        if (Float.isNaN(modelV)) {
            return wide(s, i);
        }
        return modelV > 0.5f || (wide(s, i) && s.beatVProb[i] >= MODEL_V_WIDE);
    }

    /** QRS at least 120 ms and 20 ms wider than the patient's own narrow beats. */
    private static boolean wide(DeciderState s, int i) {
        return s.beatWide[i] && (Float.isNaN(s.baselineWidthMs) || s.beatWidthMs[i] >= s.baselineWidthMs + 20);
    }

    /**
     * The stricter verdict ventricular runs use: the beat rule calls a premature beat V from P(V) >=
     * 0.2, and in AF every other beat is premature, so a narrow beat the rule calls V also needs
     * P(V) >= {@value #MODEL_V_NARROW} (measured: simulated AF at 110 bpm raised VT from narrow
     * beats). The AF rule keeps the broader {@link #ventricular} to leave ectopic beats out of its
     * RR intervals.
     */
    static boolean runVentricular(DeciderState s, int i) {
        return ventricular(s, i)
                && (Float.isNaN(s.beatModelV[i]) || wide(s, i) || s.beatVProb[i] >= MODEL_V_NARROW);
    }

    /** Whether beat {@code i} is ventricular by the model's verdict (scored), not provisionally. */
    static boolean confirmedVentricular(DeciderState s, int i) {
        return !Float.isNaN(s.beatModelV[i]) && runVentricular(s, i);
    }

    static Map<AlertType, Evidence> evaluate(DeciderState s, WindowAnalysis a) {
        Map<AlertType, Evidence> e = new EnumMap<>(AlertType.class);
        String[] usable = a.usableLeadNames();
        long end = a.readyUpToMicros();
        int n = s.beatMicros.length;

        // technical alarms
        if (a.leadOffLeads().length > 0) {
            boolean all = a.leadOffLeads().length == a.totalLeads();
            e.put(AlertType.LEAD_OFF, new Evidence(AlertType.LEAD_OFF, true, a.windowEndMicros(), Float.NaN, Float.NaN,
                    a.leadOffLeads(), a.windowStartMicros(), a.windowEndMicros(),
                    (all ? "All leads off: " : "Lead off: ") + String.join(", ", a.leadOffLeads()), false));
        }
        boolean noSignal = a.usableLeads() == 0;
        if (noSignal && a.leadOffLeads().length < a.totalLeads() && !Float.isNaN(a.qualityIndex())) {
            e.put(AlertType.UNUSABLE_SIGNAL, new Evidence(AlertType.UNUSABLE_SIGNAL, true, a.windowEndMicros(),
                    Float.NaN, a.qualityIndex(), new String[0], a.windowStartMicros(), a.windowEndMicros(),
                    String.format(Locale.ROOT, "No usable lead (mean quality index %.2f)", a.qualityIndex()), false));
        }
        if (noSignal) {
            return e; // arrhythmia rules cannot judge bad signal: neither raise nor clear
        }

        // a strong fast period in a large signal while the detector reports nothing: an organised
        // rhythm the detector cannot follow (wide complexes), never asystole
        long lastBeat = n > 0 ? s.beatMicros[n - 1] : Long.MIN_VALUE;
        boolean undetectedRhythm = a.periodicity() >= 0.7 && a.periodicBpm() > 100 && a.amplitudeMv() >= 0.05
                && lastBeat != Long.MIN_VALUE && end - lastBeat >= 2_000_000L;
        if (undetectedRhythm) {
            double period = 60e6 / a.periodicBpm();
            long onset = lastBeat + Math.round(period);
            int beats = 1 + (int) Math.floor((end - onset) / period);
            if (beats >= 3) {
                AlertType t = beats >= 5 ? AlertType.VENTRICULAR_TACHYCARDIA : AlertType.VENTRICULAR_RUN;
                e.put(t, new Evidence(t, true, onset, a.periodicBpm(), Float.NaN, usable, onset, end,
                        String.format(Locale.ROOT, "Regular wide-complex rhythm at %.0f bpm (periodicity %.2f) for %.1f s"
                                + " that the QRS detector cannot follow", a.periodicBpm(), a.periodicity(),
                                (end - onset) / 1e6), false));
            }
            return e;
        }

        // asystole: no beat for >= 4 s of gap-free signal
        long since = Math.max(lastBeat, a.lastGapMicros());
        if (since != Long.MIN_VALUE && end - since >= ASYSTOLE_SECONDS * 1e6 && lastBeat != Long.MIN_VALUE
                && lastBeat >= a.lastGapMicros()) {
            double secs = (end - lastBeat) / 1e6;
            e.put(AlertType.ASYSTOLE, new Evidence(AlertType.ASYSTOLE, true, lastBeat, Float.NaN, Float.NaN, usable,
                    lastBeat, end, String.format(Locale.ROOT, "No QRS complex for %.1f s on %s", secs,
                            String.join(", ", usable)), false));
        }

        // ventricular runs at the end of the beat history. A beat classifier misses some beats of a
        // run (multiform VT), so a run may contain single non-ventricular beats as long as at least
        // RUN_V_SHARE of its beats are ventricular; two non-ventricular beats in a row end it (so
        // bigeminy and trigeminy never make a run). The detector, tuned to narrow complexes, misses
        // many beats of a fast wide-complex rhythm, so the rate comes from the beats when they are
        // dense enough and otherwise from the signal's own period, and the beat count from the run's
        // duration at that rate
        // with a model, the newest beats are not scored yet (the model lags by a second): a run may end
        // at the newest scored beat, followed only by beats whose provisional verdict is not ventricular
        int last = n - 1;
        if (s.modelServed) {
            while (last >= 0 && Float.isNaN(s.beatModelV[last]) && !runVentricular(s, last)) {
                last--;
            }
        }
        // the run may also have ended a little before the newest scored beat: its beats are confirmed
        // in batches, so the longest run ending at one of the last RUN_END_CANDIDATES beats counts
        int first = last + 1;
        int vBeats = 0;
        int other = 0;
        int runEnd = last;
        for (int k = last; k >= Math.max(0, last - RUN_END_CANDIDATES + 1); k--) {
            if (!runVentricular(s, k)) {
                continue;
            }
            int v = 0;
            int x = 0;
            for (int i = k; i >= 0; i--) {
                if (runVentricular(s, i)) {
                    v++;
                    // the earliest start that keeps the share and the run above 100 bpm (extending a run
                    // of consecutive ventricular beats back into slower bigeminy would dilute its rate)
                    if (v > vBeats && v >= RUN_V_SHARE * (v + x) && (i == k || runRate(s, a, i, k) > 100)) {
                        first = i;
                        vBeats = v;
                        other = x;
                        runEnd = k;
                    }
                } else if (!runVentricular(s, i + 1)) {
                    break;
                } else {
                    x++;
                }
            }
        }
        last = runEnd;
        int run = vBeats;
        boolean model = false;
        long runRecent = s.modelServed ? 3_500_000L : 2_500_000L;
        if (run >= 2 && s.beatMicros[last] >= end - runRecent) {
            double rate = runRate(s, a, first, last);
            boolean periodic = rate != beatRate(s, first, last);
            double duration = (end - s.beatMicros[first]) / 1e6;
            int beats = periodic ? Math.max(run, 1 + (int) Math.floor(duration * rate / 60 + 1e-9)) : run;
            int confirmed = 0;
            for (int i = first; i <= last; i++) {
                model |= !Float.isNaN(s.beatModelV[i]) && s.beatModelV[i] > 0.5f;
                confirmed += confirmedVentricular(s, i) ? 1 : 0;
            }
            // with a model, a run needs beats the model has confirmed (not only provisional wide ones),
            // and at least one its beat decision rule calls V: wide beats the model gives only some
            // P(V) fill out a run the model has seen start, they do not make one. Without that, sinus
            // tachycardia with wide-measured complexes that the model calls normal throughout (CinC
            // 2021 E07502 and E07514, mean P(V) 0.34 and 0.56, every beat N by the beat rule) raised VT;
            // every VT alarm of the MIT-BIH replay has such a beat
            boolean confirmedRun = !s.modelServed || (confirmed >= Math.min(3, run) && model);
            float[] w = Arrays.copyOfRange(s.beatWidthMs, first, last + 1);
            Arrays.sort(w); // NaN (width not measured) sorts last
            boolean narrow = w[w.length / 2] < RUN_MIN_MEDIAN_QRS_MS;
            if (rate > 100 && beats >= 3 && confirmedRun && !narrow) {
                AlertType t = beats >= 5 ? AlertType.VENTRICULAR_TACHYCARDIA : AlertType.VENTRICULAR_RUN;
                e.put(t, new Evidence(t, true, s.beatMicros[first], (float) rate, Float.NaN, usable,
                        s.beatMicros[first], end,
                        String.format(Locale.ROOT, "%d ventricular beats%s at %.0f bpm (median QRS %.0f ms%s)",
                                beats, other > 0 ? " (" + other + " other)" : "", rate, w[w.length / 2],
                                model ? ", model ventricular class" : ""), model));
            }
        }

        // extreme bradycardia / tachycardia over the last 5 / 17 beats
        if (n >= 5 && lastBeat >= a.lastGapMicros()) {
            long span = s.beatMicros[n - 1] - s.beatMicros[n - 5];
            double rate = 60e6 * 4 / span;
            boolean gapInside = a.lastGapMicros() > s.beatMicros[n - 5];
            long maxRr = 0;
            for (int i = n - 4; i < n; i++) {
                maxRr = Math.max(maxRr, s.beatMicros[i] - s.beatMicros[i - 1]);
            }
            // every interval a slow beat (20-40 bpm): a longer one is a pause or beats the detector missed
            // ... and the signal's own period must not show a faster rhythm whose beats the detector missed
            boolean missedBeats = a.periodicity() >= 0.5 && a.periodicBpm() > 1.5 * rate;
            if (rate < 40 && maxRr <= 3_000_000L && !gapInside && !missedBeats && end - lastBeat < 2_500_000L) {
                e.put(AlertType.EXTREME_BRADYCARDIA, new Evidence(AlertType.EXTREME_BRADYCARDIA, true, s.beatMicros[n - 5],
                        (float) rate, Float.NaN, usable, s.beatMicros[n - 5], s.beatMicros[n - 1],
                        String.format(Locale.ROOT, "Heart rate %.0f bpm over the last 5 beats", rate), false));
            }
        }
        if (n >= 17) {
            long span = s.beatMicros[n - 1] - s.beatMicros[n - 17];
            double rate = 60e6 * 16 / span;
            if (rate > 140 && a.lastGapMicros() < s.beatMicros[n - 17] && end - lastBeat < 2_000_000L) {
                e.put(AlertType.EXTREME_TACHYCARDIA, new Evidence(AlertType.EXTREME_TACHYCARDIA, true, s.beatMicros[n - 17],
                        (float) rate, Float.NaN, usable, s.beatMicros[n - 17], s.beatMicros[n - 1],
                        String.format(Locale.ROOT, "Heart rate %.0f bpm over the last 17 beats", rate), false));
            }
        }

        // ventricular fibrillation: large 3-8 Hz oscillation, no organised rhythm slower than flutter in the last 4 s
        if (a.vfLike()) {
            int recent = 0;
            for (int i = n - 1; i >= 0 && s.beatMicros[i] >= a.windowEndMicros() - 4_000_000L; i--) {
                recent++;
            }
            boolean organised = false;
            double regularBpm = Double.NaN;
            if (recent >= 4) {
                double[] rr = new double[recent - 1];
                double mean = 0;
                for (int i = 0; i < recent - 1; i++) {
                    rr[i] = s.beatMicros[n - recent + i + 1] - s.beatMicros[n - recent + i];
                    mean += rr[i];
                }
                mean /= rr.length;
                double var = 0;
                for (double v : rr) {
                    var += (v - mean) * (v - mean);
                }
                boolean regular = Math.sqrt(var / rr.length) / mean < 0.12;
                regularBpm = regular ? 60e6 / mean : Double.NaN;
                organised = regular && regularBpm < FLUTTER_BPM;
            }
            if (!organised) {
                String why = Double.isNaN(regularBpm)
                        ? String.format(Locale.ROOT, "Disorganised %.1f Hz oscillation of %.2f mV without organised QRS",
                                a.dominantHz(), a.amplitudeMv())
                        : String.format(Locale.ROOT, "Ventricular flutter: regular %.1f Hz oscillation of %.2f mV at %.0f bpm",
                                a.dominantHz(), a.amplitudeMv(), regularBpm);
                e.put(AlertType.VENTRICULAR_FIBRILLATION, new Evidence(AlertType.VENTRICULAR_FIBRILLATION, true,
                        a.windowEndMicros() - 4_000_000L, Double.isNaN(regularBpm) ? Float.NaN : (float) regularBpm,
                        Float.NaN, usable, a.windowEndMicros() - 4_000_000L, a.windowEndMicros(), why, false));
            }
        }

        // atrial fibrillation: irregularly irregular RR between non-ventricular beats
        Evidence af = atrialFibrillation(s, usable);
        if (af != null) {
            e.put(AlertType.ATRIAL_FIBRILLATION, af);
        }
        return e;
    }

    /** Rate of the detected beats first..last (at least two). */
    private static double beatRate(DeciderState s, int first, int last) {
        return 60e6 * (last - first) / (s.beatMicros[last] - s.beatMicros[first]);
    }

    /**
     * Rate of a ventricular run: its detected beats', or the signal's own period when that is faster
     * but at most {@link #PERIODIC_MAX_RATIO} times as fast (beats the detector missed).
     */
    private static double runRate(DeciderState s, WindowAnalysis a, int first, int last) {
        double beatRate = beatRate(s, first, last);
        boolean periodic = a.periodicity() >= 0.5 && a.periodicBpm() > beatRate
                && a.periodicBpm() <= PERIODIC_MAX_RATIO * beatRate;
        return periodic ? a.periodicBpm() : beatRate;
    }

    private static Evidence atrialFibrillation(DeciderState s, String[] usable) {
        int n = s.beatMicros.length;
        if (n < AF_MIN_INTERVALS + 2) {
            return null;
        }
        int from = Math.max(1, n - 40);
        double[] rr = new double[n];
        int m = 0;
        for (int i = from; i < n; i++) {
            if (!ventricular(s, i) && !ventricular(s, i - 1)) {
                rr[m++] = (s.beatMicros[i] - s.beatMicros[i - 1]) / 1e6;
            }
        }
        if (m < AF_MIN_INTERVALS + 1) {
            return null;
        }
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += rr[i];
        }
        mean /= m;
        double[] d = new double[m - 1];
        for (int i = 1; i < m; i++) {
            d[i - 1] = Math.abs(rr[i] - rr[i - 1]) / mean;
        }
        Arrays.sort(d);
        double med = d[d.length / 2];
        double modelAf = 0;
        int scored = 0;
        for (int i = from; i < n; i++) {
            if (!Float.isNaN(s.beatAfProb[i])) {
                modelAf += s.beatAfProb[i];
                scored++;
            }
        }
        modelAf = scored > 0 ? modelAf / scored : Double.NaN;
        boolean rule = med >= AF_MEDIAN_DRR;
        boolean byModel = scored >= AF_MIN_INTERVALS && modelAf >= 0.8;
        if (!rule && !byModel) {
            return null;
        }
        return new Evidence(AlertType.ATRIAL_FIBRILLATION, true, s.beatMicros[from], (float) (60 / mean),
                byModel ? (float) modelAf : Float.NaN, usable, s.beatMicros[from], s.beatMicros[n - 1],
                String.format(Locale.ROOT, "Irregularly irregular rhythm: median RR change %.0f%% over %d intervals%s",
                        100 * med, m, Double.isNaN(modelAf) ? "" : String.format(Locale.ROOT, ", model AF %.2f", modelAf)),
                byModel);
    }
}
