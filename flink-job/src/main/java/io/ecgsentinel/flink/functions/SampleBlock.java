package io.ecgsentinel.flink.functions;

/**
 * One hop-sized block of a patient's buffered signal (a Flink POJO). {@code samples} is lead-major
 * ({@code lead * size + i}); {@code written[i]} is false where no frame has delivered sample i yet,
 * which is how gaps stay visible instead of being interpolated. {@code leadOffMask[i]} has bit k set
 * when the device flagged lead k off for the frame that carried sample i.
 */
public class SampleBlock {
    public float[] samples;
    public boolean[] written;
    public int[] leadOffMask;

    public SampleBlock() {}

    static SampleBlock empty(int leads, int size) {
        SampleBlock b = new SampleBlock();
        b.samples = new float[leads * size];
        java.util.Arrays.fill(b.samples, Float.NaN);
        b.written = new boolean[size];
        b.leadOffMask = new int[size];
        return b;
    }
}
