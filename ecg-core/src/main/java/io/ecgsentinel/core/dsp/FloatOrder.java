package io.ecgsentinel.core.dsp;

/**
 * Floats as ints in the same order, for order statistics taken with integer compares: {@link
 * #key} is an int whose signed order is {@link Float#compare}'s order of the non-NaN float (so
 * -0.0 sorts below 0.0, exactly as {@link java.util.Arrays#sort(float[])} puts it, and as {@code
 * Math.min}/{@code max} treat it), and {@link #value} turns a key back into its float. Medians
 * selected on keys are bit-identical to the ones taken from a sorted copy of the floats; integer
 * min/max is one instruction, where {@code Math.min(float, float)} needs several for its NaN and
 * signed-zero rules. A NaN's key lies beyond the infinities' keys ({@link #POSITIVE_INFINITY},
 * {@link #NEGATIVE_INFINITY}), by its sign bit.
 */
public final class FloatOrder {

    /** Key of {@code +Infinity}: a larger key is a NaN with the sign bit clear. */
    public static final int POSITIVE_INFINITY = key(Float.POSITIVE_INFINITY);
    /** Key of {@code -Infinity}: a smaller key is a NaN with the sign bit set. */
    public static final int NEGATIVE_INFINITY = key(Float.NEGATIVE_INFINITY);

    private FloatOrder() {}

    /** The order key of {@code v}. */
    public static int key(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** The float whose {@link #key} is {@code key}. */
    public static float value(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }
}
