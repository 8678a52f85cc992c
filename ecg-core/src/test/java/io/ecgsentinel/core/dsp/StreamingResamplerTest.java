package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Accuracy, length, delay and alias rejection of {@link StreamingResampler} (chunking: see ChunkInvarianceTest). */
class StreamingResamplerTest {

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (int in : new int[] {360, 257, 500, 200, 1000, 250, 100}) {
            out.add(Arguments.of(in, 250));
            if (in != 250) {
                out.add(Arguments.of(250, in));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void tenHertzSineKeepsAmplitudeFrequencyAndTiming(int fsIn, int fsOut) {
        StreamingResampler r = new StreamingResampler(fsIn, fsOut);
        int n = fsIn * 20;
        float[] y = r.process(TestSignals.sine(10, fsIn, n));
        int d = r.delaySamples();
        // Output j is the input at time (j - delay) / fsOut; compare with the ideal sine there,
        // away from the start (history primed with the first sample) and the unfinished end.
        double maxErr = 0;
        for (int j = d + fsOut; j < y.length - fsOut; j++) {
            double ideal = Math.sin(2 * Math.PI * 10 * (j - d) / (double) fsOut);
            maxErr = Math.max(maxErr, Math.abs(y[j] - ideal));
        }
        assertThat(maxErr).isLessThan(1e-3);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void outputLengthIsInputLengthTimesLOverM(int fsIn, int fsOut) {
        for (int n : new int[] {1, 2, 7, 999, 12_345}) {
            StreamingResampler r = new StreamingResampler(fsIn, fsOut);
            int len = r.process(new float[n]).length;
            assertThat((long) len).isEqualTo(r.outputCount(n));
            assertThat((double) len).isCloseTo((double) n * fsOut / fsIn, within(1.0));
            assertThat(len).isLessThanOrEqualTo(r.maxOutput(n));
        }
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("pairs")
    void dcPassesUnchangedFromTheFirstSample(int fsIn, int fsOut) {
        float[] x = new float[fsIn * 3];
        Arrays.fill(x, 5.12f);
        for (float v : new StreamingResampler(fsIn, fsOut).process(x)) {
            assertThat(v).isCloseTo(5.12f, within(1e-5f));
        }
    }

    @Test
    void equalRatesAreTheExactIdentity() {
        StreamingResampler r = new StreamingResampler(250, 250);
        float[] x = TestSignals.noise(1, 5000, 1, 0);
        TestSignals.assertBitIdentical(r.process(x), x);
        assertThat(r.delaySamples()).isZero();
        assertThat(r.upFactor()).isOne();
    }

    @Test
    void reducesRatesByTheirGcdAndKeepsTablesSmall() {
        StreamingResampler r = new StreamingResampler(257, 250);
        assertThat(r.upFactor()).isEqualTo(250);
        assertThat(r.downFactor()).isEqualTo(257);
        assertThat(r.tapsPerPhase()).isLessThan(64);
        StreamingResampler s = new StreamingResampler(360, 250);
        assertThat(s.upFactor()).isEqualTo(25);
        assertThat(s.downFactor()).isEqualTo(36);
        // A pair needing thousands of phases is refused with advice instead of a huge table.
        assertThatThrownBy(() -> new StreamingResampler(44_100, 48_007)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two steps");
    }

    @Test
    void tonesAboveTheOutputNyquistDoNotAliasIntoTheEcgBand() {
        // Each tone would fold to 10-100 Hz at 250 Hz; the anti-alias filter must remove it.
        // (From 257 Hz only 125-128.5 Hz can fold, into 121.5-125 Hz, inside the transition band
        // and far above the ECG band, so 257 Hz has no case here.)
        int[][] cases = {{500, 160}, {1000, 200}, {1000, 240}, {360, 150}, {500, 225}};
        for (int[] c : cases) {
            int fsIn = c[0];
            StreamingResampler r = new StreamingResampler(fsIn, 250);
            float[] y = r.process(TestSignals.sine(c[1], fsIn, fsIn * 5));
            double rms = TestSignals.rms(y, 250, y.length - 50);
            assertThat(20 * Math.log10(rms / Math.sqrt(0.5))).as("%d Hz at %d Hz", c[1], fsIn).isLessThan(-60.0);
        }
    }

    @Test
    void upsamplingLeavesNoImages() {
        // 10 Hz at 100 Hz has images at 90 and 110 Hz after zero-stuffing to 250 Hz.
        StreamingResampler r = new StreamingResampler(100, 250);
        float[] y = r.process(TestSignals.sine(10, 100, 2000));
        int d = r.delaySamples();
        float[] residual = new float[y.length];
        for (int j = 0; j < y.length; j++) {
            residual[j] = (float) (y[j] - Math.sin(2 * Math.PI * 10 * (j - d) / 250.0));
        }
        assertThat(TestSignals.rms(residual, 500, y.length - 200)).isLessThan(1e-4);
    }

    @Test
    void restoreRejectsStateOfAnotherRatePair() {
        double[] st = new StreamingResampler(360, 250).state();
        assertThatThrownBy(() -> new StreamingResampler(500, 250).restore(st))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
