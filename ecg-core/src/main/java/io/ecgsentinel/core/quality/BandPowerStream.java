package io.ecgsentinel.core.quality;

import io.ecgsentinel.core.io.StateIO;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * One lead's noise-check filters kept running between quality verdicts, so that a caller judging
 * overlapping windows of a stream (the Flink job: a 10 s window every 2 s) filters each sample once
 * instead of once per window that holds it (see {@link SignalQuality#assess(float[], int, int,
 * boolean, double, double, long, SignalQuality.DriftMemo, BandPowerStream)}).
 *
 * <p>It holds the state of the HF high-pass and the QRS band-pass (the arithmetic of {@link
 * BandPowers}, primed at the stream's first sample), the stream position it has been fed up to,
 * and a ring of per-block sums of the squared float outputs of both filters over fixed blocks of
 * stream positions ({@code floorDiv(position, block)}), so the power over any window that starts on
 * a block boundary and ends where the stream was fed is a sum of whole blocks. Samples within
 * {@link SignalQuality#SETTLE_SECONDS} of the stream's start, while the filters settle, are left
 * out of the sums. The layout (block length, ring size) is set by the analyser that feeds it; a
 * stream with another layout, rate or HF edge is restarted.
 *
 * <p>Compact because it lives in Flink keyed state: 52 doubles at 500 Hz (10 filter states, 2 x 21
 * block sums) plus a few scalars, about 0.46 KB per lead serialized. Not thread-safe.
 */
public final class BandPowerStream implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Filter state values before the block sums in {@link #s}: 2 + 3 sections, 2 each. */
    static final int FILTER_STATE = 10;

    /** Sampling rate and HF edge (Hz) of the filters the state belongs to; 0 when empty. */
    double fs;
    double hfEdgeHz;
    /** Samples per block. */
    int block;
    /** Stream position of the first sample (the priming one). */
    long start;
    /** Position of the next sample to feed; {@code fed - start} samples were fed. */
    long fed;
    /**
     * Filter state (hf section 1 and 2, qrs sections 1 to 3; two values each), then the HF block
     * sums, then the QRS block sums, block {@code b} in slot {@code floorMod(b, capacity)}; null
     * when empty.
     */
    double[] s;

    /** An empty stream: the next verdict starts it. */
    public BandPowerStream() {}

    /** Whether nothing has been fed since construction or the last {@link #reset()}. */
    public boolean isEmpty() {
        return s == null;
    }

    /** Stream position of the first sample fed (undefined when empty). */
    public long start() {
        return start;
    }

    /** Stream position of the next sample expected (undefined when empty). */
    public long fedUpTo() {
        return fed;
    }

    /** Blocks the ring holds (0 when empty). */
    int capacity() {
        return s == null ? 0 : (s.length - FILTER_STATE) / 2;
    }

    /** Forgets everything: the next verdict restarts the filters. */
    public void reset() {
        fs = 0;
        hfEdgeHz = 0;
        block = 0;
        start = 0;
        fed = 0;
        s = null;
    }

    /** Starts afresh at {@code position} with the given layout, all sums and states zero (reusing the array of the same layout). */
    void begin(double rate, double hfEdge, int blockSamples, int capacity, long position) {
        fs = rate;
        hfEdgeHz = hfEdge;
        block = blockSamples;
        start = position;
        fed = position;
        int size = FILTER_STATE + 2 * capacity;
        if (s != null && s.length == size) {
            java.util.Arrays.fill(s, 0.0);
        } else {
            s = new double[size];
        }
    }

    /** Writes the state compactly (one bulk array); {@link #readFrom} reads it back. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        out.writeDouble(fs);
        out.writeDouble(hfEdgeHz);
        out.writeInt(block);
        out.writeLong(start);
        out.writeLong(fed);
        StateIO.writeDoubles(out, s);
    }

    /** Reads what {@link #writeTo} wrote, rejecting a layout no writer produces. */
    public static BandPowerStream readFrom(DataInput in) throws IOException {
        BandPowerStream b = new BandPowerStream();
        if (!in.readBoolean()) {
            return b;
        }
        b.fs = in.readDouble();
        b.hfEdgeHz = in.readDouble();
        b.block = in.readInt();
        b.start = in.readLong();
        b.fed = in.readLong();
        b.s = StateIO.readDoubles(in);
        if (b.s == null || b.s.length < FILTER_STATE + 2 || (b.s.length - FILTER_STATE) % 2 != 0 || b.block < 1
                || !(b.fs > 0) || b.fed < b.start) {
            throw new IOException("corrupt state: band-power stream (block " + b.block + ", "
                    + (b.s == null ? -1 : b.s.length) + " values, fed " + b.start + ".." + b.fed + ")");
        }
        return b;
    }

    @Override
    public String toString() {
        return s == null ? "BandPowerStream[empty]"
                : "BandPowerStream[fs " + fs + ", block " + block + " x " + capacity() + ", fed " + start + ".." + fed
                        + "]";
    }
}
