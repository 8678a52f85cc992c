package io.ecgsentinel.core.quality;

import io.ecgsentinel.core.dsp.BiquadCascade;

/**
 * The two per-window filters of {@link SignalQuality}, the HF high-pass (two second-order
 * sections) and the QRS band-pass (three), run side by side in a single pass with their state in
 * local variables, summing the output power as it goes instead of writing the outputs out.
 *
 * <p>This is only a faster schedule of the same arithmetic: each section evaluates the same
 * expressions as {@link BiquadCascade#process} (transposed direct form II, the same start-up
 * priming, the same flush of tiny state to zero, the same float rounding of the output), and the
 * powers are summed in sample order like {@code SignalQuality}'s power over a filtered buffer, so
 * the results are bit-identical ({@code SignalQualityEquivalenceTest} and {@code BandPowersTest}
 * check this against {@link BiquadCascade} itself). Keeping the state in locals removes the
 * store-to-load round trip from the filter recursion, and the two independent cascades overlap in
 * the CPU, which roughly quarters the cost of the two filter passes.
 *
 * <p>{@link #feed} runs the same filters as a stream, keeping their state and per-block power sums
 * in a {@link BandPowerStream} between calls, and {@link #windowPowers} takes a window's powers
 * from those sums.
 *
 * <p>{@link #of} returns null for any other filter shape; the caller then runs the cascades.
 * Not thread-safe: {@link #run}, {@link #feed} and {@link #windowPowers} leave their results in
 * {@link #hfPower()} and {@link #qrsPower()}.
 */
final class BandPowers {

    /** Must match BiquadCascade's flush threshold. */
    private static final double FLUSH = 1e-30;

    private final double[] h;
    private final double[] q;
    private double hfPower;
    private double qrsPower;
    /** The stream {@link #run} feeds a window to, restarted for each. */
    private final BandPowerStream once = new BandPowerStream();

    private BandPowers(double[] hf, double[] qrs) {
        this.h = hf;
        this.q = qrs;
    }

    /** The fused runner for these cascades, or null when they are not 2 + 3 sections. */
    static BandPowers of(BiquadCascade hf, BiquadCascade qrs) {
        if (hf == null || qrs == null || hf.sections() != 2 || qrs.sections() != 3) {
            return null;
        }
        return new BandPowers(hf.coefficients(), qrs.coefficients());
    }

    /** Mean HF-filter output power over [skip, n) of the last {@link #run}. */
    double hfPower() {
        return hfPower;
    }

    /** Mean QRS-filter output power over [skip, n) of the last {@link #run}. */
    double qrsPower() {
        return qrsPower;
    }

    /**
     * Filters {@code x[0, n)} (n >= 1) through both cascades from their reset state and stores the
     * mean square of each float output over samples {@code [skip, n)} (0 when that is empty).
     */
    void run(float[] x, int n, int skip) {
        // A fresh stream of one block that no sample reaches the block sums of: feed's own flat sum
        // over [skip, n) is run's result, by the same arithmetic in the same order.
        once.begin(0, 0, Integer.MAX_VALUE, 1, 0);
        feed(once, x, 0, n, Long.MAX_VALUE, skip);
    }

