package io.ecgsentinel.core.quality;

import io.ecgsentinel.core.dsp.BiquadCascade;
import io.ecgsentinel.core.dsp.FilterDesign;
import io.ecgsentinel.core.dsp.FloatOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Judges the quality of each lead over an analysis window (2-10 s) of raw samples in mV.
 *
 * <p>It works on the raw window, before preprocessing, because filtering hides exactly what it
 * looks for: a high-pass turns a flat line at a rail or a huge DC offset into a clean-looking zero.
 * Each call is a pure function of the window (its filters restart for every window), so the Flink
 * job can assess the window it is about to score and training can assess the same window cut from
 * a record, with identical results. The one exception is opt-in: a caller judging overlapping
 * windows of a stream may keep the noise check's filters running per lead in a {@link
 * BandPowerStream} (the Flink job does), which filters each sample once instead of once per window
 * and changes the HF ratio slightly (the window's first samples get their filter history).
 *
 * <p>Checks, with thresholds in {@link Thresholds}:
 *
 * <ul>
 *   <li>flat: standard deviation below {@code flatStdMv}, or one value repeated for {@code
 *       flatRunSeconds} (clean MIT-BIH never holds a value for more than 10 samples, 28 ms);
 *   <li>clipped: at least {@code clipFraction} of the samples (and at least 4) within 0.1 % of
 *       the range from the window's extreme, or within that of a known ADC rail;
 *   <li>lead-off: the device's flag, a NaN run of {@code leadOffNanSeconds} or half the window
 *       missing, a flat line at a known rail, or a median beyond {@code dcOffsetMv};
 *   <li>noisy: power above {@code hfEdgeHz} (Butterworth high-pass) over power in the 5-15 Hz
 *       QRS band above {@code hfRatio}; not measured (NaN) when Nyquist is below 1.05 x the edge;
 *   <li>baseline drift: range of half-second medians (robust to QRS) above {@code driftMv}.
 * </ul>
 *
 * <p>The index multiplies soft scores (missing share, clipping, HF noise, drift), each falling
 * linearly between a "fine" and a "bad" level, so mild noise already lowers it and two moderate
 * problems count more than one; flat or lead-off force 0. Drift alone can only halve it, since
 * the preprocessing removes wander. A lead is usable when it is neither flat nor lead-off and its
 * index reaches {@code usableIndex}.
 *
 * <p>Keeps scratch buffers between calls to avoid allocation: not thread-safe, one per operator.
 * The only allocation per call is the returned {@link LeadQuality}. Medians are taken by
 * quickselect on order keys (not by sorting copies) and the two filters run fused in {@link
 * BandPowers}; results are bit-identical to the straightforward sort-and-filter implementation
 * kept as an oracle in the tests ({@code ReferenceSignalQuality}).
 */
public final class SignalQuality {

    /** Lower edge of the QRS reference band (Hz). */
    static final double QRS_LOW_HZ = 5.0;
    /** Upper edge of the QRS reference band (Hz). */
    static final double QRS_HIGH_HZ = 15.0;
    /** Baseline block length (s) for the drift estimate: longer than a QRS, shorter than breathing. */
    static final double DRIFT_BLOCK_SECONDS = 0.5;
    /** Start-up span (s) of the per-window filters left out of the power sums. */
    static final double SETTLE_SECONDS = 0.25;
    /** Longest window (s) whose band powers a {@link BandPowerStream} serves from its blocks. */
    static final double STREAM_WINDOW_SECONDS = 10.0;
    /** Stream positions beyond +- this are not streamed (no overflow in the position arithmetic). */
    private static final long STREAM_POSITION_LIMIT = 1L << 62;

    /**
     * Thresholds; {@link #defaults()} were set on the MIT-BIH DS1 records here (10 s windows, raw
     * leads) so that clean segments raise no flag.
     *
     * @param flatStdMv below this standard deviation (mV) the lead is flat
     * @param flatRunSeconds a value held this long makes the lead flat
     * @param clipFraction this share of samples at an extreme or rail makes it clipped
     * @param leadOffNanSeconds a NaN run this long means lead-off
     * @param dcOffsetMv a window median beyond +- this (mV) means lead-off
     * @param hfEdgeHz lower edge of the high-frequency noise band (Hz)
     * @param hfRatio HF / QRS-band power above this makes the lead noisy
     * @param driftMv baseline range (mV) above this sets the drift flag
     * @param usableIndex minimum index of a usable lead
     */
    public record Thresholds(
            double flatStdMv,
            double flatRunSeconds,
            double clipFraction,
            double leadOffNanSeconds,
            double dcOffsetMv,
            double hfEdgeHz,
            double hfRatio,
            double driftMv,
            double usableIndex) {

        public static Thresholds defaults() {
            return new Thresholds(0.01, 1.0, 0.01, 1.0, 50.0, 40.0, 0.5, 2.0, 0.5);
        }
    }

    private final double fs;
    private final Thresholds t;
    /** Null when the rate is too low to see the HF band. */
    private final BiquadCascade hfFilter;
    private final BiquadCascade qrsFilter;
    /** Both filters in one pass (null for other filter shapes, then the cascades run). */
    private final BandPowers bandPowers;
    /** Layout of the band-power streams this analyser feeds (see {@link #streamBlock}). */
    private final int streamBlock;
    private final int streamCapacity;
    private final int settleSamples;
    private float[] scratch = new float[0];
    private float[] finite = new float[0];
    /** Order keys of the finite samples (see FloatOrder), for the medians. */
    private int[] keys = new int[0];
    /** One drift block's keys. */
    private int[] block = new int[0];
    /** The median's histogram and the keys of its bucket (see histogramSelect). */
    private final int[] histogram = new int[1 << RADIX_BITS];
    private int[] bucketKeys = new int[0];

    /** An analyser for windows sampled at {@code fs} Hz with default thresholds. */
    public SignalQuality(double fs) {
        this(fs, Thresholds.defaults());
    }

    public SignalQuality(double fs, Thresholds thresholds) {
        if (!(fs > 0)) {
            throw new IllegalArgumentException("sampling frequency must be > 0, got " + fs);
        }
        this.fs = fs;
        this.t = thresholds;
        this.hfFilter = 0.5 * fs >= 1.05 * thresholds.hfEdgeHz()
                ? FilterDesign.butterworthHighPass(4, thresholds.hfEdgeHz(), fs)
                : null;
        this.qrsFilter = FilterDesign.butterworthBandPass(2, QRS_LOW_HZ, 4, Math.min(QRS_HIGH_HZ, 0.45 * fs), fs);
        this.bandPowers = BandPowers.of(hfFilter, qrsFilter);
        this.streamBlock = streamBlock(fs);
        this.streamCapacity = (int) Math.min(1 << 20, Math.ceil(STREAM_WINDOW_SECONDS * fs / streamBlock) + 1);
        this.settleSamples = (int) Math.round(SETTLE_SECONDS * fs);
    }

    /**
     * Samples per block of a {@link BandPowerStream}: half a second at an even integer rate, a whole
     * second at an odd one, so a whole second is always a whole number of blocks and windows that
     * start on the job's 1 s hop grid (or a 0.5 s one at even rates) start on a block boundary. Short
     * enough blocks for that, long enough to keep the ring small (21 blocks cover a 10 s window).
     * Other rates: the nearest sample count to half a second.
     */
    static int streamBlock(double fs) {
        double r = Math.rint(fs);
        if (r == fs && r >= 2 && r <= Integer.MAX_VALUE) {
            long n = (long) r;
            return (int) (n % 2 == 0 ? n / 2 : n);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(0.5 * fs)));
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
        return assess(window, off, len, deviceLeadOff, railLowMv, railHighMv, 0L, null);
    }

    /**
     * As {@link #assess(float[], int, int, boolean, double, double)}, for a caller that judges
     * overlapping windows of one lead's stream: {@code streamIndex} is the stream position of
     * {@code window[off]}, and {@code memo} (one per lead, or null) remembers the half-second
     * baseline-block medians of the drift check across calls. A window with no missing sample
     * reuses the medians of its blocks that an earlier window already had at the same stream
     * positions with the same samples (a fingerprint of the block is compared), so consecutive
     * verdicts of a 10 s window every 2 s take 4 of 20 medians instead of 20. The result is the
     * same as without a memo.
     */
    public LeadQuality assess(float[] window, int off, int len, boolean deviceLeadOff, double railLowMv,
            double railHighMv, long streamIndex, DriftMemo memo) {
        return assess(window, off, len, deviceLeadOff, railLowMv, railHighMv, streamIndex, memo, null);
    }

    /**
     * As {@link #assess(float[], int, int, boolean, double, double, long, DriftMemo)}, with the
     * noise check's two filters kept running in {@code band} (one per lead, or null) instead of
     * restarted for the window, so each sample of the stream is filtered once.
     *
     * <p>When every sample of the window is finite and {@code band} was fed up to a position inside
     * the window (or its end) without a gap, the window's new samples are fed to it and the HF and
     * QRS powers are the means over the window's samples from its block sums, leaving out only the
     * samples within {@link #SETTLE_SECONDS} of the stream's own start. This needs the window's start
     * (or the stream's settle end, if later) on a block boundary ({@link #streamBlock}, in {@code
     * streamIndex} positions) and the window no longer than {@link #STREAM_WINDOW_SECONDS}. The
     * powers then differ from the per-window ones only by the filter history the window keeps
     * (its first {@link #SETTLE_SECONDS} count, with settled filters) and by summation order.
     *
     * <p>Otherwise (a missing or infinite sample in the window, a gap or a step back from where the
     * stream was fed, a block misalignment, another rate or HF edge) {@code band} is restarted, the
     * result is exactly the per-window one, and a window without missing samples starts the new
     * stream in the same pass. Everything but the HF ratio is computed as without {@code band}.
     */
    public LeadQuality assess(float[] window, int off, int len, boolean deviceLeadOff, double railLowMv,
            double railHighMv, long streamIndex, DriftMemo memo, BandPowerStream band) {
        if (len <= 0) {
            throw new IllegalArgumentException("empty window");
        }
        // Finite samples, in order, for every statistic; NaNs only count as missing. Gaps are
        // closed up before filtering, so a short gap adds at most one small step to the HF power.
        // The same pass writes each sample's order key (see FloatOrder) for the medians and finds the
        // extremes as keys (integer compares, the same order as Math.min/max on floats).
        float[] x = finiteBuffer(len);
        int[] keys = keyBuffer(len);
        int n = 0;
        int nanRun = 0;
        int longestNanRun = 0;
        int minKey = Integer.MAX_VALUE;
        int maxKey = Integer.MIN_VALUE;
        if (allFinite(window, off, len)) {
            // The usual window: integer work only and stores to i, in a loop without exits.
            System.arraycopy(window, off, x, 0, len);
            for (int i = 0; i < len; i++) {
                int key = FloatOrder.key(x[i]);
                keys[i] = key;
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
            }
            n = len;
        } else {
            for (int i = off, end = off + len; i < end; i++) {
                float v = window[i];
                if (Float.isNaN(v) || Float.isInfinite(v)) {
                    nanRun++;
                    longestNanRun = Math.max(longestNanRun, nanRun);
                    continue;
                }
                nanRun = 0;
                int key = FloatOrder.key(v);
                keys[n] = key;
                minKey = Math.min(minKey, key);
                maxKey = Math.max(maxKey, key);
                x[n++] = v;
            }
        }
        double nanFraction = 1.0 - (double) n / len;
        boolean nanLeadOff = longestNanRun >= t.leadOffNanSeconds() * fs || nanFraction >= 0.5;
        if (n < 4) {
            if (band != null) {
                band.reset();
            }
            return new LeadQuality(true, false, true, false, false, 0.0, false, 0.0, Double.NaN, 0.0, nanFraction,
                    Double.NaN, 0.0, longestRun(x, n) / fs);
        }
        float min = FloatOrder.value(minKey);
        float max = FloatOrder.value(maxKey);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i];
        }
        mean /= n;

        // Saturation: values within 0.1 % of the range of an extreme (a clipped QRS shows many).
        // Counted in the same pass as the variance, and so is the longest run of one value (a held
        // value: consecutive finite samples, the gaps closed up), whose compares fill the slots the
        // chain of additions leaves free.
        double tol = Math.max(1e-6, 1e-3 * (max - min));
        boolean railsKnown = !Double.isNaN(railLowMv) && !Double.isNaN(railHighMv);
        double maxLimit = max - tol;
        double minLimit = min + tol;
        double railHighLimit = railHighMv - tol;
        double railLowLimit = railLowMv + tol;
        double ss = 0;
        int atMax = 0;
        int atMin = 0;
        int atRail = 0;
        int valueRun = 0;
        int longestValueRun = 0;
        float prev = Float.NaN;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            double d = v - mean;
            ss += d * d;
            if (v >= maxLimit) {
                atMax++;
            }
            if (v <= minLimit) {
                atMin++;
            }
            if (railsKnown && (v >= railHighLimit || v <= railLowLimit)) {
                atRail++;
            }
            valueRun = v == prev ? valueRun + 1 : 1;
            longestValueRun = Math.max(longestValueRun, valueRun);
            prev = v;
        }
        double std = Math.sqrt(ss / n);
        double flatSeconds = longestValueRun / fs;
        boolean flat = std < t.flatStdMv() || flatSeconds >= t.flatRunSeconds();

        int atExtreme = flat ? atRail : Math.max(Math.max(atMax, atMin), atRail);
        double clippedFraction = (double) atExtreme / n;
        boolean clipped = atExtreme >= 4 && clippedFraction >= t.clipFraction();

        // drift() reads the keys in sample order; median() leaves them as they are.
        // Block positions are stream positions only when no sample is missing (the keys are compacted).
        double drift = drift(keys, n, n == len ? memo : null, streamIndex);
        boolean drifting = drift > t.driftMv();
        double median = median(keys, n, minKey, maxKey);
        boolean flatAtRail = flat && railsKnown
                && (median >= railHighMv - tol || median <= railLowMv + tol);
        boolean leadOff = deviceLeadOff || nanLeadOff || flatAtRail || Math.abs(median) > t.dcOffsetMv();

        double hfRatio = hfRatio(x, n, n == len ? band : null, streamIndex);
        if (n != len && band != null) {
            band.reset();
        }
        boolean noisy = !flat && hfRatio > t.hfRatio();

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

    /**
     * HF-band power over QRS-band power: after the per-window filters settle, or from {@code band}
     * (null: none, or the window has missing samples) when it can serve {@code x[0, n)} at stream
     * positions from {@code streamIndex}.
     */
    private double hfRatio(float[] x, int n, BandPowerStream band, long streamIndex) {
        if (hfFilter == null) {
            if (band != null) {
                band.reset();
            }
            return Double.NaN;
        }
        int skip = (int) Math.min(n / 2, Math.round(SETTLE_SECONDS * fs));
        double hf;
        double qrs;
        if (band != null && bandPowers != null && Math.abs(streamIndex) < STREAM_POSITION_LIMIT) {
            long end = streamIndex + n;
            long settleEnd = band.start() + settleSamples;
            long from = Math.max(streamIndex, settleEnd);
            if (streamable(band, streamIndex, end, from)) {
                bandPowers.feed(band, x, (int) (band.fedUpTo() - streamIndex), n, settleEnd, n);
                bandPowers.windowPowers(band, from, end);
            } else {
                // Restart the stream at the window, with the per-window powers from the same pass.
                band.begin(fs, t.hfEdgeHz(), streamBlock, streamCapacity, streamIndex);
                bandPowers.feed(band, x, 0, n, streamIndex + settleSamples, skip);
            }
            hf = bandPowers.hfPower();
            qrs = bandPowers.qrsPower();
        } else if (bandPowers != null) {
            if (band != null) {
                band.reset();
            }
            bandPowers.run(x, n, skip);
            hf = bandPowers.hfPower();
            qrs = bandPowers.qrsPower();
        } else {
            if (band != null) {
                band.reset();
            }
            float[] y = scratch(n);
            hfFilter.reset();
            hfFilter.process(x, 0, n, y, 0);
            hf = power(y, skip, n);
            qrsFilter.reset();
            qrsFilter.process(x, 0, n, y, 0);
            qrs = power(y, skip, n);
        }
        // A lead with no QRS-band power at all but some HF power is all noise.
        return qrs > 0 ? hf / qrs : (hf > 0 ? Double.POSITIVE_INFINITY : 0.0);
    }

    /**
     * Whether {@code band} (of this analyser's layout) was fed without a gap up to a position in
     * {@code [start, end]} and its blocks cover {@code [from, end)} exactly: {@code from}, the later
     * of the window start and the stream's settle end, is that settle end or a block boundary, and
     * the ring still holds its block once the window's new samples are in.
     */
    private boolean streamable(BandPowerStream band, long start, long end, long from) {
        if (band.isEmpty() || band.fs != fs || band.hfEdgeHz != t.hfEdgeHz() || band.block != streamBlock
                || band.capacity() != streamCapacity) {
            return false;
        }
        if (start < band.start() || start > band.fedUpTo() || end < band.fedUpTo() || from >= end) {
            return false;
        }
        if (from != band.start() + settleSamples && Math.floorMod(from, (long) streamBlock) != 0) {
            return false;
        }
        return Math.floorDiv(from, (long) streamBlock) > Math.floorDiv(end - 1, (long) streamBlock) - streamCapacity;
    }

    /**
     * Range of the medians of consecutive half-second blocks (a trailing part block is ignored).
     * A block's median is its upper middle value, {@code sorted[block / 2]}.
     */
    private double drift(int[] keys, int n, DriftMemo memo, long streamIndex) {
        int block = (int) Math.max(1, Math.round(DRIFT_BLOCK_SECONDS * fs));
        if (n < 2 * block) {
            return 0.0;
        }
        int[] s = blockBuffer(block);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int b = 0; b + block <= n; b += block) {
            double m;
            if (memo != null) {
                long at = streamIndex + b;
                long print = DriftMemo.fingerprint(keys, b, block);
                m = memo.get(at, block, print);
                if (Double.isNaN(m)) {
                    System.arraycopy(keys, b, s, 0, block);
                    m = FloatOrder.value(select(s, 0, block, block / 2));
                    memo.put(at, block, print, m);
                }
            } else {
                System.arraycopy(keys, b, s, 0, block);
                m = FloatOrder.value(select(s, 0, block, block / 2));
            }
            lo = Math.min(lo, m);
            hi = Math.max(hi, m);
        }
        return hi - lo;
    }

    /**
     * The drift check's block medians of one lead's stream, by stream position (see
     * {@link #assess(float[], int, int, boolean, double, double, long, DriftMemo)}): a small
     * direct-mapped table holding the last {@value #SLOTS} blocks. Each entry keeps the block's
     * position, length and a fingerprint of its samples (their order keys), so a block whose samples
     * differ from the remembered ones (a stream that restarted its sample count) is computed afresh.
     * Not thread-safe; a cache, so it need not be kept in checkpoints.
     */
    public static final class DriftMemo {
        /** Consecutive blocks get distinct slots: a 10 s window (20 blocks) and up to 6 s more. */
        static final int SLOTS = 32;
        private final long[] at = new long[SLOTS];
        private final int[] len = new int[SLOTS];
        private final long[] print = new long[SLOTS];
        private final double[] median = new double[SLOTS];
        private long hits;
        private long misses;

        public DriftMemo() {
            java.util.Arrays.fill(at, Long.MIN_VALUE);
        }

        double get(long position, int length, long fingerprint) {
            int i = slot(position, length);
            if (at[i] == position && len[i] == length && print[i] == fingerprint) {
                hits++;
                return median[i];
            }
            misses++;
            return Double.NaN;
        }

        /** Medians taken from the memo so far. */
        public long hits() {
            return hits;
        }

        /** Medians the memo did not have. */
        public long misses() {
            return misses;
        }

        void put(long position, int length, long fingerprint, double m) {
            int i = slot(position, length);
            at[i] = position;
            len[i] = length;
            print[i] = fingerprint;
            median[i] = m;
        }

        private static int slot(long position, int length) {
            return (int) Math.floorMod(Math.floorDiv(position, length), (long) SLOTS);
        }

        /** A 64-bit fingerprint of keys[from, from + n): two differently weighted sums. */
        static long fingerprint(int[] keys, int from, int n) {
            long a = 0;
            long b = 0;
            for (int i = from, end = from + n; i < end; i++) {
                a += keys[i];
                b += (long) keys[i] * (i - from + 1);
            }
            return a * 0x9E3779B97F4A7C15L + b;
        }
    }

    /**
     * Median of the {@code n} order keys (left as they are): the middle value, or the mean of the
     * two middle values (in double) for an even count. Taken by {@link #histogramSelect}, which
     * finds the same order statistics as a sort.
     */
    private double median(int[] keys, int n, int minKey, int maxKey) {
        long both = histogramSelect(keys, n, n / 2, minKey, maxKey, histogram, bucketBuffer(n));
        int upper = (int) (both >> 32);
        if (n % 2 == 1) {
            return FloatOrder.value(upper);
        }
        return 0.5 * ((double) FloatOrder.value((int) both) + FloatOrder.value(upper));
    }

    /** Buckets of {@link #histogramSelect}'s first pass. */
    static final int RADIX_BITS = 11;

    /**
     * The {@code k}-th smallest of {@code keys[0, n)} (0-based, {@code 1 <= k < n} or {@code k ==
     * 0}) and the {@code (k-1)}-th (the largest of the {@code k} smallest; {@code Integer.MIN_VALUE}
     * when {@code k == 0}), packed as {@code kth << 32 | previous & 0xffffffff}; {@code keys} is not changed. One pass finds
     * the key range, one counts the keys into {@code 2^RADIX_BITS} buckets of equal key range, one
     * copies the keys of the bucket that holds the k-th into {@code bucket} (and keeps the largest
     * key below that bucket), and {@link #select} finishes on those few. The same order statistics
     * as {@link #select} on the whole array; for a 10 s window at 500 Hz the last step sees a few
     * hundred keys instead of 5,000, and the passes before it have no data-dependent branch but one.
     *
     * @param histogram scratch of {@code 2^RADIX_BITS} ints (overwritten)
     * @param bucket scratch of at least {@code n} ints (overwritten)
     */
    static long histogramSelect(int[] keys, int n, int k, int[] histogram, int[] bucket) {
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, keys[i]);
            hi = Math.max(hi, keys[i]);
        }
        return histogramSelect(keys, n, k, lo, hi, histogram, bucket);
    }

    /**
     * {@link #histogramSelect(int[], int, int, int[], int[])} for a caller that already knows the
     * smallest ({@code lo}) and largest ({@code hi}) of the keys, which saves its first pass.
     */
    static long histogramSelect(int[] keys, int n, int k, int lo, int hi, int[] histogram, int[] bucket) {
        // keys[i] - lo as an unsigned int lies in [0, hi - lo] (< 2^32); shift it to RADIX_BITS bits
        long range = (long) hi - lo;
        int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(range) - RADIX_BITS);
        int buckets = (int) (range >>> shift) + 1;
        Arrays.fill(histogram, 0, buckets, 0);
        for (int i = 0; i < n; i++) {
            histogram[(keys[i] - lo) >>> shift]++;
        }
        int b = 0;
        int before = 0;
        while (before + histogram[b] <= k) {
            before += histogram[b++];
        }
        int m = 0;
        int below = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int key = keys[i];
            int kb = (key - lo) >>> shift;
            if (kb == b) {
                bucket[m++] = key;
            } else if (kb < b) {
                below = Math.max(below, key);
            }
        }
        int kk = k - before;
        int kth = select(bucket, 0, m, kk);
        int previous = below;
        // select left the kk smallest keys of the bucket in [0, kk): the (k-1)-th is their maximum
        for (int i = 0; i < kk; i++) {
            previous = Math.max(previous, bucket[i]);
        }
        return (long) kth << 32 | (previous & 0xffffffffL);
    }

    /** Exponent bits of a float: all ones for NaN and the infinities. */
    private static final int EXPONENT_MASK = 0x7f800000;

    /**
     * Whether {@code w[off, off + len)} holds no NaN or infinity, by a scan without branches: the
     * exponent bits plus one exponent step reach the sign bit only when they are all ones.
     */
    static boolean allFinite(float[] w, int off, int len) {
        int any = 0;
        for (int i = off, end = off + len; i < end; i++) {
            any |= (Float.floatToRawIntBits(w[i]) & EXPONENT_MASK) + 0x00800000;
        }
        return any >= 0;
    }

    /** Longest run of equal consecutive values of {@code x[0, n)} (0 for none). */
    static int longestRun(float[] x, int n) {
        int run = 0;
        int longest = 0;
        float prev = Float.NaN;
        for (int i = 0; i < n; i++) {
            run = x[i] == prev ? run + 1 : 1;
            longest = Math.max(longest, run);
            prev = x[i];
        }
        return longest;
    }

    /**
     * Quickselect: reorders {@code a[from, to)} so that {@code a[k]} holds the value a full sort
     * would put there, everything before it is {@code <=} and everything after is {@code >=}, and
     * returns {@code a[k]}. Median-of-three pivots; a range that does not shrink fast enough (an
     * adversarial order) is finished with {@link Arrays#sort(int[], int, int)}, so the worst case
     * stays O(n log n).
     */
    static int select(int[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(to - from)) + 4;
        while (hi > lo) {
            if (hi - lo < 16) {
                insertionSort(a, lo, hi);
                return a[k];
            }
            if (--budget < 0) {
                Arrays.sort(a, lo, hi + 1);
                return a[k];
            }
            int mid = (lo + hi) >>> 1;
            // Order a[lo] <= a[mid] <= a[hi]; a[mid] is the pivot.
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            int pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int tmp = a[i];
                    a[i] = a[j];
                    a[j] = tmp;
                    i++;
                    j--;
                }
            }
            // Now a[lo..j] <= pivot, a[i..hi] >= pivot, and a[j+1..i-1] == pivot.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void insertionSort(int[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
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

    private int[] keyBuffer(int n) {
        if (keys.length < n) {
            keys = new int[n];
        }
        return keys;
    }

    private int[] bucketBuffer(int n) {
        if (bucketKeys.length < n) {
            bucketKeys = new int[n];
        }
        return bucketKeys;
    }

    private int[] blockBuffer(int n) {
        if (block.length < n) {
            block = new int[n];
        }
        return block;
    }
}
