package io.ecgsentinel.flink.functions;

import io.ecgsentinel.schemas.EcgFrames;
import java.util.Arrays;

/**
 * One hop-sized block of a patient's buffered signal, lead-major ({@code lead * size + i}).
 * {@code written[i]} is false where no frame has delivered sample i yet, which is how gaps stay
 * visible instead of being interpolated. {@code leadOffMask[i]} has bit k set when the device flagged
 * lead k off for the frame that carried sample i; it is null (all clear) until a frame with a lead
 * off lands in the block, since most blocks never see one (2 KB less per block of 500 samples).
 *
 * <p>Two forms. ADC form ({@code adc != null}): the devices' int16 values with one {@code scale} and
 * {@code baseline} per lead (scale NaN until the first frame sets it), half the bytes of floats in
 * heap state and checkpoints, converted by {@link EcgFrames#millivolts} when a window is read, so the
 * window holds the same floats the decoder would have produced. Float form ({@code samples != null}):
 * millivolts, NaN where not written; a block changes to it when a frame of millivolts arrives or
 * when a lead's calibration changes inside the block (a device reconfigured mid-second).
 */
public class SampleBlock {
    public short[] adc;
    public float[] scale;
    public int[] baseline;
    public float[] samples;
    public boolean[] written;
    public int[] leadOffMask;

    public SampleBlock() {}

    /** An empty block in ADC form. */
    static SampleBlock empty(int leads, int size) {
        SampleBlock b = new SampleBlock();
        b.adc = new short[leads * size];
        Arrays.fill(b.adc, EcgFrames.MISSING_SAMPLE);
        b.scale = new float[leads];
        Arrays.fill(b.scale, Float.NaN);
        b.baseline = new int[leads];
        b.written = new boolean[size];
        return b;
    }

    /** Sample {@code i} of lead {@code lead} in millivolts (NaN if missing); {@code size} is the block's length. */
    float value(int lead, int size, int i) {
        if (adc == null) {
            return samples[lead * size + i];
        }
        return EcgFrames.millivolts(adc[lead * size + i], baseline[lead], scale[lead]);
    }

    /**
     * Whether ADC values with this calibration can go into lead {@code lead}: the block is in ADC form
     * and the lead has no calibration yet or the same one.
     */
    boolean accepts(int lead, float leadScale, int leadBaseline) {
        return adc != null && (Float.isNaN(scale[lead])
                || (scale[lead] == leadScale && baseline[lead] == leadBaseline));
    }

    /** Converts the block to float form (no-op if it is already); values are unchanged. */
    void toFloats(int size) {
        if (adc == null) {
            return;
        }
        int leads = adc.length / size;
        float[] f = new float[adc.length];
        for (int k = 0; k < leads; k++) {
            for (int i = 0; i < size; i++) {
                f[k * size + i] = value(k, size, i);
            }
        }
        samples = f;
        adc = null;
        scale = null;
        baseline = null;
    }
}
