package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizerTest {

    private final Normalizer z = new Normalizer(Normalizer.Method.WINDOW_ZSCORE);

    @Test
    void zScoreGivesZeroMeanUnitSpreadWhateverTheGainAndOffset() {
        float[] a = TestSignals.noise(4, 2500, 1.0, 0.0);
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = 3.5f * a[i] + 7f;
        }
        float[] za = z.normalizeWindow(a);
        float[] zb = z.normalizeWindow(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(zb[i]).isCloseTo(za[i], within(1e-4f));
        }
        double mean = 0;
        for (float v : za) {
            mean += v;
        }
        assertThat(mean / za.length).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void flatWindowsAreNotBlownUp() {
        float[] flat = TestSignals.noise(9, 2500, 0.001, 2.0);
        for (float v : z.normalizeWindow(flat)) {
            // 1 uV of noise over the 10 uV floor stays around 0.1, not 1.
            assertThat(Math.abs(v)).isLessThan(0.6f);
        }
    }

    @Test
    void nanSamplesBecomeTheMeanAndDoNotSpoilTheStatistics() {
        float[] x = {1, 2, Float.NaN, 3};
        float[] y = z.normalizeWindow(x);
        assertThat(y[2]).isZero();
        assertThat(y[1]).isZero();
        assertThat(y[0]).isCloseTo(-y[3], within(1e-6f));
        assertThat(z.normalizeWindow(new float[] {Float.NaN, Float.NaN})).containsExactly(0f, 0f);
    }

    @Test
    void noneLeavesWindowsAlone() {
        float[] x = TestSignals.noise(2, 100, 1, 1);
        TestSignals.assertBitIdentical(new Normalizer(Normalizer.Method.NONE).normalizeWindow(x), x);
    }

    @Test
    void sameWindowSameNumbersWhereverItWasCut() {
        // Normalisation is a pure function of the window: cutting it from a whole record or from
        // assembled frames cannot change the result.
        float[] y = new Preprocessor(PreprocessingConfig.defaults(360)).process(TestSignals.mitdb101(15));
        float[] w1 = java.util.Arrays.copyOfRange(y, 500, 3000);
        float[] w2 = new float[2500];
        System.arraycopy(y, 500, w2, 0, 1000);
        System.arraycopy(y, 1500, w2, 1000, 1500);
        TestSignals.assertBitIdentical(z.normalizeWindow(w2), z.normalizeWindow(w1));
    }
}
