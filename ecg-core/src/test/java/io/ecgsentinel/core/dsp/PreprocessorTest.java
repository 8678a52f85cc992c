package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The config round trip through a model card, and what the assembled chain does. */
class PreprocessorTest {

    @Test
    void configSurvivesTheModelCardRoundTrip() {
        PreprocessingConfig cfg = PreprocessingConfig.defaults(360).withNotchHz(60)
                .withBaseline(PreprocessingConfig.Baseline.MEDIAN).withBand(0.05, 40);
        Map<String, String> card = cfg.toMap();
        assertThat(PreprocessingConfig.fromMap(card)).isEqualTo(cfg);
        // A JSON parser hands back numbers, not strings.
        Map<String, Object> json = new HashMap<>(card);
        json.put("inputFs", 360);
        json.put("notchHz", 60.0);
        json.put("version", 1);
        json.put("somethingElse", "ignored");
        assertThat(PreprocessingConfig.fromMap(json)).isEqualTo(cfg);
        assertThat(cfg.fingerprint()).isEqualTo(PreprocessingConfig.fromMap(card).fingerprint());
        assertThat(cfg.fingerprint()).isNotEqualTo(cfg.withInputFs(500).fingerprint());
    }

    @Test
    void chainRebuiltFromTheCardGivesIdenticalOutput() {
        PreprocessingConfig cfg = PreprocessingConfig.defaults(360);
        float[] x = TestSignals.mitdb101(20);
        float[] trained = new Preprocessor(cfg).process(x);
        float[] served = new Preprocessor(PreprocessingConfig.fromMap(cfg.toMap())).process(x);
        TestSignals.assertBitIdentical(served, trained);
    }

    @Test
    void cardErrorsNameTheKey() {
        Map<String, String> card = new HashMap<>(PreprocessingConfig.defaults(500).toMap());
        card.remove("notchQ");
        assertThatThrownBy(() -> PreprocessingConfig.fromMap(card)).hasMessageContaining("'notchQ'")
                .hasMessageContaining("missing");
        Map<String, String> future = new HashMap<>(PreprocessingConfig.defaults(500).toMap());
        future.put("version", "2");
        assertThatThrownBy(() -> PreprocessingConfig.fromMap(future)).hasMessageContaining("'version'");
        Map<String, String> orders = new HashMap<>(PreprocessingConfig.defaults(500).toMap());
        orders.put("lowPassOrder", "6");
        assertThatThrownBy(() -> PreprocessingConfig.fromMap(orders)).hasMessageContaining("'lowPassOrder'");
        Map<String, String> bad = new HashMap<>(PreprocessingConfig.defaults(500).toMap());
        bad.put("baseline", "WAVELET");
        assertThatThrownBy(() -> PreprocessingConfig.fromMap(bad)).hasMessageContaining("'baseline'");
    }

