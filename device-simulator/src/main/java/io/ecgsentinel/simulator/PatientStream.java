package io.ecgsentinel.simulator;

import java.util.List;

/**
 * One live patient as a device sees it: a fixed sample rate and lead set, samples produced on
 * demand in frames, and ground truth for those samples. Implementations are used by one thread at
 * a time.
 */
public interface PatientStream {

    /** Opaque patient id (the Kafka key); never logged. */
    String patientId();

    /** Id of the simulated device; sequence numbers are per device. */
    String deviceId();

    /** Where the truth comes from: {@code synthetic} or the record name (for example {@code mitdb/100}). */
    String source();

    int sampleRateHz();

    List<String> leads();

    /** ADC units per mV to encode each lead with. */
    float[] gains();

    /** Samples produced so far (the index of the next sample). */
    long position();

    /** True when the stream has no more samples (a replayed record that does not loop). */
    boolean finished();

    /**
     * Produces the next {@code n} samples of every lead into {@code out[lead][0..n)}, and returns
     * how many were produced ({@code < n} only at the end of a finite stream). Truth for these
     * samples is appended to {@code truth}; {@code leadOff} (one flag per lead) and the pacing
     * marks (offsets in this frame) describe the frame.
     */
    int next(float[][] out, int n, boolean[] leadOff, List<Integer> pacingMarks, List<TruthEvent> truth);
}
