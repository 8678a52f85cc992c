package io.ecgsentinel.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.dsp.TestSignals;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The optimised {@link SignalQuality} returns bit-identical {@link LeadQuality} results to the
 * pre-optimisation implementation kept as {@link ReferenceSignalQuality}: every field, doubles
 * compared by their raw bits (so -0.0 is not 0.0 and NaN must be NaN), on real records at 360 and
 * 500 Hz (whole windows and sub-ranges through {@code off}/{@code len}), on the same windows
 * damaged (NaN gaps, infinities, held values, flat leads, clipping, DC offsets, device lead-off,
 * known rails), and on synthetic signals built to hit the edge cases of the medians (even and odd
 * counts, signed zeros, heavy ties, sorted and adversarial orders, tiny windows).
 *
 * <p>One optimised and one reference instance are used for a whole test, so scratch buffers are
 * reused across calls of different lengths exactly as in the Flink job.
 */
class SignalQualityEquivalenceTest {

    private static final int MIT_FS = 360;
    private static final int PTB_FS = 500;

    private int compared;

    /** Asserts every field of the two results is identical, doubles bit for bit. */
    static void assertIdentical(LeadQuality actual, LeadQuality expected, String where) {
        String ctx = where + "\n  optimised: " + actual + "\n  reference: " + expected;
        assertThat(actual.flat()).as("flat, %s", ctx).isEqualTo(expected.flat());
        assertThat(actual.clipped()).as("clipped, %s", ctx).isEqualTo(expected.clipped());
        assertThat(actual.leadOff()).as("leadOff, %s", ctx).isEqualTo(expected.leadOff());
        assertThat(actual.noisy()).as("noisy, %s", ctx).isEqualTo(expected.noisy());
        assertThat(actual.baselineDrift()).as("baselineDrift, %s", ctx).isEqualTo(expected.baselineDrift());
        assertThat(actual.usable()).as("usable, %s", ctx).isEqualTo(expected.usable());
        assertBits(actual.index(), expected.index(), "index", ctx);
        assertBits(actual.stdMv(), expected.stdMv(), "stdMv", ctx);
        assertBits(actual.dcOffsetMv(), expected.dcOffsetMv(), "dcOffsetMv", ctx);
        assertBits(actual.clippedFraction(), expected.clippedFraction(), "clippedFraction", ctx);
        assertBits(actual.nanFraction(), expected.nanFraction(), "nanFraction", ctx);
        assertBits(actual.hfNoiseRatio(), expected.hfNoiseRatio(), "hfNoiseRatio", ctx);
        assertBits(actual.driftMv(), expected.driftMv(), "driftMv", ctx);
        assertBits(actual.flatSeconds(), expected.flatSeconds(), "flatSeconds", ctx);
        // Records compare doubles with Double.compare: also exact, and a guard on the helper above.
        assertThat(actual).as(ctx).isEqualTo(expected);
    }

