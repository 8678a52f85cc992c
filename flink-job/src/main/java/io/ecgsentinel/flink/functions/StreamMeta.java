package io.ecgsentinel.flink.functions;

/**
 * Per-patient bookkeeping of {@link FrameBuffer}, a Flink POJO (public fields, no-arg constructor)
 * so it is serialized without Kryo. Stream indexes count samples from {@code originMicros}.
 */
public class StreamMeta {
    public int sampleRateHz;
    public String[] leads;
    public String deviceId;
    /** Event time of stream index 0. */
    public long originMicros;
    /** Bumped when the stream restarts after a long silence. */
    public int epoch;
    /** Block size in samples (the hop). */
    public int blockSamples;
    /** Window length in samples. */
    public int windowSamples;
    /** Stream index (exclusive) at which the next window ends. */
    public long nextWindowEnd;
    /** Samples below this index have been handed downstream: frames ending at or before it are too late. */
    public long emittedUpTo;
    /** Highest stream index written + 1. */
    public long highestWritten;
    /** Lowest block index still held. */
    public long lowestBlock;
    public long lastArrivalMillis;
    public long lastFrameEndMicros;
    /** Event time (ms) of the registered quiet-cleanup timer, or Long.MIN_VALUE. */
    public long quietTimerMillis = Long.MIN_VALUE;

    public StreamMeta() {}

    long timeMicros(long streamIndex) {
        return originMicros + Math.floorDiv(streamIndex * 1_000_000L, sampleRateHz);
    }

    long timeMillisCeil(long streamIndex) {
        return Math.floorDiv(timeMicros(streamIndex) + 999, 1000);
    }

    long indexOf(long micros) {
        return Math.round((micros - originMicros) * (double) sampleRateHz / 1e6);
    }
}
