package io.ecgsentinel.flink.demo;

import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import io.ecgsentinel.simulator.FramePublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The demo's {@link FramePublisher}: passes frames and truth on to another publisher (Kafka) and
 * keeps what the demo scores with: every ground-truth event the simulator published, and where
 * each patient's device clock started and ended (its first frame's first sample, its last frame's
 * end), so truth and alarms can be put on one clock. Thread-safe.
 */
final class RecordingPublisher implements FramePublisher {

    private final FramePublisher next;
    private final boolean forwardTruth;
    private final List<GroundTruthEvent> truth = new ArrayList<>();
    private final Map<String, long[]> clock = new HashMap<>(); // patient -> {first sample, end} micros

    /**
     * @param next where frames go
     * @param forwardTruth whether truth goes there too (else it is only kept)
     */
    RecordingPublisher(FramePublisher next, boolean forwardTruth) {
        this.next = next;
        this.forwardTruth = forwardTruth;
    }

    @Override
    public void publishFrame(String patientId, EcgFrame frame, byte[] encoded) {
        long first = frame.getFirstSampleTimeMicros();
        int fs = frame.getSampleRateHz();
        long end = first + Math.floorDiv(frame.getSamplesPerLead() * 1_000_000L + fs / 2, fs);
        synchronized (this) {
            long[] c = clock.computeIfAbsent(patientId, k -> new long[] {first, end});
            c[0] = Math.min(c[0], first);
            c[1] = Math.max(c[1], end);
        }
        next.publishFrame(patientId, frame, encoded);
    }

    @Override
    public void publishTruth(GroundTruthEvent event) {
        synchronized (this) {
            truth.add(event);
        }
        if (forwardTruth) {
            next.publishTruth(event);
        }
    }

    /** The truth events published so far, in publication order. */
    synchronized List<GroundTruthEvent> truth() {
        return List.copyOf(truth);
    }

    /** Event time of the first sample of the patient's stream (UTC micros), if it sent a frame. */
    synchronized OptionalLong startMicros(String patientId) {
        long[] c = clock.get(patientId);
        return c == null ? OptionalLong.empty() : OptionalLong.of(c[0]);
    }

    /** End (exclusive) of each patient's stream so far (UTC micros). */
    synchronized Map<String, Long> endMicros() {
        Map<String, Long> m = new HashMap<>();
        clock.forEach((p, c) -> m.put(p, c[1]));
        return m;
    }

    @Override
    public void flush() {
        next.flush();
    }

    @Override
    public void close(Duration timeout) {
        next.close(timeout);
    }
}
