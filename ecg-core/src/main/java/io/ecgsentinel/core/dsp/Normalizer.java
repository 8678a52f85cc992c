package io.ecgsentinel.core.dsp;

import java.io.Serializable;

/**
 * Per-lead amplitude normalisation of one analysis window, the last step before the model.
 *
 * <p>Chosen method: a stateless z-score over the window ({@link Method#WINDOW_ZSCORE}). Being a
 * pure function of the window, it gives the same numbers in training (windows cut from whole
 * records), evaluation and the Flink job (windows assembled from frames), with no running estimate
 * whose warm-up or restore could differ between them. It removes the gain differences between
 * leads, devices and datasets that the model should not learn. The standard deviation is floored
 * at {@link #MIN_STD_MV} so a flat or lead-off window is not blown up into amplified quantisation
 * noise (signal quality flags such windows separately). NaN samples are ignored in the statistics
 * and come out as 0, the window mean.
 */
public final class Normalizer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Floor of the window standard deviation (mV): below it the window is essentially flat. */
    public static final double MIN_STD_MV = 0.01;

    /** How windows are normalised; recorded in the model card through {@link PreprocessingConfig}. */
    public enum Method {
        /** Windows pass unchanged (values stay in mV). */
        NONE,
        /** (x - mean) / max(std, {@value Normalizer#MIN_STD_MV} mV) over the window. */
        WINDOW_ZSCORE
    }

    private final Method method;

    public Normalizer(Method method) {
        if (method == null) {
            throw new IllegalArgumentException("normalisation method must not be null");
        }
        this.method = method;
    }

    public Method method() {
        return method;
    }

    /** Normalises a copy of {@code window}; the input is not modified. */
    public float[] normalizeWindow(float[] window) {
        float[] out = window.clone();
        normalizeInPlace(out, 0, out.length);
        return out;
    }

    /** Normalises {@code len} samples of {@code window} from {@code off}, in place. */
    public void normalizeInPlace(float[] window, int off, int len) {
        if (method == Method.NONE || len == 0) {
            return;
        }
        double[] z = new double[2];
        zscore(window, off, len, z);
        apply(window, off, len, z[0], z[1]);
    }

    /**
     * The first half of {@link #normalizeInPlace} with {@link Method#WINDOW_ZSCORE}: writes the
     * window's mean and {@code 1 / max(std, MIN_STD_MV)} into {@code dst[0]} and {@code dst[1]}, both
     * NaN when no sample is a number. {@link #apply} with them is the other half; a caller that meets
     * the same window again (a beat's template window, see {@code BeatWindowExtractor}) may keep the
     * two numbers instead of computing them again, with the same result.
     */
    public static void zscore(float[] window, int off, int len, double[] dst) {
        // Two passes in double: the mean first, then the spread around it, which avoids the
        // cancellation of the one-pass sum-of-squares formula on signals with a DC offset.
        double sum = 0;
        int n = 0;
        for (int i = off; i < off + len; i++) {
            float v = window[i];
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        if (n == 0) {
            dst[0] = Double.NaN;
            dst[1] = Double.NaN;
            return;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = off; i < off + len; i++) {
            float v = window[i];
            if (!Float.isNaN(v)) {
                double d = v - mean;
                ss += d * d;
            }
        }
        dst[0] = mean;
        dst[1] = 1.0 / Math.max(Math.sqrt(ss / n), MIN_STD_MV);
    }

    /**
     * {@code (x - mean) * inv} in place, NaN samples to 0 (the window mean); with a NaN mean (no
     * sample was a number, see {@link #zscore}) every sample becomes 0.
     */
    public static void apply(float[] window, int off, int len, double mean, double inv) {
        if (Double.isNaN(mean)) {
            java.util.Arrays.fill(window, off, off + len, 0f);
            return;
        }
        for (int i = off; i < off + len; i++) {
            float v = window[i];
            window[i] = Float.isNaN(v) ? 0f : (float) ((v - mean) * inv);
        }
    }

    /** Normalises each lead of a [lead][sample] window independently; returns a new array. */
    public float[][] normalizeWindow(float[][] window) {
        float[][] out = new float[window.length][];
        for (int l = 0; l < window.length; l++) {
            out[l] = normalizeWindow(window[l]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "normaliser " + method;
    }
}
