package io.ecgsentinel.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.dsp.BiquadCascade;
import io.ecgsentinel.core.dsp.FilterDesign;
import io.ecgsentinel.core.dsp.TestSignals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SignalQuality}'s streaming noise check ({@link BandPowerStream}): the band powers it takes
 * from its blocks equal a direct reference (each cascade run once over the whole stream, the squares
 * of the window's float outputs summed) to within the rounding of the sums; whenever it cannot serve
 * a window (fresh, a missing sample, a gap, a step back, an off-grid start, another rate, a window
 * longer than its ring) the verdict is bit for bit the per-window one and the stream restarts; and
 * its state survives a write and read.
 */
class BandPowerStreamTest {

    private static final int MIT_FS = 360;

    /** Power sums in a different order: a few ulps of the sum of up to 5000 positive terms. */
    private static final double SUM_TOLERANCE = 1e-12;

    /** The two cascades of {@code sq}'s noise check, run over the whole stream from its start. */
    private record Reference(float[] hf, float[] qrs) {
        static Reference of(double fs, float[] x, int from, int to) {
            BiquadCascade hf = FilterDesign.butterworthHighPass(4, SignalQuality.Thresholds.defaults().hfEdgeHz(), fs);
            BiquadCascade qrs = FilterDesign.butterworthBandPass(2, SignalQuality.QRS_LOW_HZ, 4,
                    Math.min(SignalQuality.QRS_HIGH_HZ, 0.45 * fs), fs);
            float[] yh = new float[x.length];
            float[] yq = new float[x.length];
            hf.process(x, from, to - from, yh, from);
            qrs.process(x, from, to - from, yq, from);
            return new Reference(yh, yq);
        }

        static double power(float[] y, int from, int to) {
            double p = 0;
            for (int i = from; i < to; i++) {
                p += (double) y[i] * y[i];
            }
            return p / (to - from);
        }
    }

    private static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs reference %s", what, actual, expected)
                .isLessThanOrEqualTo(SUM_TOLERANCE * Math.abs(expected));
    }

    /** Every field but the HF ratio and what follows from it is the per-window verdict's, bit for bit. */
    private static void assertSameExceptNoise(LeadQuality a, LeadQuality e, String where) {
        LeadQuality same = new LeadQuality(a.flat(), a.clipped(), a.leadOff(), e.noisy(), a.baselineDrift(),
                e.index(), e.usable(), a.stdMv(), a.dcOffsetMv(), a.clippedFraction(), a.nanFraction(),
                e.hfNoiseRatio(), a.driftMv(), a.flatSeconds());
        SignalQualityEquivalenceTest.assertIdentical(same, e, where);
    }

    /**
     * The job's pattern: 10 s windows every 2 s of one stream, the first ones starting after a
     * leading gap (the reorder margin of the frame buffer), the stream fed only at verdicts. The HF
     * and QRS powers behind each verdict match the reference over the same stream positions, and the
     * stream is really used (it keeps its start; its ratio is not the per-window one).
     */
    @ParameterizedTest(name = "mitdb/{0}")
    @ValueSource(strings = {"101", "203", "207"})
    void streamingPowersMatchTheCascadesOverTheWholeStream(String record) {
        float[] x = TestSignals.lead("mitdb", record, 0, 120);
        int lead = (int) (3.3 * MIT_FS); // first finite sample, off the block grid
        Arrays.fill(x, 0, lead, Float.NaN);
        SignalQuality sq = new SignalQuality(MIT_FS);
        BandPowerStream band = new BandPowerStream();
        Reference ref = Reference.of(MIT_FS, x, lead, x.length);
        int settle = (int) Math.round(SignalQuality.SETTLE_SECONDS * MIT_FS);
        int w = 10 * MIT_FS;
        int streamed = 0;
        int differ = 0;
        for (int s = 0; s + w <= x.length; s += 2 * MIT_FS) {
            int from = Math.max(s, lead);
            LeadQuality q = sq.assess(x, from, s + w - from, false, Double.NaN, Double.NaN, from, null, band);
            LeadQuality perWindow = sq.assess(x, from, s + w - from, false, Double.NaN, Double.NaN);
            assertSameExceptNoise(q, perWindow, "window at " + s);
            assertThat(band.start()).as("the stream started once").isEqualTo(lead);
            assertThat(band.fedUpTo()).isEqualTo(s + w);
            if (s == 0) {
                SignalQualityEquivalenceTest.assertIdentical(q, perWindow, "first window: per-window");
                continue;
            }
            int p0 = Math.max(from, lead + settle);
            double hf = Reference.power(ref.hf(), p0, s + w);
            double qrs = Reference.power(ref.qrs(), p0, s + w);
            assertClose(q.hfNoiseRatio(), hf / qrs, "hf/qrs, window at " + s);
            if (from > lead) { // windows that do not start with the stream: history counts, so they differ
                streamed++;
                if (q.hfNoiseRatio() != perWindow.hfNoiseRatio()) {
                    differ++;
                }
            }
        }
        assertThat(streamed).isGreaterThan(40);
        assertThat(differ).as("streamed ratios are not the per-window ones").isEqualTo(streamed);
    }

    /** The two powers separately, at several rates, fed in uneven chunks between windows. */
    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {125, 250, 257, 360, 500, 1000})
    void blockSumsMatchTheReferenceAtManyRates(int fs) {
        Random rnd = new Random(fs);
        float[] mit = TestSignals.lead("mitdb", "208", 0, 60);
        int n = 40 * fs;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = mit[i % mit.length] + (float) (0.05 * rnd.nextGaussian());
        }
        BiquadCascade hf = FilterDesign.butterworthHighPass(4, 40, fs);
        BiquadCascade qrs = FilterDesign.butterworthBandPass(2, 5, 4, Math.min(15, 0.45 * fs), fs);
        BandPowers bp = BandPowers.of(hf, qrs);
        int block = SignalQuality.streamBlock(fs);
        int cap = (int) Math.ceil(SignalQuality.STREAM_WINDOW_SECONDS * fs / block) + 1;
        int settle = (int) Math.round(SignalQuality.SETTLE_SECONDS * fs);
        long origin = 7L * block; // stream positions of x[0]: on the grid, not 0
        BandPowerStream band = new BandPowerStream();
        band.begin(fs, 40, block, cap, origin);
        Reference ref = Reference.of(fs, x, 0, n);
        int fed = 0;
        int checked = 0;
        while (fed < n) {
            int chunk = Math.min(n - fed, 1 + rnd.nextInt(3 * fs));
            bp.feed(band, x, fed, fed + chunk, origin + settle, Integer.MAX_VALUE);
            fed += chunk;
            assertThat(band.fedUpTo()).isEqualTo(origin + fed);
            // every window the ring still covers that starts on a block boundary or at the settle end
            long lastBlock = Math.floorDiv(origin + fed - 1, block);
            for (long b = lastBlock - cap + 1; b <= lastBlock; b++) {
                long from = Math.max(b * block, origin + settle);
                if (from >= origin + fed || (from != origin + settle && from != b * block)) {
                    continue;
                }
                bp.windowPowers(band, from, origin + fed);
                int i0 = (int) (from - origin);
                assertClose(bp.hfPower(), Reference.power(ref.hf(), i0, fed), "hf fs " + fs + " from " + i0);
                assertClose(bp.qrsPower(), Reference.power(ref.qrs(), i0, fed), "qrs fs " + fs + " from " + i0);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void theFlatSumOfAFreshStreamIsRunBitForBit() {
        Random rnd = new Random(9);
        float[] mit = TestSignals.lead("mitdb", "203", 0, 30);
        for (int fs : new int[] {250, 360, 500}) {
            BandPowers bp = BandPowers.of(FilterDesign.butterworthHighPass(4, 40, fs),
                    FilterDesign.butterworthBandPass(2, 5, 4, Math.min(15, 0.45 * fs), fs));
            for (int it = 0; it < 30; it++) {
                int n = 1 + rnd.nextInt(10 * fs);
                float[] x = Arrays.copyOfRange(mit, 0, n);
                int skip = rnd.nextInt(n + 1);
                bp.run(x, n, skip);
                double hf = bp.hfPower();
                double qrs = bp.qrsPower();
                BandPowerStream band = new BandPowerStream();
                band.begin(fs, 40, fs / 2, 21, rnd.nextInt(1000) - 500);
                bp.feed(band, x, 0, n, band.start() + rnd.nextInt(n + 1), skip);
                assertThat(Double.doubleToRawLongBits(bp.hfPower())).isEqualTo(Double.doubleToRawLongBits(hf));
                assertThat(Double.doubleToRawLongBits(bp.qrsPower())).isEqualTo(Double.doubleToRawLongBits(qrs));
            }
        }
    }

    /** Each case the stream cannot serve: the per-window verdict exactly, and a restarted stream. */
    @Test
    void whatTheStreamCannotServeIsJudgedPerWindow() {
        float[] x = TestSignals.lead("mitdb", "119", 0, 90);
        SignalQuality sq = new SignalQuality(MIT_FS);
        int w = 10 * MIT_FS;
        BandPowerStream band = new BandPowerStream();

        // fresh
        assertPerWindow(sq, x, 0, w, band, "fresh stream");
        assertThat(band.start()).isEqualTo(0);
        assertThat(band.fedUpTo()).isEqualTo(w);
        streamed(sq, x, 2 * MIT_FS, w, band);

        // a gap: the next window starts after where the stream was fed
        int s = 2 * MIT_FS + w + MIT_FS;
        assertPerWindow(sq, x, s, w, band, "gap");
        assertThat(band.start()).as("restarted at the window").isEqualTo(s);
        streamed(sq, x, s + 2 * MIT_FS, w, band);

        // a step back: the window ends before where the stream was fed
        assertPerWindow(sq, x, s, w, band, "step back");
        assertThat(band.start()).isEqualTo(s);
        streamed(sq, x, s + 2 * MIT_FS, w, band);

        // a start off the block grid (180 samples at 360 Hz); the next window on the grid streams
        int off = s + 4 * MIT_FS + 7;
        assertPerWindow(sq, x, off, w, band, "off the block grid");
        assertThat(band.start()).isEqualTo(off);
        assertThat(Math.floorMod(off + 2 * MIT_FS, SignalQuality.streamBlock(MIT_FS))).isNotZero();
        assertPerWindow(sq, x, off + 2 * MIT_FS, w, band, "off the block grid again");
        assertThat(band.start()).isEqualTo(off + 2 * MIT_FS);
        streamed(sq, x, 20 * MIT_FS, w, band);

        // a missing sample: per-window on the finite samples, and the stream is dropped
        float[] gap = x.clone();
        gap[22 * MIT_FS + w - 100] = Float.NaN;
        assertPerWindow(sq, gap, 22 * MIT_FS, w, band, "NaN");
        assertThat(band.isEmpty()).isTrue();
        float[] inf = x.clone();
        inf[100] = Float.POSITIVE_INFINITY;
        assertPerWindow(sq, inf, 0, w, band, "infinity");
        assertThat(band.isEmpty()).isTrue();

        // a window longer than the ring covers
        assertPerWindow(sq, x, 0, w, band, "restart");
        assertPerWindow(sq, x, 2 * MIT_FS, w + 2 * MIT_FS, band, "12 s window");

        // another rate, and another HF edge, on the same stream
        streamed(sq, x, 2 * MIT_FS + 2 * MIT_FS, w, band);
        assertPerWindow(new SignalQuality(500), x, 6 * MIT_FS, w, band, "another rate");
        assertThat(band.fs).isEqualTo(500);
        SignalQuality.Thresholds d = SignalQuality.Thresholds.defaults();
        SignalQuality edge30 = new SignalQuality(500, new SignalQuality.Thresholds(d.flatStdMv(), d.flatRunSeconds(),
                d.clipFraction(), d.leadOffNanSeconds(), d.dcOffsetMv(), 30.0, d.hfRatio(), d.driftMv(),
                d.usableIndex()));
        assertPerWindow(edge30, x, 6 * MIT_FS + 500, w, band, "another HF edge");

        // a flat (constant) window and a tiny one
        float[] flat = new float[w];
        Arrays.fill(flat, 0.25f);
        assertPerWindow(sq, flat, 0, w, band, "constant");
        assertPerWindow(sq, x, 0, 3, band, "3 samples");
        assertThat(band.isEmpty()).isTrue();

        // a rate without the HF band: NaN ratio, the stream stays empty
        SignalQuality low = new SignalQuality(60);
        assertPerWindow(low, x, 0, 600, band, "60 Hz");
        assertThat(band.isEmpty()).isTrue();

        // positions at the ends of the long range
        for (long at : new long[] {Long.MAX_VALUE - w, Long.MIN_VALUE + 1}) {
            LeadQuality q = sq.assess(x, 0, w, false, Double.NaN, Double.NaN, at, null, band);
            SignalQualityEquivalenceTest.assertIdentical(q, sq.assess(x, 0, w, false, Double.NaN, Double.NaN),
                    "position " + at);
            assertThat(band.isEmpty()).isTrue();
        }
    }

    private static void assertPerWindow(SignalQuality sq, float[] x, int s, int len, BandPowerStream band,
            String where) {
        LeadQuality q = sq.assess(x, s, len, false, Double.NaN, Double.NaN, s, null, band);
        SignalQualityEquivalenceTest.assertIdentical(q, sq.assess(x, s, len, false, Double.NaN, Double.NaN), where);
    }

    /** A window the stream serves: the stream keeps its start, and the ratio is not the per-window one. */
    private static void streamed(SignalQuality sq, float[] x, int s, int len, BandPowerStream band) {
        long start = band.start();
        LeadQuality q = sq.assess(x, s, len, false, Double.NaN, Double.NaN, s, null, band);
        assertThat(band.start()).as("stream kept at %d", s).isEqualTo(start);
        assertThat(band.fedUpTo()).isEqualTo(s + len);
        assertThat(q.hfNoiseRatio()).isNotEqualTo(sq.assess(x, s, len, false, Double.NaN, Double.NaN).hfNoiseRatio());
    }

    /** Written and read back part-way, a stream continues exactly like the uninterrupted one. */
    @Test
    void stateRoundTripsAndContinuesIdentically() throws IOException {
        float[] x = TestSignals.lead("mitdb", "208", 1, 60);
        SignalQuality sq = new SignalQuality(MIT_FS);
        int w = 10 * MIT_FS;
        BandPowerStream a = new BandPowerStream();
        BandPowerStream b = null;
        for (int s = 0; s + w <= x.length; s += 2 * MIT_FS) {
            LeadQuality qa = sq.assess(x, s, w, false, Double.NaN, Double.NaN, s, null, a);
            if (s == 10 * MIT_FS) {
                b = roundTrip(a);
                assertThat(b.toString()).isEqualTo(a.toString());
                assertThat(b.s).containsExactly(a.s);
            } else if (b != null) {
                LeadQuality qb = sq.assess(x, s, w, false, Double.NaN, Double.NaN, s, null, b);
                SignalQualityEquivalenceTest.assertIdentical(qb, qa, "restored, window at " + s);
            }
        }
        assertThat(b).isNotNull();
        assertThat(roundTrip(new BandPowerStream()).isEmpty()).isTrue();
        // about 0.46 KB per lead at 500 Hz: 12 leads stay well under 10 KB of keyed state
        BandPowerStream at500 = new BandPowerStream();
        new SignalQuality(500).assess(TestSignals.noise(2, 5000, 0.2, 0), 0, 5000, false, Double.NaN, Double.NaN, 0,
                null, at500);
        assertThat(bytes(at500).length).isLessThan(480);
    }

    @Test
    void corruptStateIsRefused() throws IOException {
        BandPowerStream band = new BandPowerStream();
        band.begin(360, 40, 180, 21, 5);
        band.fed = 4; // fed before its start
        assertThatThrownBy(() -> roundTrip(band)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        band.fed = 5;
        band.s = new double[11];
        assertThatThrownBy(() -> roundTrip(band)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        band.s = new double[52];
        band.block = 0;
        assertThatThrownBy(() -> roundTrip(band)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }

    private static byte[] bytes(BandPowerStream b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        b.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static BandPowerStream roundTrip(BandPowerStream b) throws IOException {
        return BandPowerStream.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(b))));
    }
}
