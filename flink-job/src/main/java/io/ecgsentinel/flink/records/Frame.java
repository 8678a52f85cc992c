package io.ecgsentinel.flink.records;

/**
 * A decoded, validated ECG frame: samples in millivolts ({@code [lead][sample]}, NaN = missing),
 * plus the source coordinates and raw bytes so a later stage (sequence check, lateness) can still
 * dead-letter it faithfully. Primitive arrays only, so Flink serializes it without Kryo.
 */
public record Frame(
        String patientId,
        String deviceId,
        long sequence,
        long firstSampleTimeMicros,
        int sampleRateHz,
        String[] leads,
        float[][] samples,
        boolean[] leadOff,
        long arrivalMillis,
        String topic,
        int partition,
        long offset,
        byte[] raw) {

    /** Samples per lead. */
    public int length() {
        return samples.length == 0 ? 0 : samples[0].length;
    }

    /** Event time just after the last sample (UTC microseconds). */
    public long endTimeMicros() {
        return firstSampleTimeMicros + length() * 1_000_000L / sampleRateHz;
    }
}
