package io.ecgsentinel.flink.records;

/**
 * One alert message as the decider produced it: mirrors the Avro {@code Alert} (converted only in the
 * sink's serializer) with plain fields. Floats are NaN and strings null where the Avro field is null.
 *
 * @param type an {@code AlertType} name
 * @param priority an {@code AlertPriority} name
 * @param state an {@code AlertState} name
 * @param latestArrivalMillis Kafka timestamp of the newest frame behind this decision (end-to-end latency)
 */
public record AlertEvent(
        String id,
        String patientId,
        String deviceId,
        String type,
        String priority,
        String state,
        long onsetTimeMicros,
        long detectionTimeMicros,
        float heartRateBpm,
        float score,
        String modelName,
        String modelVersion,
        String[] leads,
        long spanStartMicros,
        long spanEndMicros,
        String text,
        long latestArrivalMillis) {}
