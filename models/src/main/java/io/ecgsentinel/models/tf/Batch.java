package io.ecgsentinel.models.tf;

import io.ecgsentinel.models.input.BeatWindows;
import java.util.Arrays;

/**
 * A training batch: the model inputs of {@link BeatWindows} plus targets and per-example loss
 * weights: beat one-hot [n, 4] with weight [n], AF target [n] with weight [n], superclass targets
 * [n, 5] with weight [n]. A weight of 0 means "no label for this head" (e.g. no beat label on PTB-XL
 * windows).
 */
public final class Batch extends BeatWindows {
    public final float[] beatY;
    public final float[] beatW;
    public final float[] afY;
    public final float[] afW;
    public final float[] supY;
    public final float[] supW;

    public Batch(int capacity) {
        super(capacity);
        beatY = new float[capacity * 4];
        beatW = new float[capacity];
        afY = new float[capacity];
        afW = new float[capacity];
        supY = new float[capacity * 5];
        supW = new float[capacity];
    }

    @Override
    public void clearRow(int i) {
        super.clearRow(i);
        Arrays.fill(beatY, i * 4, (i + 1) * 4, 0f);
        Arrays.fill(supY, i * 5, (i + 1) * 5, 0f);
        beatW[i] = 0;
        afY[i] = 0;
        afW[i] = 0;
        supW[i] = 0;
    }
}
