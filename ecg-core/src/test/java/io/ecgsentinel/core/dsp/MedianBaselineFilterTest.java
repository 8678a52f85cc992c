package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SlidingMedian} against brute force, and what the median baseline remover keeps and removes. */
class MedianBaselineFilterTest {

    @Test
    void slidingMedianEqualsBruteForceIncludingTies() {
        Random rnd = new Random(5);
        for (int w : new int[] {1, 3, 5, 51, 151}) {
            SlidingMedian m = new SlidingMedian(w);
            double[] window = new double[w];
            double first = rnd.nextInt(20);
            m.fill(first);
            Arrays.fill(window, first);
            for (int i = 0; i < 5000; i++) {
                // Few distinct values: many ties, the hard case for heap bookkeeping.
                double v = rnd.nextInt(20) - 10;
                double got = m.push(v);
                window[i % w] = v;
                double[] sorted = window.clone();
                Arrays.sort(sorted);
                assertThat(got).as("w %d step %d", w, i).isEqualTo(sorted[w / 2]);
            }
        }
    }

    @Test
    void slidingMedianSaveAndLoadContinueIdentically() {
        Random rnd = new Random(8);
        SlidingMedian a = new SlidingMedian(21);
        for (int i = 0; i < 100; i++) {
            a.push(rnd.nextGaussian());
        }
        double[] saved = new double[21];
        a.save(saved, 0);
        SlidingMedian b = new SlidingMedian(21);
        b.load(saved, 0);
        for (int i = 0; i < 200; i++) {
            double v = rnd.nextGaussian();
            assertThat(b.push(v)).isEqualTo(a.push(v));
        }
    }

    @Test
    void delayIsExactAndFlatInputGivesZero() {
        int fs = 360;
        MedianBaselineFilter f = new MedianBaselineFilter(fs);
        // 200 ms -> 73 samples (odd), 600 ms -> 217: delay 36 + 108.
        assertThat(f.delaySamples()).isEqualTo(36 + 108);
        // Narrow spikes on a 1 mV baseline: the median ignores them, so each comes out exactly
        // delaySamples later with the baseline removed.
        float[] x = new float[fs * 6];
        Arrays.fill(x, 1.0f);
        int[] spikes = {400, 760, 1120, 1480};
        for (int s : spikes) {
            x[s] = 3.0f;
            x[s + 1] = 2.0f;
        }
        float[] y = f.process(x);
        for (int s : spikes) {
            assertThat(y[s + f.delaySamples()]).isEqualTo(2.0f);
            assertThat(y[s + 1 + f.delaySamples()]).isEqualTo(1.0f);
        }
        for (int i = 0; i < y.length; i++) {
            boolean spike = false;
            for (int s : spikes) {
                spike |= i == s + f.delaySamples() || i == s + 1 + f.delaySamples();
            }
            if (!spike) {
                assertThat(y[i]).as("sample %d", i).isZero();
            }
        }
    }

    @Test
    void removesBaselineWanderFromARealEcg() {
        int fs = 360;
        float[] ecg = TestSignals.mitdb101(60);
        float[] wander = new float[ecg.length];
        float[] noisy = new float[ecg.length];
        for (int i = 0; i < ecg.length; i++) {
            // Breathing-like wander: 1 mV at 0.3 Hz plus 0.5 mV at 0.07 Hz.
            wander[i] = (float) (Math.sin(2 * Math.PI * 0.3 * i / fs) + 0.5 * Math.sin(2 * Math.PI * 0.07 * i / fs));
            noisy[i] = ecg[i] + wander[i];
        }
        float[] clean = new MedianBaselineFilter(fs).process(ecg);
        float[] cleaned = new MedianBaselineFilter(fs).process(noisy);
        float[] diff = new float[ecg.length];
        for (int i = 0; i < ecg.length; i++) {
            diff[i] = cleaned[i] - clean[i];
        }
        // What is left of the wander is a small fraction of it.
        int from = 2 * fs;
        assertThat(TestSignals.rms(diff, from, ecg.length)).isLessThan(0.1 * TestSignals.rms(wander, from, ecg.length));
    }

    @Test
    void keepsTheStLevelOfRealBeatsBetterThanTheHighPassOnAverage() {
        // ST level = sample 100 ms after the annotated R peak minus sample 70 ms before it (PR
        // segment), on normal beats of five MIT-BIH records (5 min each). The raw record, with
        // little wander over one beat, is the reference. The median remover has no phase
        // response, so it should distort this less than the causal 0.5 Hz high-pass does.
        int fs = 360;
        double medianError = 0;
        double highPassError = 0;
        for (String rec : new String[] {"101", "115", "205", "215", "220"}) {
            float[] x = TestSignals.lead("mitdb", rec, 0, 300);
            MedianBaselineFilter mf = new MedianBaselineFilter(fs);
            float[] ym = mf.process(x);
            int d = mf.delaySamples();
            float[] yh = FilterDesign.butterworthHighPass(2, 0.5, fs).process(x);
            double em = 0;
            double eh = 0;
            int beats = 0;
            for (long r : normalBeats(rec)) {
                int s = (int) r;
                if (s < 10 * fs || s > x.length - fs) {
                    continue;
                }
                int pr = s - (int) (0.07 * fs);
                int st = s + (int) (0.10 * fs);
                double truth = x[st] - x[pr];
                em += Math.abs(ym[st + d] - ym[pr + d] - truth);
                eh += Math.abs(yh[st] - yh[pr] - truth);
                beats++;
            }
            assertThat(beats).isGreaterThan(200);
            medianError += em / beats;
            highPassError += eh / beats;
        }
        assertThat(medianError).isLessThan(0.75 * highPassError);
    }

    private static List<Long> normalBeats(String rec) {
        try {
            List<Long> out = new ArrayList<>();
            for (Annotation a : AnnotationReader.read(DataDirs.resolve("mitdb").resolve(rec), "atr")) {
                if (a.isBeat() && a.symbol().equals("N")) {
                    out.add(a.sample());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
