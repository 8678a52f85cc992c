package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.io.StateIO;
import java.io.Serializable;

/**
 * RR intervals and heart rate from a stream of beat positions.
 *
 * <p>The instantaneous rate is 60 / the last RR interval; the smoothed rate is 60 / the median of
 * the last {@value #HISTORY} valid RR intervals, so one missed or extra beat moves it little. An RR
 * interval is valid when it lies in [{@value #MIN_RR_SECONDS} s, {@value #MAX_RR_SECONDS} s] and
 * no {@link #breakSequence() break} (lead off, restart) lies between its two beats. Plain data
 * (primitive fields and arrays) so it can live in Flink keyed state; no allocation per beat.
 */
public final class RrTracker implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of RR intervals the smoothed rate is the median of. */
    public static final int HISTORY = 8;

    public static final double MIN_RR_SECONDS = 0.2;
    public static final double MAX_RR_SECONDS = 6.0;

    private final double fs;
    private final double[] rr = new double[HISTORY];
    private final double[] scratch = new double[HISTORY];
    private int count;
    private int next;
    private long lastBeat = -1;
    private double lastRr = Double.NaN;
    private long beats;

    /** @param fs sampling frequency of the beat positions, in Hz */
    public RrTracker(double fs) {
        if (!(fs > 0)) {
            throw new IllegalArgumentException("sampling frequency must be positive: " + fs);
        }
        this.fs = fs;
    }

    /**
     * Adds a beat.
     *
     * @return the RR interval ending at this beat in seconds, or NaN if there is none (first beat,
     *     after a break, or outside the valid range)
     */
    public double onBeat(long sample) {
        beats++;
        double interval = Double.NaN;
        if (lastBeat >= 0 && sample > lastBeat) {
            double s = (sample - lastBeat) / fs;
            if (s >= MIN_RR_SECONDS && s <= MAX_RR_SECONDS) {
                interval = s;
                rr[next] = s;
                next = (next + 1) % HISTORY;
                if (count < HISTORY) {
                    count++;
                }
            }
        }
        lastBeat = sample;
        lastRr = interval;
        return interval;
    }

    /** Forgets the previous beat, so that no RR interval spans a gap (lead off, data loss). */
    public void breakSequence() {
        lastBeat = -1;
        lastRr = Double.NaN;
    }

    /** Forgets everything. */
    public void reset() {
        breakSequence();
        count = 0;
        next = 0;
        beats = 0;
    }

    /** The last RR interval in seconds, or NaN. */
    public double lastRrSeconds() {
        return lastRr;
    }

    /** 60 / last RR interval, or NaN. */
    public double instantaneousBpm() {
        return Double.isNaN(lastRr) ? Double.NaN : 60.0 / lastRr;
    }

    /** 60 / median of the last {@value #HISTORY} valid RR intervals, or NaN before the first one. */
    public double smoothedBpm() {
        double m = medianRrSeconds();
        return Double.isNaN(m) ? Double.NaN : 60.0 / m;
    }

    /** Median of the last {@value #HISTORY} valid RR intervals in seconds, or NaN. */
    public double medianRrSeconds() {
        if (count == 0) {
            return Double.NaN;
        }
        for (int i = 0; i < count; i++) {
            double v = rr[i];
            int j = i - 1;
            while (j >= 0 && scratch[j] > v) {
                scratch[j + 1] = scratch[j];
                j--;
            }
            scratch[j + 1] = v;
        }
        return (count & 1) == 1
                ? scratch[count / 2]
                : 0.5 * (scratch[count / 2 - 1] + scratch[count / 2]);
    }

    /** Number of valid RR intervals in the history (at most {@value #HISTORY}). */
    public int validIntervals() {
        return count;
    }

    /** Beats seen since construction or {@link #reset()}. */
    public long beatCount() {
        return beats;
    }

    /** Sample index of the last beat, or -1. */
    public long lastBeatSample() {
        return lastBeat;
    }

    /** Writes the mutable state (see {@code QrsDetector.writeTo}); the rate is the owner's. */
    void writeTo(java.io.DataOutput out) throws java.io.IOException {
        StateIO.writeDoubles(out, rr);
        StateIO.writeDoubles(out, scratch);
        out.writeInt(count);
        out.writeInt(next);
        out.writeLong(lastBeat);
        out.writeDouble(lastRr);
        out.writeLong(beats);
    }

    /** Reads what {@link #writeTo} wrote into this tracker (same rate). */
    void readFrom(java.io.DataInput in) throws java.io.IOException {
        StateIO.into(StateIO.readDoubles(in), rr, "rr");
        StateIO.into(StateIO.readDoubles(in), scratch, "scratch");
        count = in.readInt();
        next = in.readInt();
        lastBeat = in.readLong();
        lastRr = in.readDouble();
        beats = in.readLong();
    }
}