    /**
     * Feeds {@code x[from, to)} to {@code st} at stream positions {@code st.fed} on, with the same
     * arithmetic as {@link #run} (a stream fed nothing yet is primed with {@code x[from]}), and adds
     * the squared float outputs of the samples at positions {@code >= settleEnd} to their blocks'
     * sums. The squares of samples {@code [flatFrom, to)} are also summed in sample order, exactly
     * as {@link #run} sums them, into {@link #hfPower()} and {@link #qrsPower()} (their means; 0
     * when that range is empty): a fresh stream fed a whole window from index 0 with {@code
     * flatFrom} = skip gives {@code run(x, to, skip)}'s powers bit for bit.
     */
    void feed(BandPowerStream st, float[] x, int from, int to, long settleEnd, int flatFrom) {
        final double hb10 = h[0], hb11 = h[1], hb12 = h[2], ha11 = h[3], ha12 = h[4];
        final double hb20 = h[5], hb21 = h[6], hb22 = h[7], ha21 = h[8], ha22 = h[9];
        final double qb10 = q[0], qb11 = q[1], qb12 = q[2], qa11 = q[3], qa12 = q[4];
        final double qb20 = q[5], qb21 = q[6], qb22 = q[7], qa21 = q[8], qa22 = q[9];
        final double qb30 = q[10], qb31 = q[11], qb32 = q[12], qa31 = q[13], qa32 = q[14];
        final double[] s = st.s;
        double hs10, hs11, hs20, hs21, qs10, qs11, qs20, qs21, qs30, qs31;
        if (st.fed == st.start && from < to) {
            // Priming exactly as run() does it.
            double x0 = x[from];
            double u = x0;
            double y = u * (hb10 + hb11 + hb12) / (1.0 + ha11 + ha12);
            hs11 = hb12 * u - ha12 * y;
            hs10 = hb11 * u - ha11 * y + hs11;
            u = y;
            y = u * (hb20 + hb21 + hb22) / (1.0 + ha21 + ha22);
            hs21 = hb22 * u - ha22 * y;
            hs20 = hb21 * u - ha21 * y + hs21;

            u = x0;
            y = u * (qb10 + qb11 + qb12) / (1.0 + qa11 + qa12);
            qs11 = qb12 * u - qa12 * y;
            qs10 = qb11 * u - qa11 * y + qs11;
            u = y;
            y = u * (qb20 + qb21 + qb22) / (1.0 + qa21 + qa22);
            qs21 = qb22 * u - qa22 * y;
            qs20 = qb21 * u - qa21 * y + qs21;
            u = y;
            y = u * (qb30 + qb31 + qb32) / (1.0 + qa31 + qa32);
            qs31 = qb32 * u - qa32 * y;
            qs30 = qb31 * u - qa31 * y + qs31;
        } else {
            hs10 = s[0];
            hs11 = s[1];
            hs20 = s[2];
            hs21 = s[3];
            qs10 = s[4];
            qs11 = s[5];
            qs20 = s[6];
            qs21 = s[7];
            qs30 = s[8];
            qs31 = s[9];
        }
        final long block = st.block;
        final int cap = st.capacity();
        final int hfBase = BandPowerStream.FILTER_STATE;
        final int qrsBase = hfBase + cap;
        // The index of the sample at settleEnd, clamped to [from, to].
        final int sumFrom = (int) Math.max(from, Math.min(to, settleEnd - st.fed + from));
        long p = st.fed;
        double hfSum = 0;
        double qrsSum = 0;
        int i = from;
        while (i < to) {
            long inBlock = Math.floorMod(p, block);
            int slot = (int) Math.floorMod(Math.floorDiv(p, block), (long) cap);
            if (inBlock == 0) {
                // A new block: its slot held the block cap blocks earlier.
                s[hfBase + slot] = 0.0;
                s[qrsBase + slot] = 0.0;
            }
            int segEnd = (int) Math.min(to, i + (block - inBlock));
            p += segEnd - i;
            double hfBlock = 0;
            double qrsBlock = 0;
            for (; i < segEnd; i++) {
                final double v = x[i];
                double z1;
                double z2;

                double y1 = hb10 * v + hs10;
                z1 = hb11 * v - ha11 * y1 + hs11;
                z2 = hb12 * v - ha12 * y1;
                hs10 = Math.abs(z1) < FLUSH ? 0.0 : z1;
                hs11 = Math.abs(z2) < FLUSH ? 0.0 : z2;
                double y2 = hb20 * y1 + hs20;
                z1 = hb21 * y1 - ha21 * y2 + hs21;
                z2 = hb22 * y1 - ha22 * y2;
                hs20 = Math.abs(z1) < FLUSH ? 0.0 : z1;
                hs21 = Math.abs(z2) < FLUSH ? 0.0 : z2;

                double w1 = qb10 * v + qs10;
                z1 = qb11 * v - qa11 * w1 + qs11;
                z2 = qb12 * v - qa12 * w1;
                qs10 = Math.abs(z1) < FLUSH ? 0.0 : z1;
                qs11 = Math.abs(z2) < FLUSH ? 0.0 : z2;
                double w2 = qb20 * w1 + qs20;
                z1 = qb21 * w1 - qa21 * w2 + qs21;
                z2 = qb22 * w1 - qa22 * w2;
                qs20 = Math.abs(z1) < FLUSH ? 0.0 : z1;
                qs21 = Math.abs(z2) < FLUSH ? 0.0 : z2;
                double w3 = qb30 * w2 + qs30;
                z1 = qb31 * w2 - qa31 * w3 + qs31;
                z2 = qb32 * w2 - qa32 * w3;
                qs30 = Math.abs(z1) < FLUSH ? 0.0 : z1;
                qs31 = Math.abs(z2) < FLUSH ? 0.0 : z2;

                float fh = (float) y2;
                float fq = (float) w3;
                double ph = (double) fh * fh;
                double pq = (double) fq * fq;
                if (i >= sumFrom) {
                    hfBlock += ph;
                    qrsBlock += pq;
                }
                if (i >= flatFrom) {
                    hfSum += ph;
                    qrsSum += pq;
                }
            }
            s[hfBase + slot] += hfBlock;
            s[qrsBase + slot] += qrsBlock;
        }
        s[0] = hs10;
        s[1] = hs11;
        s[2] = hs20;
        s[3] = hs21;
        s[4] = qs10;
        s[5] = qs11;
        s[6] = qs20;
        s[7] = qs21;
        s[8] = qs30;
        s[9] = qs31;
        st.fed = p;
        int flat = to - Math.max(from, flatFrom);
        hfPower = flat > 0 ? hfSum / flat : 0.0;
        qrsPower = flat > 0 ? qrsSum / flat : 0.0;
    }

    /**
     * Stores the mean HF and QRS power of stream positions {@code [from, to)} from {@code st}'s
     * block sums. The caller guarantees that {@code to} is where the stream was fed up to, that
     * {@code from} is a block boundary or the stream's settle end, and that the ring still holds
     * every block from {@code from}'s on.
     */
    void windowPowers(BandPowerStream st, long from, long to) {
        final long block = st.block;
        final int cap = st.capacity();
        final double[] s = st.s;
        final int qrsBase = BandPowerStream.FILTER_STATE + cap;
        double hf = 0;
        double qrs = 0;
        for (long b = Math.floorDiv(from, block), last = Math.floorDiv(to - 1, block); b <= last; b++) {
            int slot = (int) Math.floorMod(b, (long) cap);
            hf += s[BandPowerStream.FILTER_STATE + slot];
            qrs += s[qrsBase + slot];
        }
        hfPower = hf / (to - from);
        qrsPower = qrs / (to - from);
    }
}
