package io.ecgsentinel.simulator;

import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.time.Duration;

/**
 * Where a simulation's frames and truth go. Sends are asynchronous; the implementation counts
 * sends, acknowledgements and failures in the run's {@link SimStats}. Thread-safe.
 */
public interface FramePublisher extends AutoCloseable {

    /** Sends one encoded frame, keyed by patient. */
    void publishFrame(String patientId, EcgFrame frame, byte[] encoded);

    /** Sends one ground-truth event, keyed by patient. */
    void publishTruth(GroundTruthEvent event);

    /** Blocks until everything sent so far is acknowledged or failed. */
    void flush();

    /** Flushes and releases resources, waiting at most {@code timeout}. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ofSeconds(30));
    }
}
