package io.ecgsentinel.flink.records;

/**
 * A sliding analysis window of one patient assembled by {@code FrameBuffer}: {@code windowSamples}
 * raw samples per lead in millivolts, NaN where nothing arrived (a gap) or the device sent a
 * missing sample. Gaps are marked, never interpolated.
 *
 * @param startSample index of the first sample on the patient's stream (0 = first sample ever
 *     buffered for this stream); windows of one stream advance by the hop
 * @param startMicros event time of the first sample
 * @param newSamples how many samples at the end of the window were not in the previous window
 * @param missingSamples samples (per lead, counted over lead 0) that never arrived
 * @param leadOff per lead: the device flagged lead-off in the newest hop
 * @param streamEpoch incremented when the buffer restarts the stream (long silence, new rate or leads)
 * @param latestArrivalMillis Kafka timestamp of the newest frame in the window (for end-to-end latency)
 */
public record AnalysisWindow(
        String patientId,
        String deviceId,
        String[] leads,
        int sampleRateHz,
        long startSample,
        long startMicros,
        float[][] samples,
        int newSamples,
        int missingSamples,
        boolean[] leadOff,
        int streamEpoch,
        long latestArrivalMillis) {

    public int length() {
        return samples.length == 0 ? 0 : samples[0].length;
    }

    public long endSample() {
        return startSample + length();
    }

    /** Event time just after the last sample. */
    public long endMicros() {
        return startMicros + length() * 1_000_000L / sampleRateHz;
    }

    public long sampleMicros(long streamIndex) {
        return startMicros + (streamIndex - startSample) * 1_000_000L / sampleRateHz;
    }
}