    @Test
    void contradictoryConfigsAreRefused() {
        PreprocessingConfig d = PreprocessingConfig.defaults(360);
        assertThatThrownBy(() -> d.withBand(0, 40)).hasMessageContaining("HIGHPASS");
        assertThatThrownBy(() -> d.withBaseline(PreprocessingConfig.Baseline.NONE)).hasMessageContaining("NONE");
        assertThatThrownBy(() -> d.withBand(40, 0.5)).hasMessageContaining("bandHighHz");
        assertThatThrownBy(() -> d.withInputFs(0)).hasMessageContaining("inputFs");
    }

    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {360, 257, 500, 200, 1000, 250, 100})
    void outputsTheModelRateWithFiniteValues(int fs) {
        Preprocessor p = new Preprocessor(PreprocessingConfig.defaults(fs));
        float[] x = TestSignals.noise(fs, fs * 10, 0.5, 4.0);
        x[3] = Float.NaN;
        x[fs * 5] = Float.POSITIVE_INFINITY;
        float[] y = p.process(x);
        assertThat(y).hasSize(2500);
        for (float v : y) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        // The band-pass removed the 4 mV offset: the mean of the second half is near zero.
        double mean = 0;
        for (int i = 1250; i < 2500; i++) {
            mean += y[i];
        }
        assertThat(mean / 1250).isCloseTo(0.0, within(0.05));
    }

    @ParameterizedTest
    @EnumSource(value = PreprocessingConfig.Baseline.class, names = {"HIGHPASS", "MEDIAN"})
    void outputIndexOfLocatesQrsLikePulses(PreprocessingConfig.Baseline baseline) {
        for (int fs : new int[] {360, 500, 1000, 200, 100}) {
            PreprocessingConfig cfg = PreprocessingConfig.defaults(fs).withBaseline(baseline);
            Preprocessor p = new Preprocessor(cfg);
            // Gaussian pulses with sigma 12 ms (QRS-like energy around 10 Hz), one per second.
            float[] x = new float[fs * 12];
            double sigma = 0.012 * fs;
            for (int beat = 1; beat < 11; beat++) {
                int c = beat * fs + beat * 7;
                for (int i = Math.max(0, c - 6 * (int) sigma); i < Math.min(x.length, c + 6 * (int) sigma + 1); i++) {
                    x[i] += (float) Math.exp(-0.5 * Math.pow((i - c) / sigma, 2));
                }
            }
            float[] y = p.process(x);
            for (int beat = 3; beat < 10; beat++) {
                int c = beat * fs + beat * 7;
                long expected = p.outputIndexOf(c);
                int peak = (int) expected - 25;
                for (int j = (int) expected - 25; j <= expected + 25; j++) {
                    if (y[j] > y[peak]) {
                        peak = j;
                    }
                }
                assertThat((long) peak).as("fs %d beat %d", fs, beat).isCloseTo(expected, within(2L));
            }
        }
    }

    @Test
    void restoreRefusesStateOfAnotherDesign() {
        Preprocessor a = new Preprocessor(PreprocessingConfig.defaults(360));
        a.process(TestSignals.noise(1, 1000, 1, 0));
        double[] st = a.state();
        assertThatThrownBy(() -> new Preprocessor(PreprocessingConfig.defaults(360).withNotchHz(60)).restore(st))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(st).hasSize(a.stateSize());
        MultiLeadPreprocessor m = new MultiLeadPreprocessor(PreprocessingConfig.defaults(360), 12);
        assertThatThrownBy(() -> new MultiLeadPreprocessor(PreprocessingConfig.defaults(360), 2).restore(m.state()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesItsStagesAndDelay() {
        Preprocessor p = new Preprocessor(PreprocessingConfig.defaults(100));
        // At 250 Hz a 50 Hz notch exists; the chain always filters at the output rate.
        assertThat(p.stages()).hasSize(2);
        assertThat(p.toString()).contains("notch 50.000 Hz");
        int sum = p.resampler().delaySamples();
        for (StreamingFilter f : p.stages()) {
            sum += f.delaySamples();
        }
        assertThat(p.delaySamples()).isEqualTo(sum);
        Preprocessor median = new Preprocessor(PreprocessingConfig.defaults(360)
                .withBaseline(PreprocessingConfig.Baseline.MEDIAN));
        assertThat(median.delaySamples()).isGreaterThan(100);
    }

    @Test
    void normalisesWindowsPerLeadAsTheModelExpects() {
        Preprocessor p = new Preprocessor(PreprocessingConfig.defaults(360));
        float[] y = p.process(TestSignals.mitdb101(12));
        float[] w = java.util.Arrays.copyOfRange(y, 250, 2750);
        float[] z = p.normalizeWindow(w);
        double mean = 0;
        double ss = 0;
        for (float v : z) {
            mean += v;
        }
        mean /= z.length;
        for (float v : z) {
            ss += (v - mean) * (v - mean);
        }
        assertThat(mean).isCloseTo(0.0, within(1e-5));
        assertThat(Math.sqrt(ss / z.length)).isCloseTo(1.0, within(1e-4));
        // The input window is untouched, and the multi-lead form gives the same numbers.
        TestSignals.assertBitIdentical(w, java.util.Arrays.copyOfRange(y, 250, 2750));
        MultiLeadPreprocessor m = new MultiLeadPreprocessor(PreprocessingConfig.defaults(360), 2);
        TestSignals.assertBitIdentical(m.normalizeWindow(new float[][] {w, w})[1], z);
    }
}
