package io.ecgsentinel.core.dsp;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** Test inputs shared by the dsp and quality tests: real records from the data directory and seeded noise. */
public final class TestSignals {

    private TestSignals() {}

    /** A WFDB record under the data directory, e.g. {@code record("mitdb", "101")}. */
    public static WfdbRecord record(String dataset, String name) {
        try {
            return WfdbRecord.read(DataDirs.resolve(dataset).resolve(name + ".hea"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code seconds} of one lead of a record, in mV. */
    public static float[] lead(String dataset, String name, int lead, double seconds) {
        WfdbRecord r = record(dataset, name);
        float[] mv = r.millivolts(lead);
        int n = (int) Math.min(mv.length, Math.round(seconds * r.samplingFrequency()));
        return Arrays.copyOf(mv, n);
    }

    /** Lead 0 (MLII) of MIT-BIH record 101: a real ECG at 360 Hz. */
    public static float[] mitdb101(double seconds) {
        return lead("mitdb", "101", 0, seconds);
    }

    /** Gaussian white noise with a DC offset, from a fixed seed. */
    public static float[] noise(long seed, int n, double sigma, double offset) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + sigma * r.nextGaussian());
        }
        return x;
    }

    /** A unit-amplitude sine of {@code hz} sampled at {@code fs}. */
    public static float[] sine(double hz, double fs, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / fs);
        }
        return x;
    }

    /**
     * Chunk sizes that cover the whole input: the named sizes in turn, then seeded random sizes in
     * 1..600 (Flink frames are tens to hundreds of samples; 1 is the worst case).
     */
    public static IntUnaryOperator chunker(long seed, int... fixed) {
        Random r = new Random(seed);
        int[] k = {0};
        return remaining -> {
            int size = k[0] < fixed.length ? fixed[k[0]++] : 1 + r.nextInt(600);
            return Math.min(size, remaining);
        };
    }

    /**
     * Asserts two sample arrays are bit-identical, naming the first differing sample. (AssertJ's
     * {@code containsExactly} is quadratic on long arrays.)
     */
    public static void assertBitIdentical(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError("first difference at sample " + i + " of " + actual.length + ": "
                        + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** Root mean square of x[from, to). */
    public static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }
}
