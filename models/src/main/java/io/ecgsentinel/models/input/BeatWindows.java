package io.ecgsentinel.models.input;

import static io.ecgsentinel.models.ModelSpec.ECG_CHANNELS;
import static io.ecgsentinel.models.ModelSpec.N_LEADS;
import static io.ecgsentinel.models.ModelSpec.RR_FEATURES;
import static io.ecgsentinel.models.ModelSpec.WINDOW;

import java.util.Arrays;

/**
 * A reusable batch of model inputs, as flat row-major float arrays: {@code ecg} [capacity, WINDOW,
 * 24] (window sample major, channel minor: 12 leads, then 12 leads minus the beat template), {@code mask} [capacity, 12] (1 = lead present), {@code rr}
 * [capacity, RR_FEATURES], and, not model inputs, {@code rrIrregularity} and {@code preLongRatio}
 * [capacity] for the beat decision rule ({@code BeatWindowExtractor.rrIrregularity} and {@code
 * BeatWindowExtractor.preLongRatio}). Rows 0..size-1 are valid. Filled by {@link BeatWindowExtractor}; read by
 * {@code EcgModel.Scorer}. Not thread-safe; allocate one per scoring thread and reuse it.
 */
public class BeatWindows {
    public final int capacity;
    public int size;
    public final float[] ecg;
    public final float[] mask;
    public final float[] rr;
    public final float[] rrIrregularity;
    public final float[] preLongRatio;

    public BeatWindows(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        ecg = new float[capacity * WINDOW * ECG_CHANNELS];
        mask = new float[capacity * N_LEADS];
        rr = new float[capacity * RR_FEATURES];
        rrIrregularity = new float[capacity];
        preLongRatio = new float[capacity];
    }

    /** Zeroes the inputs of row {@code i}. */
    public void clearRow(int i) {
        Arrays.fill(ecg, i * WINDOW * ECG_CHANNELS, (i + 1) * WINDOW * ECG_CHANNELS, 0f);
        Arrays.fill(mask, i * N_LEADS, (i + 1) * N_LEADS, 0f);
        Arrays.fill(rr, i * RR_FEATURES, (i + 1) * RR_FEATURES, 0f);
        rrIrregularity[i] = 0f;
        preLongRatio[i] = 0f;
    }

    public boolean isFull() {
        return size >= capacity;
    }
}
