package io.ecgsentinel.models.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.models.ModelSpec;
import org.junit.jupiter.api.Test;

class BeatWindowExtractorTest {

    private static final int W = ModelSpec.WINDOW, L = ModelSpec.N_LEADS, C = ModelSpec.ECG_CHANNELS;

    @Test
    void windowIsCentredOnTheBeatAndAbsentLeadsAreMasked() {
        float[][] ch = new float[L][];
        ch[1] = new float[1000];
        ch[1][400] = 5f; // a spike at the beat
        long[] beats = {300, 400, 480};
        BeatWindows out = new BeatWindows(2);
        new BeatWindowExtractor().extract(ch, 0, beats, 1, null, out, 1);
        int peak = -1;
        float max = -1;
        for (int k = 0; k < W; k++) {
            float v = out.ecg[W * C + k * C + 1];
            if (v > max) {
                max = v;
                peak = k;
            }
        }
        assertThat(peak).isEqualTo(ModelSpec.PRE);
        assertThat(out.mask[L + 1]).isEqualTo(1f);
        assertThat(out.mask[L]).isEqualTo(0f);
        for (int k = 0; k < W; k++) assertThat(out.ecg[W * C + k * C]).isZero();
        // z-scored: mean 0
        double sum = 0;
        for (int k = 0; k < W; k++) sum += out.ecg[W * C + k * C + 1];
        assertThat(sum / W).isCloseTo(0, within(1e-4));
        // row 0 untouched
        assertThat(out.mask[1]).isZero();
    }

    @Test
    void bufferOffsetAndPaddingFollowStreamIndexes() {
        float[][] ch = new float[L][];
        ch[0] = new float[300];
        for (int i = 0; i < 300; i++) ch[0][i] = i % 7;
        BeatWindows a = new BeatWindows(1);
        BeatWindows b = new BeatWindows(1);
        BeatWindowExtractor x = new BeatWindowExtractor();
        // same samples seen through a buffer starting at stream index 1000
        x.extract(ch, 1000, new long[] {1150}, 0, null, a, 0);
        float[][] shifted = new float[L][];
        shifted[0] = new float[400];
        System.arraycopy(ch[0], 0, shifted[0], 100, 300);
        x.extract(shifted, 900, new long[] {1150}, 0, null, b, 0);
        assertThat(a.ecg).containsExactly(b.ecg);
    }

    @Test
    void theWindowStatsMemoGivesTheSameInputsBitForBitAndMissesWhenTheSamplesChange() {
        // 3 leads of a noisy beat train with NaN gaps, 90 s at the model rate; beats every 0.6-1.0 s
        java.util.Random rnd = new java.util.Random(3);
        int n = 90 * ModelSpec.FS;
        float[][] ch = new float[L][];
        for (int c : new int[] {1, 6, 9}) {
            ch[c] = new float[n];
            for (int k = 0; k < n; k++) ch[c][k] = (float) (0.3 * Math.sin(k * 0.07 * (c + 1)) + 0.05 * rnd.nextGaussian());
            for (int k = 4000 + 100 * c; k < 4100 + 100 * c; k++) ch[c][k] = Float.NaN;
        }
        java.util.List<Long> b = new java.util.ArrayList<>();
        for (long at = 20; at < n + 30; at += 60 + rnd.nextInt(41)) b.add(at); // the last ones run past the buffer
        long[] beats = b.stream().mapToLong(Long::longValue).toArray();
        for (long bt : beats) for (int c : new int[] {1, 6, 9}) if (bt < n) ch[c][(int) bt] += 2f;
        BeatWindowExtractor x = new BeatWindowExtractor();
        WindowStatsMemo memo = new WindowStatsMemo();
        for (int i = 0; i < beats.length; i++) {
            BeatWindows plain = new BeatWindows(1);
            BeatWindows memoised = new BeatWindows(1);
            x.extract(ch, 0, beats, i, null, plain, 0);
            x.extract(ch, 0, beats, i, null, memoised, 0, memo);
            assertThat(floatBits(memoised.ecg)).as("beat %d", i).isEqualTo(floatBits(plain.ecg));
            assertThat(memoised.mask).containsExactly(plain.mask);
            assertThat(memoised.rr).containsExactly(plain.rr);
        }
        // each beat's window is met about nine times (itself and as a template): most come from the memo
        assertThat(memo.hits()).isGreaterThan(5 * memo.misses());

        // the same positions with other samples (a stream that restarted): the memo must not serve them
        long hitsBefore = memo.hits();
        float[][] other = new float[L][];
        for (int c : new int[] {1, 6, 9}) {
            other[c] = ch[c].clone();
            for (int k = 0; k < n; k++) other[c][k] = other[c][k] * 1.5f + 0.2f;
        }
        int i = beats.length / 2;
        BeatWindows plain = new BeatWindows(1);
        BeatWindows memoised = new BeatWindows(1);
        x.extract(other, 0, beats, i, null, plain, 0);
        x.extract(other, 0, beats, i, null, memoised, 0, memo);
        assertThat(floatBits(memoised.ecg)).isEqualTo(floatBits(plain.ecg));
        assertThat(memo.hits()).isEqualTo(hitsBefore);
    }

