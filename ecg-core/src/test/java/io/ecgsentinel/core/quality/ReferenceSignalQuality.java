package io.ecgsentinel.core.quality;

import io.ecgsentinel.core.dsp.BiquadCascade;
import io.ecgsentinel.core.dsp.FilterDesign;
import io.ecgsentinel.core.quality.SignalQuality.Thresholds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ORACLE ONLY: a verbatim copy of {@link SignalQuality} as it was before its performance rewrite
 * (quickselect medians instead of full sorts, fused passes). Kept in test scope so {@code
 * SignalQualityEquivalenceTest} can check the optimised class returns bit-identical {@link
 * LeadQuality} results, and so {@code SignalQualityTiming} can time the two against each other.
 * Do not change its arithmetic; do not use it outside tests. The only edits from the original are
 * the class name, visibility, this comment, and using {@link SignalQuality.Thresholds} instead of
 * its own copy of the record.
 */
final class ReferenceSignalQuality {

    /** Lower edge of the QRS reference band (Hz). */
    static final double QRS_LOW_HZ = 5.0;
    /** Upper edge of the QRS reference band (Hz). */
    static final double QRS_HIGH_HZ = 15.0;
    /** Baseline block length (s) for the drift estimate: longer than a QRS, shorter than breathing. */
    static final double DRIFT_BLOCK_SECONDS = 0.5;
    /** Start-up span (s) of the per-window filters left out of the power sums. */
    static final double SETTLE_SECONDS = 0.25;

    private final double fs;
    private final Thresholds t;
    /** Null when the rate is too low to see the HF band. */
    private final BiquadCascade hfFilter;
    private final BiquadCascade qrsFilter;
    private float[] scratch = new float[0];
    private float[] finite = new float[0];

    /** An analyser for windows sampled at {@code fs} Hz with default thresholds. */
    ReferenceSignalQuality(double fs) {
        this(fs, Thresholds.defaults());
    }

    ReferenceSignalQuality(double fs, Thresholds thresholds) {
        if (!(fs > 0)) {
            throw new IllegalArgumentException("sampling frequency must be > 0, got " + fs);
        }
        this.fs = fs;
        this.t = thresholds;
        this.hfFilter = 0.5 * fs >= 1.05 * thresholds.hfEdgeHz()
                ? FilterDesign.butterworthHighPass(4, thresholds.hfEdgeHz(), fs)
                : null;
        this.qrsFilter = FilterDesign.butterworthBandPass(2, QRS_LOW_HZ, 4, Math.min(QRS_HIGH_HZ, 0.45 * fs), fs);
    }

    public double samplingFrequency() {
        return fs;
    }

    public Thresholds thresholds() {
        return t;
    }

    /** Assesses a whole window (raw mV) with no device lead-off flag and unknown rails. */
    public LeadQuality assess(float[] window) {
        return assess(window, 0, window.length, false, Double.NaN, Double.NaN);
    }

    /** Assesses a window with the device's lead-off flag and unknown rails. */
    public LeadQuality assess(float[] window, boolean deviceLeadOff) {
        return assess(window, 0, window.length, deviceLeadOff, Double.NaN, Double.NaN);
    }

    /**
     * Assesses {@code len} raw samples (mV) of {@code window} from {@code off}.
     *
     * @param deviceLeadOff the acquisition device's own lead-off flag for this window
     * @param railLowMv lowest value the ADC can report (mV), or NaN if unknown
     * @param railHighMv highest value the ADC can report (mV), or NaN if unknown
     */
    public LeadQuality assess(float[] window, int off, int len, boolean deviceLeadOff, double railLowMv,
            double railHighMv) {
        if (len <= 0) {
            throw new IllegalArgumentException("empty window");
        }
        // Finite samples, in order, for every statistic; NaNs only count as missing. Gaps are
        // closed up before filtering, so a short gap adds at most one small step to the HF power.
        float[] x = finiteBuffer(len);
        int n = 0;
        int nanRun = 0;
        int longestNanRun = 0;
        int valueRun = 0;
        int longestValueRun = 0;
        float prev = Float.NaN;
        for (int i = off; i < off + len; i++) {
            float v = window[i];
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                nanRun++;
                longestNanRun = Math.max(longestNanRun, nanRun);
                continue;
            }
            nanRun = 0;
            valueRun = v == prev ? valueRun + 1 : 1;
            longestValueRun = Math.max(longestValueRun, valueRun);
            prev = v;
            x[n++] = v;
        }
        double nanFraction = 1.0 - (double) n / len;
        boolean nanLeadOff = longestNanRun >= t.leadOffNanSeconds() * fs || nanFraction >= 0.5;
        if (n < 4) {
            return new LeadQuality(true, false, true, false, false, 0.0, false, 0.0, Double.NaN, 0.0, nanFraction,
                    Double.NaN, 0.0, longestValueRun / fs);
        }

