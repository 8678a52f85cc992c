package io.ecgsentinel.flink.records;

import io.ecgsentinel.schemas.EcgFrames;

/**
 * A decoded, validated ECG frame, plus the source coordinates and raw bytes so a later stage
 * (sequence check, lateness) can still dead-letter it faithfully. Primitive arrays only, so Flink
 * serializes it without Kryo.
 *
 * <p>The samples come in one of two forms. Frames from Kafka keep the device's int16 ADC values
 * ({@code adc[lead][sample]}, {@link EcgFrames#MISSING_SAMPLE} = missing) with each lead's {@code
 * scale} (mV per ADC unit) and {@code baseline}: half the bytes of floats through the shuffle and in
 * the frame buffer's state, and no information lost, since {@link #samples()} converts them with
 * {@link EcgFrames#millivolts}, the decoder's own arithmetic. Frames built from millivolts (replays of
 * float records, tests) carry {@code millivolts[lead][sample]} (NaN = missing) and null ADC arrays.
 */
public record Frame(
        String patientId,
        String deviceId,
        long sequence,
        long firstSampleTimeMicros,
        int sampleRateHz,
        String[] leads,
        short[][] adc,
        float[] scale,
        int[] baseline,
        float[][] millivolts,
        boolean[] leadOff,
        long arrivalMillis,
        String topic,
        int partition,
        long offset,
        byte[] raw) {

    public Frame {
        if ((adc == null) == (millivolts == null)) {
            throw new IllegalArgumentException("a frame carries either ADC values or millivolts, not "
                    + (adc == null ? "neither" : "both"));
        }
        if (adc != null && (scale == null || baseline == null || scale.length != adc.length
                || baseline.length != adc.length)) {
            throw new IllegalArgumentException("ADC samples need one scale and one baseline per lead");
        }
    }

    /** A frame of samples in millivolts ({@code [lead][sample]}, NaN = missing). */
    public Frame(String patientId, String deviceId, long sequence, long firstSampleTimeMicros, int sampleRateHz,
            String[] leads, float[][] millivolts, boolean[] leadOff, long arrivalMillis, String topic,
            int partition, long offset, byte[] raw) {
        this(patientId, deviceId, sequence, firstSampleTimeMicros, sampleRateHz, leads, null, null, null,
                millivolts, leadOff, arrivalMillis, topic, partition, offset, raw);
    }

    /** Whether the samples are ADC values (else {@link #millivolts()}). */
    public boolean hasAdc() {
        return adc != null;
    }

    /**
     * The samples in millivolts, {@code [lead][sample]}, NaN = missing: the {@link #millivolts()}
     * arrays themselves, or a fresh conversion of the ADC values.
     */
    public float[][] samples() {
        if (millivolts != null) {
            return millivolts;
        }
        float[][] mv = new float[adc.length][];
        for (int k = 0; k < adc.length; k++) {
            short[] a = adc[k];
            float[] row = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                row[i] = EcgFrames.millivolts(a[i], baseline[k], scale[k]);
            }
            mv[k] = row;
        }
        return mv;
    }

    /** Samples per lead. */
    public int length() {
        if (adc != null) {
            return adc.length == 0 ? 0 : adc[0].length;
        }
        return millivolts.length == 0 ? 0 : millivolts[0].length;
    }

    /** Event time just after the last sample (UTC microseconds). */
    public long endTimeMicros() {
        return firstSampleTimeMicros + length() * 1_000_000L / sampleRateHz;
    }
}