    private static int[] floatBits(float[] a) {
        int[] bits = new int[a.length];
        for (int k = 0; k < a.length; k++) bits[k] = Float.floatToRawIntBits(a[k]);
        return bits;
    }

    @Test
    void leadDropoutKeepFlagsZeroTheDroppedLeads() {
        float[][] ch = new float[L][];
        ch[0] = new float[500];
        ch[1] = new float[500];
        java.util.Arrays.fill(ch[0], 1f);
        ch[0][250] = 3f;
        ch[1][250] = 3f;
        boolean[] keep = new boolean[L];
        keep[1] = true;
        BeatWindows out = new BeatWindows(1);
        new BeatWindowExtractor().extract(ch, 0, new long[] {250}, 0, keep, out, 0);
        assertThat(out.mask[0]).isZero();
        assertThat(out.mask[1]).isEqualTo(1f);
        assertThat(out.ecg[ModelSpec.PRE * C]).isZero();
        assertThat(out.ecg[ModelSpec.PRE * C + 1]).isGreaterThan(1f);
    }

    @Test
    void templateChannelsAreTheBeatMinusTheMedianOfPreviousBeats() {
        float[][] ch = new float[L][];
        ch[1] = new float[3000];
        long[] beats = new long[12];
        for (int b = 0; b < 12; b++) {
            beats[b] = 200 + 200L * b;
            boolean ectopic = b == 11 || b == 4; // one odd beat in the history must not shape the template
            for (int k = -6; k <= 6; k++) {
                ch[1][(int) beats[b] + k] = ectopic ? (k < 0 ? -2f : 2f) : (6 - Math.abs(k)) / 6f;
            }
        }
        BeatWindows out = new BeatWindows(1);
        BeatWindowExtractor x = new BeatWindowExtractor();
        x.extract(ch, 0, beats, 10, null, out, 0); // normal beat among normal beats: delta ~ 0
        for (int k = 0; k < W; k++) assertThat(out.ecg[k * C + L + 1]).isCloseTo(0f, within(0.05f));
        x.extract(ch, 0, beats, 11, null, out, 0); // the ectopic beat differs from the template
        double maxAbs = 0;
        for (int k = 0; k < W; k++) maxAbs = Math.max(maxAbs, Math.abs(out.ecg[k * C + L + 1]));
        assertThat(maxAbs).isGreaterThan(1.0);
        x.extract(ch, 0, beats, 0, null, out, 0); // no previous beat: delta 0
        for (int k = 0; k < W; k++) assertThat(out.ecg[k * C + L + 1]).isZero();
    }

    @Test
    void rrFeaturesUseLocalAverageOfPreviousIntervals() {
        // 10 beats at 1.0 s, then a premature beat 0.6 s later, then 1.4 s compensatory pause
        long[] beats = new long[13];
        for (int i = 0; i < 11; i++) beats[i] = i * 100L;
        beats[11] = beats[10] + 60;
        beats[12] = beats[11] + 140;
        float[] f = new float[ModelSpec.RR_FEATURES];
        BeatWindowExtractor.rrFeatures(beats, 11, f, 0);
        assertThat(f[0]).isCloseTo(0.6f, within(1e-6f)); // pre
        assertThat(f[1]).isCloseTo(1.4f, within(1e-6f)); // post
        assertThat(f[2]).isCloseTo(1.0f, within(1e-6f)); // local average
        assertThat(f[3]).isCloseTo(0.6f, within(1e-6f));
        assertThat(f[4]).isCloseTo(1.4f, within(1e-6f));
        assertThat(f[5]).isCloseTo(0f, within(1e-6f)); // regular before
        // first beat: no pre-RR, falls back to the post interval; last beat: no post-RR
        BeatWindowExtractor.rrFeatures(beats, 0, f, 0);
        assertThat(f[0]).isCloseTo(1.0f, within(1e-6f));
        assertThat(f[3]).isCloseTo(1.0f, within(1e-6f));
        BeatWindowExtractor.rrFeatures(beats, 12, f, 0);
        assertThat(f[1]).isEqualTo(f[2]);
    }

