package io.ecgsentinel.core.dsp;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming rational resampler (fsOut / fsIn = L / M, reduced by their gcd) with a polyphase
 * windowed-sinc (Kaiser) anti-alias / anti-image filter, for one lead.
 *
 * <p>Design: a linear-phase prototype low-pass at the virtual rate L * fsIn, cut off at 90 % of the
 * lower of the two Nyquist frequencies, 12 sinc zero crossings per side, Kaiser beta 8 (about
 * 80 dB stop band). Its half-length is rounded up to a multiple of M, which makes the delay a
 * whole number of output samples ({@link #delaySamples()}): output {@code j} is the signal at
 * input time {@code (j - delay) * M / L}. Each polyphase branch is normalised to unit DC gain so
 * a DC offset passes without a ripple at the phase period.
 *
 * <p>Cost per output sample is one dot product of {@code tapsPerPhase()} terms (41 for 360 to
 * 250 Hz, 57 for 500 to 250, 29 for 257 to 250). The polyphase table is immutable and shared by
 * every resampler with the same rate pair (257 to 250 Hz has L = 250 phases of 29 taps, 7,250
 * coefficients), so a job holding thousands of leads keeps one table per rate pair; only the
 * history ring (tapsPerPhase samples) is per-lead state. Equal rates give the exact identity.
 *
 * <p>Chunk invariance: each input sample is pushed into the ring and every output whose newest
 * input has arrived is computed immediately with the same arithmetic, so the output does not
 * depend on how the input was split. Output timing is tracked by a phase counter, never by an
 * absolute sample count, so it does not overflow on long recordings. The history is primed with
 * the first sample (no start-up ramp from zero).
 */
public final class StreamingResampler implements Serializable {

    private static final long serialVersionUID = 1L;

    static final int ZERO_CROSSINGS = 12;
    static final double KAISER_BETA = 8.0;
    static final double ROLLOFF = 0.9;
    /** Beyond this many phases the table stops being "sane" (e.g. 44100 to 48000 Hz). */
    static final int MAX_PHASES = 4096;

    private static final Map<Long, double[]> TABLES = new ConcurrentHashMap<>();

    private final int fsIn;
    private final int fsOut;
    private final int up;
    private final int down;
    private final int taps;
    private final int delay;
    /** Reversed polyphase taps: phase p occupies [p * taps, (p + 1) * taps), oldest input first. */
    private transient double[] table;
    /** Derived from L and M (see {@link #steps()}); not state. */
    private transient int[] steps;

    /** Ring of the newest {@code taps} inputs, written twice so a window is always contiguous. */
    private final double[] hist;
    private int pos;
    private int phase;
    private int gap;
    private boolean primed;

    /**
     * @param fsIn input rate in Hz (integer: every rate this project meets is one)
     * @param fsOut output rate in Hz
     */
    public StreamingResampler(int fsIn, int fsOut) {
        if (fsIn <= 0 || fsOut <= 0) {
            throw new IllegalArgumentException("rates must be > 0 Hz, got " + fsIn + " -> " + fsOut);
        }
        int g = gcd(fsIn, fsOut);
        this.fsIn = fsIn;
        this.fsOut = fsOut;
        this.up = fsOut / g;
        this.down = fsIn / g;
        if (up > MAX_PHASES) {
            throw new IllegalArgumentException("resampling " + fsIn + " -> " + fsOut + " Hz needs " + up
                    + " polyphase branches (more than " + MAX_PHASES + "); resample in two steps");
        }
        if (up == down) {
            this.delay = 0;
            this.taps = 1;
        } else {
            double cutoff = ROLLOFF * 0.5 * Math.min(fsIn, fsOut);
            double virtualRate = (double) up * fsIn;
            double halfNeeded = ZERO_CROSSINGS * virtualRate / (2.0 * cutoff);
            this.delay = (int) Math.ceil(halfNeeded / down);
            long half = (long) delay * down;
            this.taps = (int) ((2 * half + 1 + up - 1) / up);
        }
        this.table = table();
        this.hist = new double[2 * taps];
        reset();
    }

    private double[] table() {
        double[] t = table;
        if (t == null) {
            long key = ((long) fsIn << 32) | fsOut;
            t = TABLES.computeIfAbsent(key, k -> design(fsIn, fsOut, up, down, taps, delay));
            table = t;
        }
        return t;
    }

    /**
     * Phase steps: for each phase {@code p}, the inputs until the next output ({@code (p + M) / L})
     * at {@code [2p]} and the next phase ({@code (p + M) % L}) at {@code [2p + 1]}, so the output
     * loop does not divide.
     */
    private int[] steps() {
        int[] s = steps;
        if (s == null) {
            s = new int[2 * up];
            for (int p = 0; p < up; p++) {
                s[2 * p] = (p + down) / up;
                s[2 * p + 1] = (p + down) % up;
            }
            steps = s;
        }
        return s;
    }

    /**
     * One output: the dot product of phase taps {@code c[base, base + t)} with the history {@code
     * h[start, start + t)}, oldest first. Four partial sums break the add-latency chain (about 3x
     * faster); the summation order is fixed, so the result is the same for any chunking.
     */
    private static float dot(double[] c, int base, double[] h, int start, int t) {
        double a0 = 0.0;
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        int k = 0;
        for (; k + 3 < t; k += 4) {
            a0 += c[base + k] * h[start + k];
            a1 += c[base + k + 1] * h[start + k + 1];
            a2 += c[base + k + 2] * h[start + k + 2];
            a3 += c[base + k + 3] * h[start + k + 3];
        }
        for (; k < t; k++) {
            a0 += c[base + k] * h[start + k];
        }
        return (float) ((a0 + a1) + (a2 + a3));
    }

    private static double[] design(int fsIn, int fsOut, int up, int down, int taps, int delay) {
        if (up == down) {
            return new double[] {1.0};
        }
        int half = delay * down;
        int n = 2 * half + 1;
        double fc = ROLLOFF * 0.5 * Math.min(fsIn, fsOut) / ((double) up * fsIn); // cycles per virtual sample
        double i0Beta = besselI0(KAISER_BETA);
        double[] h = new double[n];
        for (int k = 0; k < n; k++) {
            double m = k - half;
            double sinc = m == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
            double r = m / half;
            double win = besselI0(KAISER_BETA * Math.sqrt(Math.max(0.0, 1 - r * r))) / i0Beta;
            h[k] = sinc * win;
        }
        double[] t = new double[up * taps];
        for (int p = 0; p < up; p++) {
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                int k = p + j * up;
                sum += k < n ? h[k] : 0.0;
            }
            for (int j = 0; j < taps; j++) {
                int k = p + j * up;
                // Tap j multiplies the input j samples older than the newest: store reversed
                // (oldest first) so the dot product walks the history forwards.
                t[p * taps + (taps - 1 - j)] = k < n ? h[k] / sum : 0.0;
            }
        }
        return t;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta <= 20). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    /**
     * Resamples {@code len} samples of {@code in} from {@code off} and writes the outputs they
     * complete to {@code out} from {@code outOff}; returns how many were written. {@code out} needs
     * room for {@link #maxOutput(int) maxOutput(len)} samples and must not overlap {@code in}
     * unless the rates are equal.
     */
    public int process(float[] in, int off, int len, float[] out, int outOff) {
        if (len <= 0) {
            return 0;
        }
        // push() for every sample, with the state in locals
        final double[] h = hist;
        final int t = taps;
        final double[] c = table();
        final int[] steps = steps();
        if (!primed) {
            Arrays.fill(h, in[off]);
            primed = true;
        }
        int p = pos;
        int g = gap;
        int ph = phase;
        int o = outOff;
        for (int i = off, end = off + len; i < end; i++) {
            double x = in[i];
            p = p + 1 == t ? 0 : p + 1;
            h[p] = x;
            h[p + t] = x;
            if (--g == 0) {
                do {
                    out[o++] = dot(c, ph * t, h, p + 1, t);
                    g += steps[2 * ph];
                    ph = steps[2 * ph + 1];
                } while (g == 0);
            }
        }
        pos = p;
        gap = g;
        phase = ph;
        return o - outOff;
    }

    /** Resamples one chunk into a new array holding exactly the outputs it completes. */
    public float[] process(float[] chunk) {
        float[] out = new float[maxOutput(chunk.length)];
        int n = process(chunk, 0, chunk.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Pushes one input sample; writes the 0, 1 or more outputs it completes to {@code out} from
     * {@code outOff} and returns their number (at most ceil(L / M)).
     */
    public int push(float sample, float[] out, int outOff) {
        final double[] h = hist;
        final int t = taps;
        double x = sample;
        if (!primed) {
            Arrays.fill(h, x);
            primed = true;
        }
        pos = pos + 1 == t ? 0 : pos + 1;
        h[pos] = x;
        h[pos + t] = x;
        gap--;
        int n = 0;
        if (gap == 0) {
            final double[] c = table();
            final int[] steps = steps();
            do {
                out[outOff + n++] = dot(c, phase * t, h, pos + 1, t);
                gap += steps[2 * phase];
                phase = steps[2 * phase + 1];
            } while (gap == 0);
        }
        return n;
    }

    /** An upper bound on the outputs {@code len} inputs can complete. */
    public int maxOutput(int len) {
        long n = ((long) len * up + down - 1) / down + 1;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk too long: " + len);
        }
        return (int) n;
    }

    /**
     * Exact number of outputs after {@code inputs} samples since reset: ceil(n L / M), since output
     * j is complete once input floor(j M / L) has arrived.
     */
    public long outputCount(long inputs) {
        return inputs <= 0 ? 0 : (Math.multiplyExact(inputs, (long) up) - 1) / down + 1;
    }

    /** Forgets all history and restarts output timing at output 0. */
    public void reset() {
        Arrays.fill(hist, 0.0);
        pos = taps - 1;
        phase = 0;
        // Output 0 needs input 0 (floor(0 * M / L) = 0): one more input is needed.
        gap = 1;
        primed = false;
    }

    /** A fresh resampler for the same rate pair (sharing the immutable table). */
    public StreamingResampler copy() {
        return new StreamingResampler(fsIn, fsOut);
    }

    /** Delay of the output in output samples (0 when the rates are equal). */
    public int delaySamples() {
        return delay;
    }

    public int inputRate() {
        return fsIn;
    }

    public int outputRate() {
        return fsOut;
    }

    /** L: the reduced up-sampling factor. */
    public int upFactor() {
        return up;
    }

    /** M: the reduced down-sampling factor. */
    public int downFactor() {
        return down;
    }

    /** Filter taps per polyphase branch (the per-output dot-product length and the history size). */
    public int tapsPerPhase() {
        return taps;
    }

    /** Snapshot: primed flag, phase, gap, then the history oldest first. */
    public double[] state() {
        double[] st = new double[3 + taps];
        st[0] = primed ? 1.0 : 0.0;
        st[1] = phase;
        st[2] = gap;
        System.arraycopy(hist, pos + 1, st, 3, taps);
        return st;
    }

    /** Restores a {@link #state()} taken from a resampler with the same rate pair. */
    public void restore(double[] state) {
        if (state.length != 3 + taps) {
            throw new IllegalArgumentException("state length " + state.length + " does not fit a " + fsIn + " -> "
                    + fsOut + " Hz resampler (needs " + (3 + taps) + ")");
        }
        primed = state[0] != 0.0;
        phase = (int) state[1];
        gap = (int) state[2];
        if (phase < 0 || phase >= up || gap < 1 || gap > down / up + 1) {
            throw new IllegalArgumentException("corrupt resampler state: phase " + phase + ", gap " + gap);
        }
        System.arraycopy(state, 3, hist, 0, taps);
        System.arraycopy(state, 3, hist, taps, taps);
        pos = taps - 1;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "resampler " + fsIn + " -> " + fsOut + " Hz (L=" + up + ", M=" + down + ", " + taps
                + " taps/phase, delay " + delay + " output samples)";
    }
}
