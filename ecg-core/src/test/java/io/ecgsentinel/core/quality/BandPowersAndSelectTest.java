package io.ecgsentinel.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.dsp.BiquadCascade;
import io.ecgsentinel.core.dsp.FilterDesign;
import io.ecgsentinel.core.dsp.FloatOrder;
import io.ecgsentinel.core.dsp.TestSignals;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two building blocks of the fast {@link SignalQuality}, checked bit for bit against what they
 * replace: {@link BandPowers} against {@link BiquadCascade#process} plus a power sum, and {@link
 * SignalQuality#select} / {@link FloatOrder#key} against {@link Arrays#sort(float[])}.
 */
class BandPowersAndSelectTest {

    private static double power(float[] y, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p += (double) y[i] * y[i];
        }
        return to > from ? p / (to - from) : 0.0;
    }

    @Test
    void bandPowersMatchTheCascadesBitForBit() {
        Random rnd = new Random(5);
        float[] mit = TestSignals.lead("mitdb", "203", 0, 60);
        for (int fs : new int[] {100, 250, 360, 500, 1000}) {
            BiquadCascade hf = FilterDesign.butterworthHighPass(4, 40, fs);
            BiquadCascade qrs = FilterDesign.butterworthBandPass(2, 5, 4, Math.min(15, 0.45 * fs), fs);
            BandPowers bp = BandPowers.of(hf, qrs);
            assertThat(bp).as("fs %d", fs).isNotNull();
            for (int it = 0; it < 60; it++) {
                int n = 1 + rnd.nextInt(12 * fs);
                float[] x = new float[n];
                int kind = it % 4;
                for (int i = 0; i < n; i++) {
                    x[i] = switch (kind) {
                        case 0 -> mit[i % mit.length];
                        case 1 -> (float) (3 + rnd.nextGaussian());
                        case 2 -> 1.5f; // constant: the high-pass state decays into the flush
                        default -> (float) (1e-35 * rnd.nextGaussian());
                    };
                }
                int skip = rnd.nextInt(n + 1);
                float[] y = new float[n];
                hf.reset();
                hf.process(x, 0, n, y, 0);
                double hfP = power(y, skip, n);
                qrs.reset();
                qrs.process(x, 0, n, y, 0);
                double qrsP = power(y, skip, n);
                bp.run(x, n, skip);
                assertThat(Double.doubleToRawLongBits(bp.hfPower())).as("hf, fs %d kind %d n %d", fs, kind, n)
                        .isEqualTo(Double.doubleToRawLongBits(hfP));
                assertThat(Double.doubleToRawLongBits(bp.qrsPower())).as("qrs, fs %d kind %d n %d", fs, kind, n)
                        .isEqualTo(Double.doubleToRawLongBits(qrsP));
            }
        }
    }

    @Test
    void otherFilterShapesFallBackToTheCascades() {
        assertThat(BandPowers.of(null, FilterDesign.butterworthBandPass(2, 5, 4, 15, 360))).isNull();
        assertThat(BandPowers.of(FilterDesign.butterworthHighPass(2, 40, 360),
                FilterDesign.butterworthBandPass(2, 5, 4, 15, 360))).isNull();
    }

    @Test
    void orderKeysSortLikeFloatCompare() {
        float[] v = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_NORMAL, -Float.MIN_VALUE, -0.0f, 0.0f,
            Float.MIN_VALUE, Float.MIN_NORMAL, 1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            assertThat(Float.floatToRawIntBits(FloatOrder.value(FloatOrder.key(v[i]))))
                    .isEqualTo(Float.floatToRawIntBits(v[i]));
            for (int j = 0; j < v.length; j++) {
                assertThat(Integer.signum(Integer.compare(FloatOrder.key(v[i]), FloatOrder.key(v[j]))))
                        .as("%s vs %s", v[i], v[j]).isEqualTo(Integer.signum(Float.compare(v[i], v[j])));
            }
        }
    }

    @Test
    void selectFindsTheSortedElementAndPartitions() {
        Random rnd = new Random(9);
        for (int it = 0; it < 3000; it++) {
            int n = 1 + rnd.nextInt(it < 2000 ? 40 : 3000);
            float[] x = new float[n];
            int kind = it % 6;
            for (int i = 0; i < n; i++) {
                x[i] = switch (kind) {
                    case 0 -> (float) rnd.nextGaussian();
                    case 1 -> rnd.nextInt(3) - 1 + (rnd.nextBoolean() ? 0.0f : -0.0f); // ties and signed zeros
                    case 2 -> i; // ascending
                    case 3 -> -i; // descending
                    case 4 -> Math.min(i, n - i); // organ pipe
                    default -> (i * 7919) % 13; // sawtooth
                };
            }
            float[] sorted = x.clone();
            Arrays.sort(sorted);
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = FloatOrder.key(x[i]);
            }
            int k = rnd.nextInt(n);
            int got = SignalQuality.select(keys, 0, n, k);
            assertThat(Float.floatToRawIntBits(FloatOrder.value(got)))
                    .as("kind %d n %d k %d", kind, n, k).isEqualTo(Float.floatToRawIntBits(sorted[k]));
            assertThat(keys[k]).isEqualTo(got);
            for (int i = 0; i < n; i++) {
                assertThat(i < k ? keys[i] <= got : keys[i] >= got).as("partition at %d", i).isTrue();
            }
            int[] back = keys.clone();
            Arrays.sort(back);
            int[] expected = new int[n];
            for (int i = 0; i < n; i++) {
                expected[i] = FloatOrder.key(sorted[i]);
            }
            assertThat(Arrays.equals(back, expected)).as("a permutation").isTrue();
        }
    }

    @Test
    void histogramSelectFindsTheSortedElementAndTheOneBefore() {
        Random rnd = new Random(21);
        int[] histogram = new int[1 << SignalQuality.RADIX_BITS];
        for (int it = 0; it < 3000; it++) {
            int n = 2 + rnd.nextInt(it < 1500 ? 60 : 6000);
            float[] x = new float[n];
            int kind = it % 7;
            for (int i = 0; i < n; i++) {
                x[i] = switch (kind) {
                    case 0 -> (float) rnd.nextGaussian() * 0.3f; // ECG-like around 0 mV: both signs, many exponents
                    case 1 -> rnd.nextInt(3) - 1 + (rnd.nextBoolean() ? 0.0f : -0.0f); // ties and signed zeros
                    case 2 -> i; // ascending
                    case 3 -> 7.25f; // all equal
                    case 4 -> (rnd.nextInt(2000) - 1000) * 0.005f; // ADC steps of 5 uV
                    case 5 -> rnd.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE; // the widest key range
                    default -> rnd.nextFloat() < 0.01f ? 1e30f : (float) rnd.nextGaussian(); // one bucket holds all but a few
                };
            }
            float[] sorted = x.clone();
            Arrays.sort(sorted);
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = FloatOrder.key(x[i]);
            }
            int[] before = keys.clone();
            int k = it % 3 == 0 ? n / 2 : rnd.nextInt(n);
            long got = SignalQuality.histogramSelect(keys, n, k, histogram, new int[n]);
            assertThat(Float.floatToRawIntBits(FloatOrder.value((int) (got >> 32))))
                    .as("kind %d n %d k %d", kind, n, k).isEqualTo(Float.floatToRawIntBits(sorted[k]));
            if (k > 0) {
                assertThat(Float.floatToRawIntBits(FloatOrder.value((int) got)))
                        .as("the one before, kind %d n %d k %d", kind, n, k).isEqualTo(Float.floatToRawIntBits(sorted[k - 1]));
            } else {
                assertThat((int) got).isEqualTo(Integer.MIN_VALUE);
            }
            assertThat(keys).as("keys left alone").containsExactly(before);
        }
    }

    @Test
    void allFiniteFindsEveryNanAndInfinityAndNothingElse() {
        float[] finite = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -3.5f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Math.nextDown(Float.POSITIVE_INFINITY)};
        float[] bad = {Float.NaN, -Float.NaN, Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] w = new float[37];
        for (int i = 0; i < w.length; i++) {
            w[i] = finite[i % finite.length];
        }
        assertThat(SignalQuality.allFinite(w, 0, w.length)).isTrue();
        for (float b : bad) {
            for (int at = 0; at < w.length; at++) {
                float[] x = w.clone();
                x[at] = b;
                assertThat(SignalQuality.allFinite(x, 0, x.length)).as("%s at %d", b, at).isFalse();
                // outside the range it is not seen
                assertThat(SignalQuality.allFinite(x, at + 1, x.length - at - 1)).isTrue();
                assertThat(SignalQuality.allFinite(x, 0, at)).isTrue();
            }
        }
    }
}
