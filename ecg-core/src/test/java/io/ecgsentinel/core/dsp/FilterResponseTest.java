package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frequency response of the designed IIR filters, measured by running sines through them (the
 * analytic {@code magnitude()} is checked against the measurement, not trusted).
 */
class FilterResponseTest {

    /** Steady-state gain in dB of {@code f} for a sine of {@code hz}, skipping {@code settleSeconds}. */
    static double gainDb(StreamingFilter f, double hz, double fs, double seconds, double settleSeconds) {
        int n = (int) Math.round(seconds * fs);
        int skip = (int) Math.round(settleSeconds * fs);
        float[] x = TestSignals.sine(hz, fs, n);
        float[] y = f.process(x);
        return 20 * Math.log10(TestSignals.rms(y, skip, n) / TestSignals.rms(x, skip, n));
    }

    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {250, 257, 360, 500, 1000})
    void bandPassPassesTenHertzAndStopsDriftAndHighFrequency(int fs) {
        BiquadCascade bp = FilterDesign.butterworthBandPass(2, 0.5, 4, 40, fs);
        assertThat(gainDb(bp.copy(), 10, fs, 10, 2)).isCloseTo(0.0, within(0.1));
        // 0.05 Hz: a 20 s period, so run long enough for several periods after the transient.
        assertThat(gainDb(bp.copy(), 0.05, fs, 200, 60)).isLessThan(-30.0);
        assertThat(gainDb(bp.copy(), 100, fs, 10, 1)).isLessThan(-30.0);
        // Both edges are -3 dB points.
        assertThat(gainDb(bp.copy(), 40, fs, 10, 2)).isCloseTo(-3.0, within(0.3));
        assertThat(gainDb(bp.copy(), 0.5, fs, 60, 20)).isCloseTo(-3.0, within(0.3));
    }

    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {250, 360, 500, 1000})
    void notchRemovesMainsAndKeepsTenHertz(int fs) {
        for (double mains : new double[] {50, 60}) {
            BiquadCascade notch = FilterDesign.notch(mains, 30, fs);
            assertThat(gainDb(notch.copy(), mains, fs, 10, 3)).isLessThan(-30.0);
            assertThat(gainDb(notch.copy(), 10, fs, 10, 3)).isCloseTo(0.0, within(0.05));
            // Q is centre over -3 dB bandwidth: half a bandwidth off centre the cut is 3 dB.
            assertThat(gainDb(notch.copy(), mains + mains / 60, fs, 20, 5)).isCloseTo(-3.0, within(0.3));
        }
    }

    @Test
    void notchAtOrAboveNyquistIsTheIdentityAndSaysWhy() {
        BiquadCascade notch = FilterDesign.notch(50, 30, 100);
        assertThat(notch.sections()).isZero();
        assertThat(notch.description()).contains("Nyquist");
        float[] x = TestSignals.noise(3, 1000, 1, 0);
        TestSignals.assertBitIdentical(notch.process(x), x);
        assertThat(FilterDesign.notch(60, 30, 100).sections()).isZero();
        // Just below Nyquist it is a real notch.
        assertThat(FilterDesign.notch(50, 30, 101).sections()).isOne();
    }

    @Test
    void analyticMagnitudeMatchesMeasuredGain() {
        BiquadCascade bp = FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 360);
        for (double hz : new double[] {1, 5, 25, 45, 60, 90}) {
            double analytic = 20 * Math.log10(bp.magnitude(hz));
            assertThat(gainDb(bp.copy(), hz, 360, 20, 5)).as("%s Hz", hz).isCloseTo(analytic, within(0.05));
        }
    }

    @Test
    void butterworthOrderSetsTheSlope() {
        // Well above cutoff a Butterworth low-pass of order n falls by 6n dB per octave.
        for (int order = 1; order <= 6; order++) {
            BiquadCascade lp = FilterDesign.butterworthLowPass(order, 10, 10_000);
            double slope = 20 * Math.log10(lp.magnitude(200) / lp.magnitude(100));
            assertThat(slope).as("order %d", order).isCloseTo(-6.02 * order, within(0.3));
            assertThat(lp.magnitude(10)).isCloseTo(Math.sqrt(0.5), within(1e-9));
            assertThat(lp.magnitude(0)).isCloseTo(1.0, within(1e-9));
        }
        BiquadCascade hp = FilterDesign.butterworthHighPass(3, 0.5, 500);
        assertThat(hp.magnitude(0.5)).isCloseTo(Math.sqrt(0.5), within(1e-9));
        assertThat(hp.magnitude(0)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void lowPassAtOrAboveNyquistIsTheIdentity() {
        BiquadCascade lp = FilterDesign.butterworthLowPass(4, 40, 80);
        assertThat(lp.sections()).isZero();
        assertThat(lp.description()).contains("Nyquist");
    }

    @Test
    void highPassStartsWithoutATransientOnADcOffset() {
        // Priming to the steady state of the first sample: a record sitting at 5 mV does not
        // produce a 5 mV step response at its start.
        float[] x = new float[3600];
        java.util.Arrays.fill(x, 5.0f);
        float[] y = FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 360).process(x);
        for (float v : y) {
            assertThat(Math.abs(v)).isLessThan(1e-6f);
        }
    }

    @Test
    void reportsGroupDelayAtTheReferenceFrequency() {
        BiquadCascade lp = FilterDesign.butterworthLowPass(4, 40, 250);
        assertThat(lp.delaySamples()).isEqualTo((int) Math.round(lp.groupDelaySamples(FilterDesign.REFERENCE_HZ)));
        // Measured: a 10 Hz sine comes out shifted by about the group delay (phase delay and group
        // delay are close for a Butterworth low-pass far below its cutoff).
        int fs = 250;
        float[] x = TestSignals.sine(10, fs, 5000);
        float[] y = lp.process(x);
        double best = Double.MAX_VALUE;
        int bestLag = -1;
        for (int lag = 0; lag < 12; lag++) {
            double err = 0;
            for (int i = 1000; i < 5000; i++) {
                double d = y[i] - x[i - lag];
                err += d * d;
            }
            if (err < best) {
                best = err;
                bestLag = lag;
            }
        }
        assertThat(bestLag).isCloseTo(lp.delaySamples(), within(1));
    }

    @Test
    void rejectsImpossibleDesigns() {
        assertThatThrownBy(() -> FilterDesign.butterworthHighPass(2, 200, 360))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterDesign.butterworthLowPass(0, 40, 360))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterDesign.notch(50, 0, 360)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterDesign.butterworthBandPass(2, 40, 4, 0.5, 360))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
