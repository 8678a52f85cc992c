package io.ecgsentinel.flink.functions;

import java.util.Arrays;

/**
 * QRS duration of one beat from the raw samples around its fiducial point: the span over which the
 * (3-point smoothed) slope stays above a fifth of its peak within +-100 ms, widened while it stays
 * above that level, measured per lead and combined as the median over the given leads. Ventricular
 * beats (PVCs, VT) are wide (>= 120 ms); supraventricular beats with normal conduction are narrow.
 * This is the morphology rule behind the VT alarm when the model is absent; with the model, its
 * ventricular class is used as well.
 */
public final class QrsWidth {

    /** QRS duration at or above which a beat counts as wide (ventricular) by the rule. */
    public static final double WIDE_MS = 120.0;

    private QrsWidth() {}

    /**
     * @param x raw samples per lead (mV), NaN where missing
     * @param leads lead indexes to use
     * @param centre the beat's fiducial sample in {@code x}
     * @param fs sampling frequency (Hz)
     * @return the median width in ms over the leads that could be measured, or NaN
     */
    public static double widthMs(float[][] x, int[] leads, int centre, double fs) {
        double[] w = new double[leads.length];
        int n = 0;
        for (int lead : leads) {
            double v = leadWidth(x[lead], centre, fs);
            if (!Double.isNaN(v)) {
                w[n++] = v;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(w, 0, n);
        return (n & 1) == 1 ? w[n / 2] : 0.5 * (w[n / 2 - 1] + w[n / 2]);
    }

    /** Largest absolute slope (mV/s) within +-60 ms of {@code centre}, summed over the leads (0 if none). */
    public static double peakSlope(float[][] x, int[] leads, int centre, double fs) {
        int r = (int) Math.round(0.060 * fs);
        double sum = 0;
        for (int lead : leads) {
            float[] v = x[lead];
            double best = 0;
            for (int i = Math.max(1, centre - r); i <= Math.min(v.length - 2, centre + r); i++) {
                double d = Math.abs(v[i + 1] - v[i - 1]);
                if (!Double.isNaN(d) && d > best) {
                    best = d;
                }
            }
            sum += best * fs / 2;
        }
        return sum;
    }

    /** Largest peak-to-peak amplitude (mV) within +-80 ms of {@code centre} over the leads (0 if none). */
    public static double amplitude(float[][] x, int[] leads, int centre, double fs) {
        int r = (int) Math.round(0.080 * fs);
        double best = 0;
        for (int lead : leads) {
            float[] v = x[lead];
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = Math.max(0, centre - r); i <= Math.min(v.length - 1, centre + r); i++) {
                if (!Float.isNaN(v[i])) {
                    lo = Math.min(lo, v[i]);
                    hi = Math.max(hi, v[i]);
                }
            }
            if (hi > lo) {
                best = Math.max(best, hi - lo);
            }
        }
        return best;
    }

    static double leadWidth(float[] x, int centre, double fs) {
        int search = (int) Math.round(0.100 * fs);
        int reach = (int) Math.round(0.150 * fs);
        int from = centre - reach - 2;
        int to = centre + reach + 2;
        if (from < 1 || to >= x.length - 1) {
            return Double.NaN;
        }
        int len = to - from;
        double[] slope = new double[len];
        for (int i = 0; i < len; i++) {
            int k = from + i;
            float a = x[k - 1];
            float b = x[k + 1];
            if (Float.isNaN(a) || Float.isNaN(b) || Float.isNaN(x[k])) {
                return Double.NaN;
            }
            slope[i] = Math.abs(b - a) * fs / 2;
        }
        double[] s = new double[len];
        for (int i = 1; i < len - 1; i++) {
            s[i] = (slope[i - 1] + slope[i] + slope[i + 1]) / 3;
        }
        int c = centre - from;
        double peak = 0;
        for (int i = Math.max(1, c - search); i <= Math.min(len - 2, c + search); i++) {
            peak = Math.max(peak, s[i]);
        }
        if (!(peak > 0.5)) { // less than 0.5 mV/s: no QRS to measure
            return Double.NaN;
        }
        double thr = 0.2 * peak;
        int first = -1;
        int last = -1;
        for (int i = Math.max(1, c - search); i <= Math.min(len - 2, c + search); i++) {
            if (s[i] >= thr) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        // widen while the slope stays above the threshold (wide complexes extend beyond the search span)
        while (first > 1 && s[first - 1] >= thr) {
            first--;
        }
        while (last < len - 2 && s[last + 1] >= thr) {
            last++;
        }
        return (last - first + 1) * 1000.0 / fs;
    }
}