    private static long[] beatsFrom(long... rrs) {
        long[] beats = new long[rrs.length + 1];
        for (int i = 0; i < rrs.length; i++) beats[i + 1] = beats[i] + rrs[i];
        return beats;
    }

    @Test
    void rhythmIrregularityIgnoresPausesAndSingleEctopyButNotAf() {
        // regular 1.0 s rhythm with two 3 s pauses in the 10 intervals before the last beat's own
        long[] pauses = beatsFrom(100, 100, 300, 100, 100, 100, 100, 300, 100, 100, 100);
        int last = pauses.length - 1;
        float[] f = new float[ModelSpec.RR_FEATURES];
        BeatWindowExtractor.rrFeatures(pauses, last, f, 0);
        assertThat(f[5]).isGreaterThan(0.5f); // the mean-based RR feature 5 calls this irregular
        assertThat(BeatWindowExtractor.rrIrregularity(pauses, last)).isZero(); // 4 of 9 differences are non-zero
        // one atrial premature beat (0.7 s) with its pause (1.3 s): 3 of 9 differences non-zero
        long[] apc = beatsFrom(100, 100, 100, 70, 130, 100, 100, 100, 100, 100, 100);
        assertThat(BeatWindowExtractor.rrIrregularity(apc, apc.length - 1)).isZero();
        // both together: most differences are non-zero, so dense ectopy does count as irregular
        long[] both = beatsFrom(100, 300, 100, 70, 130, 100, 300, 100, 100, 100, 100);
        assertThat(BeatWindowExtractor.rrIrregularity(both, both.length - 1)).isCloseTo(0.6f, within(1e-6f));

        // AF-like: every interval differs from the one before by 0.25-0.4 s; the 10 intervals before
        // the last beat's own have median |difference| 0.30 s and median 0.65 s
        long[] af = beatsFrom(60, 90, 55, 95, 70, 40, 80, 50, 85, 60, 100);
        assertThat(BeatWindowExtractor.rrIrregularity(af, af.length - 1)).isCloseTo(0.30f / 0.65f, within(1e-4f));
        assertThat(BeatWindowExtractor.rrIrregularity(af, af.length - 1)).isGreaterThan(ModelSpec.RR_IRREGULAR);
        // fewer than 2 intervals of history
        assertThat(BeatWindowExtractor.rrIrregularity(af, 2)).isZero();
        assertThat(BeatWindowExtractor.rrIrregularity(af, 3)).isCloseTo(0.3f / 0.75f, within(1e-4f));
    }

    @Test
    void templateResidualIsSmallForTheDominantShapeAndLargeForAnotherOne() {
        float[][] ch = new float[L][];
        ch[1] = new float[3000];
        ch[4] = new float[3000];
        long[] beats = new long[12];
        java.util.Random r = new java.util.Random(3);
        for (int b = 0; b < 12; b++) {
            beats[b] = 200 + 200L * b;
            boolean ectopic = b == 11;
            for (int k = -6; k <= 6; k++) {
                float normal = (6 - Math.abs(k)) / 6f + 0.02f * (float) r.nextGaussian();
                ch[1][(int) beats[b] + k] = ectopic ? (k < 0 ? -2f : 2f) : normal;
                ch[4][(int) beats[b] + k] = ectopic ? (k < 0 ? 1f : -1f) : -normal;
            }
        }
        BeatWindows out = new BeatWindows(1);
        BeatWindowExtractor x = new BeatWindowExtractor();
        x.extract(ch, 0, beats, 10, null, out, 0);
        float like = BeatWindowExtractor.templateResidual(out.ecg, out.mask, 0);
        assertThat(like).isBetween(0.001f, 0.2f);
        x.extract(ch, 0, beats, 11, null, out, 0);
        assertThat(BeatWindowExtractor.templateResidual(out.ecg, out.mask, 0)).isGreaterThan(1f);
        // only the leads present count: a lead masked out (dropped) takes no part
        boolean[] keep = new boolean[L];
        keep[1] = true;
        x.extract(ch, 0, beats, 11, keep, out, 0);
        float oneLead = BeatWindowExtractor.templateResidual(out.ecg, out.mask, 0);
        assertThat(oneLead).isGreaterThan(1f);
        // the first beat has no template: NaN, so the rule falls back to the model's P(V)
        x.extract(ch, 0, beats, 0, null, out, 0);
        assertThat(BeatWindowExtractor.templateResidual(out.ecg, out.mask, 0)).isNaN();
    }