        double mean = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mean += x[i];
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = x[i] - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / n);
        double flatSeconds = longestValueRun / fs;
        boolean flat = std < t.flatStdMv() || flatSeconds >= t.flatRunSeconds();

        // Saturation: values within 0.1 % of the range of an extreme (a clipped QRS shows many).
        double tol = Math.max(1e-6, 1e-3 * (max - min));
        boolean railsKnown = !Double.isNaN(railLowMv) && !Double.isNaN(railHighMv);
        int atMax = 0;
        int atMin = 0;
        int atRail = 0;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            if (v >= max - tol) {
                atMax++;
            }
            if (v <= min + tol) {
                atMin++;
            }
            if (railsKnown && (v >= railHighMv - tol || v <= railLowMv + tol)) {
                atRail++;
            }
        }
        int atExtreme = flat ? atRail : Math.max(Math.max(atMax, atMin), atRail);
        double clippedFraction = (double) atExtreme / n;
        boolean clipped = atExtreme >= 4 && clippedFraction >= t.clipFraction();

        double median = median(x, n);
        boolean flatAtRail = flat && railsKnown
                && (median >= railHighMv - tol || median <= railLowMv + tol);
        boolean leadOff = deviceLeadOff || nanLeadOff || flatAtRail || Math.abs(median) > t.dcOffsetMv();

        double hfRatio = hfRatio(x, n);
        boolean noisy = !flat && hfRatio > t.hfRatio();
        double drift = drift(x, n);
        boolean drifting = drift > t.driftMv();

        double index = 0.0;
        if (!flat && !leadOff) {
            index = (1.0 - nanFraction)
                    * (1.0 - ramp(clippedFraction, 0.2 * t.clipFraction(), 5 * t.clipFraction()))
                    * (Double.isNaN(hfRatio) ? 1.0 : 1.0 - ramp(hfRatio, 0.3 * t.hfRatio(), 2 * t.hfRatio()))
                    * (1.0 - 0.5 * ramp(drift, 0.15 * t.driftMv(), 1.5 * t.driftMv()));
        }
        boolean usable = !flat && !leadOff && index >= t.usableIndex();
        return new LeadQuality(flat, clipped, leadOff, noisy, drifting, index, usable, std, median, clippedFraction,
                nanFraction, hfRatio, drift, flatSeconds);
    }

    /**
     * Assesses every lead of a {@code [lead][sample]} raw window.
     *
     * @param deviceLeadOff per-lead device flags, or null when the device reports none
     */
    public QualitySummary assessAll(float[][] windows, boolean[] deviceLeadOff) {
        List<LeadQuality> out = new ArrayList<>(windows.length);
        for (int l = 0; l < windows.length; l++) {
            boolean off = deviceLeadOff != null && deviceLeadOff[l];
            out.add(assess(windows[l], 0, windows[l].length, off, Double.NaN, Double.NaN));
        }
        return QualitySummary.of(out);
    }

    /** HF-band power over QRS-band power, after the per-window filters settle. */
    private double hfRatio(float[] x, int n) {
        if (hfFilter == null) {
            return Double.NaN;
        }
        int skip = (int) Math.min(n / 2, Math.round(SETTLE_SECONDS * fs));
        float[] y = scratch(n);
        hfFilter.reset();
        hfFilter.process(x, 0, n, y, 0);
        double hf = power(y, skip, n);
        qrsFilter.reset();
        qrsFilter.process(x, 0, n, y, 0);
        double qrs = power(y, skip, n);
        // A lead with no QRS-band power at all but some HF power is all noise.
        return qrs > 0 ? hf / qrs : (hf > 0 ? Double.POSITIVE_INFINITY : 0.0);
    }

    /** Range of the medians of consecutive half-second blocks (a trailing part block is ignored). */
    private double drift(float[] x, int n) {
        int block = (int) Math.max(1, Math.round(DRIFT_BLOCK_SECONDS * fs));
        if (n < 2 * block) {
            return 0.0;
        }
        float[] s = scratch(block);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int b = 0; b + block <= n; b += block) {
            System.arraycopy(x, b, s, 0, block);
            Arrays.sort(s, 0, block);
            double m = s[block / 2];
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        return hi - lo;
    }

    private double median(float[] x, int n) {
        float[] s = scratch(n);
        System.arraycopy(x, 0, s, 0, n);
        Arrays.sort(s, 0, n);
        return n % 2 == 1 ? s[n / 2] : 0.5 * ((double) s[n / 2 - 1] + s[n / 2]);
    }

    private static double power(float[] y, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p += (double) y[i] * y[i];
        }
        return to > from ? p / (to - from) : 0.0;
    }

    /** 0 at or below {@code fine}, 1 at or above {@code bad}, linear between. */
    static double ramp(double v, double fine, double bad) {
        if (Double.isNaN(v)) {
            return 1.0;
        }
        if (v <= fine) {
            return 0.0;
        }
        if (v >= bad) {
            return 1.0;
        }
        return (v - fine) / (bad - fine);
    }

    private float[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new float[n];
        }
        return scratch;
    }

    private float[] finiteBuffer(int n) {
        if (finite.length < n) {
            finite = new float[n];
        }
        return finite;
    }
}
