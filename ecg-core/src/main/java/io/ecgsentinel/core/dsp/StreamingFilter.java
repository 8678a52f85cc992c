package io.ecgsentinel.core.dsp;

import java.io.Serializable;

/**
 * A stateful, single-lead, sample-rate-preserving filter that can be fed a signal in chunks of any
 * size.
 *
 * <p>The contract every implementation keeps, and that the tests check for each one: feeding a
 * signal whole, sample by sample or in any mix of chunk sizes gives bit-identical output. Each
 * implementation achieves this by doing all arithmetic per sample, in the same order, with its
 * whole state held in fields (never in chunk-local variables). This is what lets training (whole
 * records), evaluation and the Flink job (frames of a few dozen samples) share one preprocessing
 * path without train/serve skew.
 *
 * <p>State is a flat {@code double[]} ({@link #state()}, {@link #restore(double[])}) so that a
 * Flink operator can keep it in keyed state as a primitive array, which Flink serialises natively
 * and which never falls back to Kryo. Implementations are also {@link Serializable} for plain Java
 * serialisation. A filter instance is not thread-safe: use one per lead.
 */
public interface StreamingFilter extends Serializable {

    /**
     * Filters {@code len} samples of {@code in} starting at {@code off} into {@code out} starting at
     * {@code outOff}. {@code in} and {@code out} may be the same array at the same offset (in-place
     * filtering).
     */
    void process(float[] in, int off, int len, float[] out, int outOff);

    /** Filters one chunk into a new array of the same length. */
    default float[] process(float[] chunk) {
        float[] out = new float[chunk.length];
        process(chunk, 0, chunk.length, out, 0);
        return out;
    }

    /** Forgets all history: the next sample is treated as the first of a new signal. */
    void reset();

    /** A fresh instance with the same design and reset state (not a copy of the current state). */
    StreamingFilter copy();

    /**
     * The delay, in samples, to subtract from an output index to align it with the input: exact for
     * linear-phase and median stages, the group delay at {@link FilterDesign#REFERENCE_HZ} rounded
     * to the nearest sample for IIR stages (whose delay depends on frequency).
     */
    int delaySamples();

    /**
     * A snapshot of the complete mutable state. {@code restore(state())} on a {@link #copy()} makes
     * the copy continue with exactly the output this instance would give.
     */
    double[] state();

    /**
     * Replaces the mutable state by one taken with {@link #state()} from a filter of the same
     * design.
     *
     * @throws IllegalArgumentException if the array does not have the length this design needs
     */
    void restore(double[] state);
}
