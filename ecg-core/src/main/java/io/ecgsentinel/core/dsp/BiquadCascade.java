package io.ecgsentinel.core.dsp;

import java.util.Arrays;

/**
 * An IIR filter made of second-order sections in series, run in transposed direct form II with
 * double-precision state.
 *
 * <p>Second-order sections rather than one high-order polynomial because a 0.5 Hz high-pass at
 * 1000 Hz puts poles within 0.3 % of the unit circle, where expanded high-order coefficients lose
 * precision and may turn unstable. Transposed direct form II keeps two state variables per section
 * and has good round-off behaviour in floating point.
 *
 * <p>The first sample after construction or {@link #reset()} primes the state to the steady state
 * of a constant input equal to that sample (what scipy's {@code lfilter_zi} does), so a record
 * that starts with a DC offset does not produce a long start-up transient through the high-pass.
 * A NaN input poisons the state until {@link #reset()}; {@link Preprocessor} replaces NaN before
 * any filter sees it. Designs come from {@link FilterDesign}; a cascade with no sections is the
 * identity (used when a design is skipped, e.g. a notch at or above Nyquist; see {@link
 * #description()}).
 */
public final class BiquadCascade implements StreamingFilter {

    private static final long serialVersionUID = 1L;

    /** State magnitudes below this are flushed to zero so a flat input never decays into slow subnormals. */
    private static final double FLUSH = 1e-30;

    private final double fs;
    /** b0, b1, b2, a1, a2 per section (a0 normalised to 1). */
    private final double[] coeffs;
    private final int sections;
    private final String description;
    private final int delay;

    private final double[] z;
    private boolean primed;

    /**
     * @param coeffs five coefficients per section: b0, b1, b2, a1, a2 with a0 = 1
     * @param fs the sampling rate the coefficients were designed for (Hz)
     * @param description what the design is, for logs and the model card
     */
    public BiquadCascade(double[] coeffs, double fs, String description) {
        if (coeffs.length % 5 != 0) {
            throw new IllegalArgumentException("coefficients must come in groups of 5, got " + coeffs.length);
        }
        this.fs = fs;
        this.coeffs = coeffs.clone();
        this.sections = coeffs.length / 5;
        this.description = description;
        this.z = new double[2 * sections];
        double ref = Math.min(FilterDesign.REFERENCE_HZ, 0.25 * fs);
        this.delay = (int) Math.round(groupDelaySamples(ref));
    }

    /** The identity filter, with the reason it is the identity. */
    public static BiquadCascade identity(double fs, String reason) {
        return new BiquadCascade(new double[0], fs, reason);
    }

    @Override
    public void process(float[] in, int off, int len, float[] out, int outOff) {
        final double[] c = coeffs;
        final double[] s = z;
        final int n = sections;
        if (n == 0) {
            if (in != out || off != outOff) {
                System.arraycopy(in, off, out, outOff, len);
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            double x = in[off + i];
            if (!primed) {
                prime(x);
            }
            for (int k = 0, q = 0; k < 5 * n; k += 5, q += 2) {
                double y = c[k] * x + s[q];
                double z1 = c[k + 1] * x - c[k + 3] * y + s[q + 1];
                double z2 = c[k + 2] * x - c[k + 4] * y;
                s[q] = Math.abs(z1) < FLUSH ? 0.0 : z1;
                s[q + 1] = Math.abs(z2) < FLUSH ? 0.0 : z2;
                x = y;
            }
            out[outOff + i] = (float) x;
        }
    }

    /** Sets each section's state to its steady state for a constant input {@code x}. */
    private void prime(double x) {
        for (int k = 0, q = 0; q < z.length; k += 5, q += 2) {
            double b0 = coeffs[k], b1 = coeffs[k + 1], b2 = coeffs[k + 2];
            double a1 = coeffs[k + 3], a2 = coeffs[k + 4];
            // DC gain of the section; a notch or band-stop has a finite one, a high-pass has 0.
            double y = x * (b0 + b1 + b2) / (1.0 + a1 + a2);
            z[q + 1] = b2 * x - a2 * y;
            z[q] = b1 * x - a1 * y + z[q + 1];
            x = y;
        }
        primed = true;
    }

    @Override
    public void reset() {
        Arrays.fill(z, 0.0);
        primed = false;
    }

    @Override
    public BiquadCascade copy() {
        return new BiquadCascade(coeffs, fs, description);
    }

    @Override
    public int delaySamples() {
        return delay;
    }

    @Override
    public double[] state() {
        double[] st = new double[1 + z.length];
        st[0] = primed ? 1.0 : 0.0;
        System.arraycopy(z, 0, st, 1, z.length);
        return st;
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 1 + z.length) {
            throw new IllegalArgumentException(
                    "state length " + state.length + " does not fit " + description + " (needs "
                            + (1 + z.length) + ")");
        }
        primed = state[0] != 0.0;
        System.arraycopy(state, 1, z, 0, z.length);
    }

    /** Number of second-order sections (0 for the identity). */
    public int sections() {
        return sections;
    }

    /** The sampling rate the design is for (Hz). */
    public double samplingFrequency() {
        return fs;
    }

    /** A copy of the coefficients: b0, b1, b2, a1, a2 per section. */
    public double[] coefficients() {
        return coeffs.clone();
    }

    /** What this design is, or why it is the identity. */
    public String description() {
        return description;
    }

    /** Magnitude of the frequency response at {@code hz} (1 = unity gain). */
    public double magnitude(double hz) {
        double[] h = response(2 * Math.PI * hz / fs);
        return Math.hypot(h[0], h[1]);
    }

    /** Group delay in samples at {@code hz}, from the phase slope of the designed response. */
    public double groupDelaySamples(double hz) {
        double w = 2 * Math.PI * hz / fs;
        double dw = 1e-5;
        double[] a = response(w + dw);
        double[] b = response(Math.max(0.0, w - dw));
        // arg(a / b) = arg(a * conj(b)) avoids phase unwrapping.
        double re = a[0] * b[0] + a[1] * b[1];
        double im = a[1] * b[0] - a[0] * b[1];
        return -Math.atan2(im, re) / (w + dw - Math.max(0.0, w - dw));
    }

    /** Complex response {re, im} at normalised angular frequency {@code w} (rad/sample). */
    private double[] response(double w) {
        double re = 1.0, im = 0.0;
        double c1 = Math.cos(w), s1 = -Math.sin(w), c2 = Math.cos(2 * w), s2 = -Math.sin(2 * w);
        for (int k = 0; k < coeffs.length; k += 5) {
            double nr = coeffs[k] + coeffs[k + 1] * c1 + coeffs[k + 2] * c2;
            double ni = coeffs[k + 1] * s1 + coeffs[k + 2] * s2;
            double dr = 1.0 + coeffs[k + 3] * c1 + coeffs[k + 4] * c2;
            double di = coeffs[k + 3] * s1 + coeffs[k + 4] * s2;
            double den = dr * dr + di * di;
            double hr = (nr * dr + ni * di) / den;
            double hi = (ni * dr - nr * di) / den;
            double r = re * hr - im * hi;
            im = re * hi + im * hr;
            re = r;
        }
        return new double[] {re, im};
    }

    @Override
    public String toString() {
        return description;
    }
}
