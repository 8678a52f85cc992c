package io.ecgsentinel.schemas;

/**
 * Kafka topic names of ECG Sentinel. Each name carries the major version of its contract: a compatible
 * schema change keeps the topic (readers cope through {@link SchemaHistory}), a breaking one gets a new
 * topic version, so producers and consumers never disagree silently about what a topic holds.
 */
public final class Topics {

    /** {@code EcgFrame} values keyed by patient id, written by devices and the simulator. */
    public static final String FRAMES = "ecg.frames.v1";

    /** {@code Alert} values keyed by patient id, written exactly once by the Flink job. */
    public static final String ALERTS = "ecg.alerts.v1";

    /** {@code DeadLetter} values: input records the job could not use, with their raw bytes. */
    public static final String DEAD_LETTERS = "ecg.deadletter.v1";

    /** {@code GroundTruthEvent} values keyed by patient id, written by the simulator for scoring. */
    public static final String TRUTH = "ecg.truth.v1";

    private Topics() {}
}
