package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link VfFeatures} against a spectrum computed term by term with {@code Math.cos} and {@code Math.sin}. */
class VfFeaturesTest {

    /** The same features from a direct DFT of the same decimated, mean-removed samples. */
    private static double[] direct(float[] x, int from, int to, double fs) {
        int q = Math.max(1, (int) Math.round(fs / 50.0));
        double dfs = fs / q;
        int m = (to - from) / q;
        double[] y = new double[m];
        double mean = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int i = from + j * q; i < from + (j + 1) * q; i++) {
                s += x[i];
            }
            y[j] = s / q;
            mean += y[j];
        }
        mean /= m;
        double total = 0;
        double band = 0;
        double best = -1;
        double bestHz = Double.NaN;
        for (int f = 0; 0.5 + 0.25 * f <= 20.0 && 0.5 + 0.25 * f < dfs / 2; f++) {
            double hz = 0.5 + 0.25 * f;
            double re = 0;
            double im = 0;
            for (int j = 0; j < m; j++) {
                re += (y[j] - mean) * Math.cos(2 * Math.PI * hz * j / dfs);
                im -= (y[j] - mean) * Math.sin(2 * Math.PI * hz * j / dfs);
            }
            double p = re * re + im * im;
            total += p;
            if (hz >= VfFeatures.BAND_LOW_HZ && hz <= VfFeatures.BAND_HIGH_HZ) {
                band += p;
            }
            if (p > best) {
                best = p;
                bestHz = hz;
            }
        }
        return new double[] {bestHz, band / total};
    }

    @Test
    void theSpectrumMatchesADirectDftAtEveryRateAndLength() {
        Random rnd = new Random(3);
        for (double fs : new double[] {100, 128, 250, 360, 500, 1000}) {
            for (int t = 0; t < 20; t++) {
                int len = (int) (fs * (2 + rnd.nextInt(5))) + rnd.nextInt(7);
                float[] x = new float[len + 5];
                double hz = 0.7 + 12 * rnd.nextDouble();
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (Math.sin(2 * Math.PI * hz * i / fs) + 0.3 * Math.sin(2 * Math.PI * 2.1 * hz * i / fs)
                            + 0.2 * rnd.nextGaussian());
                }
                int from = rnd.nextInt(5);
                VfFeatures.Result r = VfFeatures.of(x, from, from + len, fs);
                double[] d = direct(x, from, from + len, fs);
                assertThat(r.dominantHz()).as("fs %s, %s Hz", fs, hz).isEqualTo(d[0]);
                assertThat(r.bandShare()).as("fs %s, %s Hz", fs, hz).isCloseTo(d[1], within(1e-9));
            }
        }
    }

    @Test
    void aFibrillationLikeOscillationIsVfLikeAndASinusLikeSignalIsNot() {
        double fs = 500;
        float[] vf = new float[2000];
        float[] sinus = new float[2000];
        for (int i = 0; i < vf.length; i++) {
            vf[i] = (float) (0.6 * Math.sin(2 * Math.PI * 5.0 * i / fs));
            // narrow 1 mV spikes at 75 bpm: the power spreads over the harmonics of 1.25 Hz
            sinus[i] = (float) Math.exp(-Math.pow(((i % 400) - 200) / 8.0, 2));
        }
        VfFeatures.Result a = VfFeatures.of(vf, 0, vf.length, fs);
        assertThat(a.dominantHz()).isEqualTo(5.0);
        assertThat(a.vfLike()).isTrue();
        assertThat(VfFeatures.of(sinus, 0, sinus.length, fs).vfLike()).isFalse();
    }
}
