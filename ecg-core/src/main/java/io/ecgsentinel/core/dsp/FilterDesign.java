package io.ecgsentinel.core.dsp;

import java.util.Locale;

/**
 * Designs the IIR filters of the preprocessing chain in code, for any sampling rate: Butterworth
 * low-, high- and band-pass as second-order sections via the bilinear transform with frequency
 * pre-warping, and a second-order notch.
 *
 * <p>Designing at run time (instead of shipping coefficient tables) is what lets one chain serve
 * records at 100, 200, 250, 257, 360, 500 and 1000 Hz. A design that cannot exist at a rate does
 * not throw: it returns the identity with the reason in {@link BiquadCascade#description()}, because
 * a filter meant to remove content above Nyquist has nothing to remove (e.g. a 50 Hz notch at
 * 100 Hz, where 50 Hz is Nyquist itself; a 40 Hz low-pass at 80 Hz).
 */
public final class FilterDesign {

    /** Frequency (Hz) at which IIR group delay is reported as {@code delaySamples()}: QRS energy sits around it. */
    public static final double REFERENCE_HZ = 10.0;

    private FilterDesign() {}

    /** Butterworth low-pass of the given order (1-12) with -3 dB at {@code cutoffHz}. */
    public static BiquadCascade butterworthLowPass(int order, double cutoffHz, double fs) {
        checkOrder(order);
        checkFs(fs);
        if (!(cutoffHz > 0)) {
            throw new IllegalArgumentException("low-pass cutoff must be > 0 Hz, got " + cutoffHz);
        }
        if (cutoffHz >= 0.5 * fs) {
            return BiquadCascade.identity(fs, String.format(Locale.ROOT,
                    "identity: low-pass %.3f Hz is at or above Nyquist %.3f Hz (nothing to remove)",
                    cutoffHz, 0.5 * fs));
        }
        return new BiquadCascade(butterworth(order, cutoffHz, fs, false), fs, String.format(Locale.ROOT,
                "butterworth low-pass order %d, %.3f Hz at fs %.3f Hz", order, cutoffHz, fs));
    }