    private static void assertBits(double actual, double expected, String field, String ctx) {
        if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
            throw new AssertionError(field + " differs: " + actual + " (0x"
                    + Long.toHexString(Double.doubleToRawLongBits(actual)) + ") vs reference " + expected + " (0x"
                    + Long.toHexString(Double.doubleToRawLongBits(expected)) + "), " + ctx);
        }
    }

    /** Both implementations on one input; returns the result. */
    private LeadQuality check(SignalQuality opt, ReferenceSignalQuality ref, float[] x, int off, int len,
            boolean leadOff, double railLow, double railHigh, String where) {
        float[] before = x.clone();
        LeadQuality expected = ref.assess(x, off, len, leadOff, railLow, railHigh);
        LeadQuality actual = opt.assess(x, off, len, leadOff, railLow, railHigh);
        assertIdentical(actual, expected, where + " [off " + off + ", len " + len + ", leadOff " + leadOff
                + ", rails " + railLow + ".." + railHigh + "]");
        TestSignals.assertBitIdentical(x, before); // the input is never touched
        compared++;
        return actual;
    }

    private LeadQuality check(SignalQuality opt, ReferenceSignalQuality ref, float[] x, String where) {
        return check(opt, ref, x, 0, x.length, false, Double.NaN, Double.NaN, where);
    }

    /**
     * The window plus damaged copies of it: NaN gaps (short, long, leading, trailing, most of it),
     * infinities, a held value, a flat line, clipping at a rail, a DC offset, signed zeros, the
     * device flag and known rails.
     */
    private void checkWithVariants(SignalQuality opt, ReferenceSignalQuality ref, float[] w, double fs,
            Random rnd, String where) {
        int n = w.length;
        check(opt, ref, w, where);
        check(opt, ref, w, 0, n, true, Double.NaN, Double.NaN, where + " device lead-off");
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : w) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        check(opt, ref, w, 0, n, false, lo, hi, where + " rails at the extremes");
        check(opt, ref, w, 0, n, false, -5.12, 5.115, where + " 10-bit rails");

        float[] gap = w.clone();
        int g = rnd.nextInt(n);
        Arrays.fill(gap, g, Math.min(n, g + 1 + rnd.nextInt((int) (0.2 * fs))), Float.NaN);
        check(opt, ref, gap, where + " short NaN gap");

        float[] longGap = w.clone();
        Arrays.fill(longGap, n / 4, Math.min(n, n / 4 + (int) (1.2 * fs)), Float.NaN);
        check(opt, ref, longGap, where + " 1.2 s NaN gap");

        float[] edges = w.clone();
        Arrays.fill(edges, 0, Math.min(n, 37), Float.NaN);
        Arrays.fill(edges, Math.max(0, n - 11), n, Float.NaN);
        check(opt, ref, edges, where + " leading and trailing NaN");

        float[] mostlyNan = w.clone();
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < 0.6) {
                mostlyNan[i] = Float.NaN;
            }
        }
        check(opt, ref, mostlyNan, where + " 60% scattered NaN");

        float[] oddNan = w.clone();
        oddNan[rnd.nextInt(n)] = Float.NaN; // flips the parity of the finite count
        check(opt, ref, oddNan, where + " one NaN");

        float[] inf = w.clone();
        inf[rnd.nextInt(n)] = Float.POSITIVE_INFINITY;
        inf[rnd.nextInt(n)] = Float.NEGATIVE_INFINITY;
        check(opt, ref, inf, where + " infinities");

        float[] held = w.clone();
        int h = rnd.nextInt(n / 2);
        Arrays.fill(held, h, Math.min(n, h + (int) (1.1 * fs)), held[h]);
        check(opt, ref, held, where + " value held 1.1 s");

        float[] flat = new float[n];
        Arrays.fill(flat, w[n / 2]);
        check(opt, ref, flat, where + " constant");
        check(opt, ref, flat, 0, n, false, -5.12, w[n / 2], where + " constant at the high rail");

        float[] clipped = w.clone();
        float rail = lo + 0.6f * (hi - lo);
        for (int i = 0; i < n; i++) {
            clipped[i] = Math.min(clipped[i], rail);
        }
        check(opt, ref, clipped, where + " clipped");
        check(opt, ref, clipped, 0, n, false, -rail, rail, where + " clipped, rails known");

        float[] offset = w.clone();
        for (int i = 0; i < n; i++) {
            offset[i] += 120f;
        }
        check(opt, ref, offset, where + " +120 mV");

        float[] zeros = w.clone();
        for (int i = 0; i < n; i += 3) {
            zeros[i] = (i & 1) == 0 ? -0.0f : 0.0f;
        }
        check(opt, ref, zeros, where + " signed zeros mixed in");

        float[] noisy = w.clone();
        for (int i = 0; i < n; i++) {
            noisy[i] += (float) (0.2 * rnd.nextGaussian());
        }
        check(opt, ref, noisy, where + " plus white noise");
    }

    /**
     * The drift memo changes nothing: overlapping windows of a stream judged with one memo per lead
     * (every 1 s and every 2 s, as the job's cadence allows) equal the reference; and the memo is
     * really used (medians reused), not bypassed. Changed samples at remembered positions (a stream
     * that restarts its sample count), a window with missing samples and a shifted block grid are
     * judged afresh.
     */
    @ParameterizedTest(name = "mitdb/{0}")
    @ValueSource(strings = {"101", "203", "207"})
    void driftMemoGivesTheSameVerdicts(String record) {
        SignalQuality opt = new SignalQuality(MIT_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(MIT_FS);
        float[] x = TestSignals.lead("mitdb", record, 0, 130);
        int w = 10 * MIT_FS;
        long origin = 1_000_000L; // stream index of x[0]
        for (int step : new int[] {MIT_FS, 2 * MIT_FS}) {
            SignalQuality.DriftMemo memo = new SignalQuality.DriftMemo();
            for (int s = 0; s + w <= x.length; s += step) {
                LeadQuality expected = ref.assess(x, s, w, false, Double.NaN, Double.NaN);
                assertIdentical(opt.assess(x, s, w, false, Double.NaN, Double.NaN, origin + s, memo), expected,
                        "memo, step " + step + ", window at " + s);
                compared++;
            }
            int block = (int) Math.round(SignalQuality.DRIFT_BLOCK_SECONDS * MIT_FS);
            assertThat(memo.hits()).as("medians reused").isGreaterThan(memo.misses());
            assertThat(memo.misses()).as("each block computed once").isLessThanOrEqualTo(x.length / block + 1);
        }
        // the same stream positions now hold other samples (the stream restarted its count)
        SignalQuality.DriftMemo memo = new SignalQuality.DriftMemo();
        float[] other = TestSignals.lead("mitdb", record, 1, 130);
        for (float[] y : new float[][] {x, other, x}) {
            for (int s = 0; s + w <= 3 * w; s += 2 * MIT_FS) {
                assertIdentical(opt.assess(y, s, w, false, Double.NaN, Double.NaN, origin + s, memo),
                        ref.assess(y, s, w, false, Double.NaN, Double.NaN), "memo after a restart at " + s);
            }
        }
        // a gap: the finite samples are compacted, so the grid is not the stream's; no reuse
        float[] gap = Arrays.copyOf(x, x.length);
        Arrays.fill(gap, 3 * MIT_FS + 17, 3 * MIT_FS + 17 + MIT_FS / 3, Float.NaN);
        assertIdentical(opt.assess(gap, 0, w, false, Double.NaN, Double.NaN, origin, memo),
                ref.assess(gap, 0, w, false, Double.NaN, Double.NaN), "memo with a gap");
        // windows starting off the block grid of earlier ones
        for (int s = 7; s + w <= 4 * w; s += MIT_FS + 13) {
            assertIdentical(opt.assess(x, s, w, false, Double.NaN, Double.NaN, origin + s, memo),
                    ref.assess(x, s, w, false, Double.NaN, Double.NaN), "memo, off-grid window at " + s);
        }
    }

    @ParameterizedTest(name = "mitdb/{0}")
    @ValueSource(strings = {"101", "108", "118", "203", "207", "215", "217"})
    void mitBihWindowsEveryHop(String record) {
        // Clean, noisy (108, 203, 207), paced (217) and with long flutter/artefact (207) records.
        SignalQuality opt = new SignalQuality(MIT_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(MIT_FS);
        Random rnd = new Random(record.hashCode());
        for (int lead = 0; lead < 2; lead++) {
            float[] x = TestSignals.lead("mitdb", record, lead, 130);
            // 10 s windows every 1 s, read in place through off/len like the Flink job.
            for (int s = 0; s + 10 * MIT_FS <= x.length; s += MIT_FS) {
                check(opt, ref, x, s, 10 * MIT_FS, false, Double.NaN, Double.NaN, "mitdb/" + record + " lead " + lead);
            }
            // Shorter windows of odd and even lengths (the job judges the part after the last gap).
            for (int k = 0; k < 20; k++) {
                int len = 2 * MIT_FS + rnd.nextInt(8 * MIT_FS);
                int off = rnd.nextInt(x.length - len);
                check(opt, ref, x, off, len, false, Double.NaN, Double.NaN, "mitdb/" + record + " lead " + lead);
            }
            for (int s = 0; s < 3; s++) {
                float[] w = Arrays.copyOfRange(x, 30 * s * MIT_FS, (30 * s + 10) * MIT_FS);
                checkWithVariants(opt, ref, w, MIT_FS, rnd, "mitdb/" + record + " lead " + lead + " at " + 30 * s + " s");
            }
        }
        assertThat(compared).isGreaterThan(200);
    }

    @Test
    void noiseStressRecords() {
        SignalQuality opt = new SignalQuality(MIT_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(MIT_FS);
        Random rnd = new Random(7);
        for (String rec : List.of("118e12", "118e24")) {
            for (int lead = 0; lead < 2; lead++) {
                float[] x = TestSignals.lead("nstdb", rec, lead, 700);
                for (int s = 290; s + 10 <= 700; s += 7) {
                    check(opt, ref, x, s * MIT_FS, 10 * MIT_FS, false, Double.NaN, Double.NaN,
                            "nstdb/" + rec + " lead " + lead + " at " + s + " s");
                }
                checkWithVariants(opt, ref, Arrays.copyOfRange(x, 300 * MIT_FS, 310 * MIT_FS), MIT_FS, rnd,
                        "nstdb/" + rec + " lead " + lead);
            }
        }
    }

    @Test
    void ptbXlTwelveLeadsAt500Hz() throws IOException {
        Path dir = DataDirs.resolve("ptbxl").resolve("records500/00000");
        List<Path> heads;
        try (Stream<Path> files = Files.list(dir)) {
            heads = files.filter(p -> p.getFileName().toString().endsWith("_hr.hea")).sorted().limit(12).toList();
        }
        assertThat(heads).isNotEmpty();
        SignalQuality opt = new SignalQuality(PTB_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(PTB_FS);
        Random rnd = new Random(500);
        for (Path hea : heads) {
            WfdbRecord r = WfdbRecord.read(hea);
            assertThat(r.samplingFrequency()).isEqualTo(PTB_FS);
            String name = "ptbxl/" + hea.getFileName();
            for (int lead = 0; lead < r.signalCount(); lead++) {
                float[] x = r.millivolts(lead);
                check(opt, ref, x, name + " lead " + lead);
                int len = 2 * PTB_FS + rnd.nextInt(x.length - 2 * PTB_FS);
                check(opt, ref, x, x.length - len, len, false, Double.NaN, Double.NaN, name + " lead " + lead);
                if (lead % 4 == 0) {
                    checkWithVariants(opt, ref, x, PTB_FS, rnd, name + " lead " + lead);
                }
            }
            // And the summary over all leads, ranking included.
            float[][] all = r.millivolts();
            boolean[] off = new boolean[all.length];
            off[rnd.nextInt(all.length)] = true;
            QualitySummary a = opt.assessAll(all, off);
            QualitySummary e = ref.assessAll(all, off);
            for (int k = 0; k < all.length; k++) {
                assertIdentical(a.leads().get(k), e.leads().get(k), name + " assessAll lead " + k);
            }
            assertThat(a.ranking()).containsExactly(e.ranking());
            assertThat(a.anyUsable()).isEqualTo(e.anyUsable());
        }
    }

    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {50, 80, 100, 125, 250, 257, 360, 500, 1000})
    void syntheticSignalsAtManyRates(int fs) {
        // 50 and 80 Hz have no HF band (NaN ratio), 257 Hz gives odd drift blocks.
        SignalQuality opt = new SignalQuality(fs);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(fs);
        Random rnd = new Random(fs);
        for (int seconds : new int[] {2, 3, 10}) {
            int n = seconds * fs;
            for (int kind = 0; kind < 6; kind++) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    double t = (double) i / fs;
                    double ecg = Math.pow(Math.sin(Math.PI * 1.1 * t), 60) - 0.2 * Math.pow(Math.sin(Math.PI * 1.1 * t + 0.4), 30);
                    x[i] = (float) switch (kind) {
                        case 0 -> ecg + 0.01 * rnd.nextGaussian();
                        case 1 -> ecg + 0.5 * rnd.nextGaussian(); // very noisy
                        case 2 -> ecg + 3 * Math.sin(2 * Math.PI * 0.2 * t); // drift
                        case 3 -> ecg + 0.3 * Math.sin(2 * Math.PI * 60 * t); // mains
                        case 4 -> Math.round(200 * ecg) / 200.0; // 5 uV quantisation: many ties
                        default -> 0.003 * rnd.nextGaussian(); // flat by std
                    };
                }
                String where = "fs " + fs + " " + seconds + " s kind " + kind;
                check(opt, ref, x, where);
                checkWithVariants(opt, ref, x, fs, rnd, where);
            }
        }
    }

    @Test
    void medianEdgeCases() {
        SignalQuality opt = new SignalQuality(MIT_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(MIT_FS);
        Random rnd = new Random(11);
        // Tiny windows: fewer than 4 finite samples, then the smallest real ones, odd and even.
        for (int len = 1; len <= 12; len++) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            check(opt, ref, x, "tiny " + len);
            x[0] = Float.NaN;
            check(opt, ref, x, "tiny with NaN " + len);
        }
        float[] allNan = new float[3600];
        Arrays.fill(allNan, Float.NaN);
        check(opt, ref, allNan, "all NaN");
        float[] threeFinite = allNan.clone();
        threeFinite[5] = 1f;
        threeFinite[500] = 2f;
        threeFinite[3000] = 3f;
        check(opt, ref, threeFinite, "three finite samples");
        threeFinite[3001] = -0.0f;
        check(opt, ref, threeFinite, "four finite samples");

        // Signed zeros: the even median of {-0.0, 0.0} pairs and block medians at zero.
        for (int len : new int[] {3600, 3601, 720, 721}) {
            float[] z = new float[len];
            for (int i = 0; i < len; i++) {
                z[i] = rnd.nextBoolean() ? -0.0f : 0.0f;
            }
            check(opt, ref, z, "signed zeros " + len);
            float[] mostlyZero = z.clone();
            for (int i = 0; i < len; i += 7) {
                mostlyZero[i] = (float) (0.5 * rnd.nextGaussian());
            }
            check(opt, ref, mostlyZero, "mostly signed zeros " + len);
            float[] halfNeg = new float[len];
            for (int i = 0; i < len; i++) {
                halfNeg[i] = i < len / 2 ? -0.0f : 0.0f;
            }
            check(opt, ref, halfNeg, "-0.0 then 0.0, " + len);
        }

        // Orders that stress a quickselect: sorted, reversed, organ pipe, sawtooth, two values,
        // and extremes of the float range.
        for (int len : new int[] {3600, 3599, 2000, 4001}) {
            float[] up = new float[len];
            for (int i = 0; i < len; i++) {
                up[i] = (i - len / 3) * 1e-3f;
            }
            check(opt, ref, up, "ascending " + len);
            float[] down = new float[len];
            for (int i = 0; i < len; i++) {
                down[i] = up[len - 1 - i];
            }
            check(opt, ref, down, "descending " + len);
            float[] pipe = new float[len];
            for (int i = 0; i < len; i++) {
                pipe[i] = Math.min(i, len - 1 - i) * 1e-3f;
            }
            check(opt, ref, pipe, "organ pipe " + len);
            float[] saw = new float[len];
            for (int i = 0; i < len; i++) {
                saw[i] = (i % 17) * 0.05f - 0.3f;
            }
            check(opt, ref, saw, "sawtooth " + len);
            float[] two = new float[len];
            for (int i = 0; i < len; i++) {
                two[i] = rnd.nextInt(10) < 3 ? -1.25f : 0.75f;
            }
            check(opt, ref, two, "two values " + len);
            float[] wide = new float[len];
            for (int i = 0; i < len; i++) {
                int r = rnd.nextInt(8);
                wide[i] = r == 0 ? Float.MAX_VALUE : r == 1 ? -Float.MAX_VALUE : r == 2 ? Float.MIN_VALUE
                        : r == 3 ? -Float.MIN_VALUE : (float) (1e30 * rnd.nextGaussian());
            }
            check(opt, ref, wide, "extreme magnitudes " + len);
            float[] tiny = new float[len];
            for (int i = 0; i < len; i++) {
                tiny[i] = (float) (1e-36 * rnd.nextGaussian()); // subnormal-ish, exercises the filter flush
            }
            check(opt, ref, tiny, "tiny magnitudes " + len);
        }
    }

    @Test
    void otherThresholds() {
        SignalQuality.Thresholds th = new SignalQuality.Thresholds(0.05, 0.5, 0.02, 0.5, 5.0, 30.0, 0.2, 0.5, 0.7);
        SignalQuality opt = new SignalQuality(MIT_FS, th);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(MIT_FS, th);
        Random rnd = new Random(13);
        float[] x = TestSignals.lead("mitdb", "208", 0, 120);
        for (int s = 0; s + 10 * MIT_FS <= x.length; s += 5 * MIT_FS) {
            check(opt, ref, x, s, 10 * MIT_FS, false, Double.NaN, Double.NaN, "mitdb/208 custom thresholds");
        }
        checkWithVariants(opt, ref, Arrays.copyOf(x, 10 * MIT_FS), MIT_FS, rnd, "mitdb/208 custom thresholds");
    }

    @Test
    void randomisedWindowsWithOneInstance() {
        // Many random shapes, lengths and damages through one pair of instances, interleaving
        // lengths so the reused buffers hold stale data from longer calls.
        SignalQuality opt = new SignalQuality(PTB_FS);
        ReferenceSignalQuality ref = new ReferenceSignalQuality(PTB_FS);
        Random rnd = new Random(2024);
        for (int it = 0; it < 400; it++) {
            int n = 1 + rnd.nextInt(6000);
            float[] x = new float[n + 20];
            double scale = Math.pow(10, rnd.nextInt(7) - 3);
            double dc = rnd.nextInt(4) == 0 ? 60 * rnd.nextGaussian() : rnd.nextGaussian();
            int quant = rnd.nextInt(3);
            for (int i = 0; i < x.length; i++) {
                double v = dc + scale * rnd.nextGaussian();
                if (quant == 1) {
                    v = Math.round(v * 200) / 200.0;
                } else if (quant == 2) {
                    v = Math.round(v * 5) / 5.0;
                }
                x[i] = (float) v;
            }
            int gaps = rnd.nextInt(4);
            for (int gIdx = 0; gIdx < gaps; gIdx++) {
                int g = rnd.nextInt(x.length);
                Arrays.fill(x, g, Math.min(x.length, g + rnd.nextInt(800)), Float.NaN);
            }
            int off = rnd.nextInt(20);
            boolean leadOff = rnd.nextInt(10) == 0;
            double railLow = rnd.nextBoolean() ? Double.NaN : -scale * 2;
            double railHigh = rnd.nextBoolean() ? Double.NaN : scale * 2;
            check(opt, ref, x, off, n, leadOff, railLow, railHigh, "random " + it);
        }
    }
}