    @Test
    void preLongRatioKeepsTheBeatsOfASupraventricularRunPremature() {
        // 150 beats at 1.0 s, then a run of 20 beats at 0.5 s
        long[] rrs = new long[170];
        java.util.Arrays.fill(rrs, 0, 150, 100);
        java.util.Arrays.fill(rrs, 150, 170, 50);
        long[] beats = beatsFrom(rrs);
        float[] f = new float[ModelSpec.RR_FEATURES];
        int inRun = 150 + 15; // the 15th beat of the run
        BeatWindowExtractor.rrFeatures(beats, inRun, f, 0);
        assertThat(f[3]).as("pre-RR / local average, which has followed the run").isCloseTo(1.0f, within(1e-6f));
        assertThat(BeatWindowExtractor.preLongRatio(beats, inRun)).isCloseTo(0.5f, within(1e-6f));
        // the longer-term median is over the last LONG_RR intervals only: a run of more than half of
        // them becomes the patient's rhythm
        long[] longRun = beatsFrom(concat(100, 150, 50, 70));
        assertThat(BeatWindowExtractor.preLongRatio(longRun, 150 + 69)).isCloseTo(1.0f, within(1e-6f));
        assertThat(BeatWindowExtractor.preLongRatio(longRun, 150 + 60)).isCloseTo(0.5f, within(1e-6f));
        // a sinus beat: 1; the first beat (no interval before it): the local average's stand-in
        assertThat(BeatWindowExtractor.preLongRatio(beats, 100)).isCloseTo(1.0f, within(1e-6f));
        assertThat(BeatWindowExtractor.preLongRatio(beats, 0)).isCloseTo(1.0f, within(1e-6f));
        // and the extractor writes it for the decision rule
        BeatWindows out = new BeatWindows(1);
        float[][] ch = new float[ModelSpec.N_LEADS][];
        ch[1] = new float[(int) beats[beats.length - 1] + 200];
        new BeatWindowExtractor().append(ch, 0, beats, inRun, out);
        assertThat(out.preLongRatio[0]).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void aLiveCallerHoldingHistoryBeatsGetsTheRuleInputsOfTheWholeRecord() {
        // irregular intervals, with a faster stretch, so every input depends on how far back it looks
        java.util.Random r = new java.util.Random(17);
        long[] rrs = new long[400];
        for (int k = 0; k < rrs.length; k++) rrs[k] = (k / 60 % 2 == 0 ? 90 : 55) + r.nextInt(30);
        long[] beats = beatsFrom(rrs);
        for (int i = BeatWindowExtractor.HISTORY_BEATS; i < beats.length - 1; i += 7) {
            // what the job holds: HISTORY_BEATS before beat i, beat i, and its next beat
            long[] live = java.util.Arrays.copyOfRange(beats, i - BeatWindowExtractor.HISTORY_BEATS, i + 2);
            int j = BeatWindowExtractor.HISTORY_BEATS;
            assertThat(BeatWindowExtractor.preLongRatio(live, j)).as("beat %d", i)
                    .isEqualTo(BeatWindowExtractor.preLongRatio(beats, i));
            assertThat(BeatWindowExtractor.rrIrregularity(live, j)).isEqualTo(BeatWindowExtractor.rrIrregularity(beats, i));
            float[] a = new float[ModelSpec.RR_FEATURES];
            float[] b = new float[ModelSpec.RR_FEATURES];
            BeatWindowExtractor.rrFeatures(live, j, a, 0);
            BeatWindowExtractor.rrFeatures(beats, i, b, 0);
            assertThat(a).containsExactly(b);
            int[] ta = new int[ModelSpec.TEMPLATE_BEATS];
            int[] tb = new int[ModelSpec.TEMPLATE_BEATS];
            int na = BeatWindowExtractor.templateBeats(live, j, ta);
            assertThat(na).isEqualTo(BeatWindowExtractor.templateBeats(beats, i, tb));
            for (int k = 0; k < na; k++) assertThat(ta[k] - j).isEqualTo(tb[k] - i);
        }
    }

    private static long[] concat(long a, int na, long b, int nb) {
        long[] rrs = new long[na + nb];
        java.util.Arrays.fill(rrs, 0, na, a);
        java.util.Arrays.fill(rrs, na, na + nb, b);
        return rrs;
    }

    @Test
    void theMedianOfEightOnOrderKeysIsTheFloatNetworkBitForBit() {
        java.util.Random r = new java.util.Random(12);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0xffc00000)};
        float[] a = new float[8];
        int withNan = 0;
        for (int trial = 0; trial < 300_000; trial++) {
            boolean nan = false;
            for (int i = 0; i < 8; i++) {
                a[i] = switch (trial % 4) {
                    case 0 -> (r.nextInt(5) - 2) * 0.5f; // ties
                    case 1 -> special[r.nextInt(special.length)]; // signed zeros, NaNs, infinities, extremes
                    case 2 -> r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
                    default -> (float) r.nextGaussian() * 3f;
                };
                nan |= Float.isNaN(a[i]);
            }
            withNan += nan ? 1 : 0;
            float expected = BeatWindowExtractor.median8(a);
            float got = BeatWindowExtractor.median8Keys(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            assertThat(Float.floatToRawIntBits(got)).as("trial %d: %s", trial, java.util.Arrays.toString(a))
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
        assertThat(withNan).as("trials with a NaN").isGreaterThan(10_000);
    }

    @Test
    void theEightValueMedianNetworkEqualsSorting() {
        java.util.Random r = new java.util.Random(11);
        float[] a = new float[8];
        for (int trial = 0; trial < 200_000; trial++) {
            for (int i = 0; i < 8; i++) {
                // every third trial from a few values, so ties and repeated extremes are common
                a[i] = trial % 3 == 0 ? (r.nextInt(5) - 2) * 0.5f : (float) r.nextGaussian() * 3f;
            }
            float[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            float expected = 0.5f * (sorted[3] + sorted[4]);
            float[] input = a.clone();
            assertThat(BeatWindowExtractor.median8(input)).as("trial %d", trial).isEqualTo(expected);
            assertThat(input).as("median8 leaves its input alone").containsExactly(a);
            assertThat(BeatWindowExtractor.median(a.clone(), 8)).isEqualTo(expected);
        }
    }

    @Test
    void templateBeatsSkipPrematureBeatsAndStayWithinTheSpan() {
        // sinus at 1.0 s, then bigeminy: premature beats 0.5 s after a sinus beat, then a 1.5 s pause
        java.util.List<Long> b = new java.util.ArrayList<>();
        long t = 0;
        for (int k = 0; k < 12; k++) b.add(t += 100);
        for (int k = 0; k < 10; k++) {
            b.add(t += 50); // premature (ventricular) beat
            b.add(t += 150); // sinus beat after the compensatory pause
        }
        long[] beats = b.stream().mapToLong(Long::longValue).toArray();
        int i = beats.length - 1; // a sinus beat deep in the bigeminy
        int[] dst = new int[ModelSpec.TEMPLATE_BEATS];
        int n = BeatWindowExtractor.templateBeats(beats, i, dst);
        assertThat(n).isBetween(BeatWindowExtractor.TEMPLATE_MIN, ModelSpec.TEMPLATE_BEATS);
        for (int k = 0; k < n; k++) {
            int j = dst[k];
            assertThat(j).isLessThan(i);
            assertThat(beats[i] - beats[j]).isLessThanOrEqualTo(BeatWindowExtractor.TEMPLATE_SPAN);
            // only the sinus beats after a pause: every other beat, never the premature ones
            assertThat(beats[j] - beats[j - 1]).as("pre-RR of template beat %d", j).isEqualTo(150);
            if (k > 0) assertThat(j).isLessThan(dst[k - 1]);
        }
        // the premature beat itself gets the same sinus template, not a mix of itself and its kind
        int[] ofV = new int[ModelSpec.TEMPLATE_BEATS];
        int nv = BeatWindowExtractor.templateBeats(beats, i - 1, ofV);
        for (int k = 0; k < nv; k++) assertThat(beats[ofV[k]] - beats[ofV[k] - 1]).isEqualTo(150);

        // 17 bpm sinus, then a fast run: only 2 non-premature beats in the span (fewer than
        // TEMPLATE_MIN), so the most recent beats in the span serve, premature or not
        long[] run = new long[16];
        for (int k = 0; k < 10; k++) run[k] = 350L * (k + 1);
        for (int k = 10; k < 16; k++) run[k] = run[k - 1] + 30;
        int[] r = new int[ModelSpec.TEMPLATE_BEATS];
        int nr = BeatWindowExtractor.templateBeats(run, 15, r);
        assertThat(nr).isEqualTo(7); // 5 run beats + 2 sinus beats within 8 s
        for (int k = 0; k < nr; k++) assertThat(r[k]).isEqualTo(14 - k);

        // slow rhythm (30 bpm): the 8 s span holds only the last 3 beats
        long[] slow = new long[12];
        for (int k = 0; k < 12; k++) slow[k] = 200L * (k + 1);
        int[] sl = new int[ModelSpec.TEMPLATE_BEATS];
        assertThat(BeatWindowExtractor.templateBeats(slow, 11, sl)).isEqualTo(4);
        assertThat(sl[3]).isEqualTo(7);
    }
}