    /** Butterworth high-pass of the given order (1-12) with -3 dB at {@code cutoffHz}. */
    public static BiquadCascade butterworthHighPass(int order, double cutoffHz, double fs) {
        checkOrder(order);
        checkFs(fs);
        if (!(cutoffHz > 0) || cutoffHz >= 0.5 * fs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "high-pass cutoff must be in (0, %.3f) Hz at fs %.3f Hz, got %s", 0.5 * fs, fs, cutoffHz));
        }
        return new BiquadCascade(butterworth(order, cutoffHz, fs, true), fs, String.format(Locale.ROOT,
                "butterworth high-pass order %d, %.3f Hz at fs %.3f Hz", order, cutoffHz, fs));
    }

    /**
     * Butterworth band-pass built as a high-pass at {@code lowHz} followed by a low-pass at {@code
     * highHz}. For ECG the two edges are two decades apart, where this product is practically the
     * same as the classical band-pass transform, and each edge keeps its own order and stays
     * well-conditioned at any rate. {@code lowHz = 0} drops the high-pass.
     */
    public static BiquadCascade butterworthBandPass(
            int highPassOrder, double lowHz, int lowPassOrder, double highHz, double fs) {
        if (!(highHz > lowHz)) {
            throw new IllegalArgumentException("band-pass needs low < high, got " + lowHz + " .. " + highHz);
        }
        BiquadCascade hp = lowHz > 0
                ? butterworthHighPass(highPassOrder, lowHz, fs)
                : BiquadCascade.identity(fs, "no high-pass");
        BiquadCascade lp = butterworthLowPass(lowPassOrder, highHz, fs);
        double[] a = hp.coefficients();
        double[] b = lp.coefficients();
        double[] c = new double[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return new BiquadCascade(c, fs, "band-pass [" + hp.description() + "] + [" + lp.description() + "]");
    }

    /**
     * Second-order IIR notch: zeros on the unit circle at {@code hz} and a -3 dB bandwidth of
     * exactly {@code hz / q} Hz in the digital domain (the all-pass form H = (1 + A) / 2, whose
     * pole radius follows from tan(bandwidth / 2); the common cookbook form derives it from the
     * analogue prototype and comes out noticeably narrower at 250 Hz). Returns the identity when
     * {@code hz} is at or above Nyquist: at fs = 100 Hz a 50 Hz notch would put a double zero at
     * z = -1 and wipe out the top of the band without removing anything that is not already
     * aliased.
     */
    public static BiquadCascade notch(double hz, double q, double fs) {
        checkFs(fs);
        if (!(hz > 0)) {
            throw new IllegalArgumentException("notch frequency must be > 0 Hz, got " + hz);
        }
        if (!(q > 0)) {
            throw new IllegalArgumentException("notch Q must be > 0, got " + q);
        }
        if (hz >= 0.5 * fs) {
            return BiquadCascade.identity(fs, String.format(Locale.ROOT,
                    "identity: notch %.3f Hz is at or above Nyquist %.3f Hz", hz, 0.5 * fs));
        }
        double w0 = 2 * Math.PI * hz / fs;
        double bw = Math.min(2 * Math.PI * hz / q / fs, 0.99 * Math.PI);
        double t = Math.tan(bw / 2);
        double k2 = (1 - t) / (1 + t);
        double k1 = -Math.cos(w0);
        double g = (1 + k2) / 2;
        double[] c = {g, 2 * g * k1, g, k1 * (1 + k2), k2};
        return new BiquadCascade(c, fs, String.format(Locale.ROOT, "notch %.3f Hz Q %.1f at fs %.3f Hz", hz, q, fs));
    }

    /**
     * Second-order sections of a digital Butterworth filter. Each analogue pole pair has quality
     * factor Q_k = 1 / (2 sin((2k+1) pi / 2N)); the bilinear transform with K = tan(pi fc / fs)
     * maps it to one biquad (and an odd order adds one first-order section, stored as a biquad
     * with b2 = a2 = 0).
     */
    private static double[] butterworth(int order, double fc, double fs, boolean highPass) {
        double k = Math.tan(Math.PI * fc / fs);
        int pairs = order / 2;
        int n = pairs + (order % 2);
        double[] c = new double[5 * n];
        for (int p = 0; p < pairs; p++) {
            double q = 1.0 / (2.0 * Math.sin((2 * p + 1) * Math.PI / (2.0 * order)));
            double norm = 1.0 / (1.0 + k / q + k * k);
            double a1 = 2.0 * (k * k - 1.0) * norm;
            double a2 = (1.0 - k / q + k * k) * norm;
            double b0 = highPass ? norm : k * k * norm;
            double b1 = highPass ? -2.0 * b0 : 2.0 * b0;
            int o = 5 * p;
            c[o] = b0;
            c[o + 1] = b1;
            c[o + 2] = b0;
            c[o + 3] = a1;
            c[o + 4] = a2;
        }
        if (order % 2 == 1) {
            int o = 5 * pairs;
            double norm = 1.0 / (k + 1.0);
            c[o] = highPass ? norm : k * norm;
            c[o + 1] = highPass ? -norm : k * norm;
            c[o + 2] = 0.0;
            c[o + 3] = (k - 1.0) * norm;
            c[o + 4] = 0.0;
        }
        return c;
    }

    private static void checkOrder(int order) {
        if (order < 1 || order > 12) {
            throw new IllegalArgumentException("filter order must be 1..12, got " + order);
        }
    }

    private static void checkFs(double fs) {
        if (!(fs > 0) || Double.isInfinite(fs)) {
            throw new IllegalArgumentException("sampling frequency must be > 0, got " + fs);
        }
    }
}
