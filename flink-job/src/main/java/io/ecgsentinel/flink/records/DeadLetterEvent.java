package io.ecgsentinel.flink.records;

import io.ecgsentinel.schemas.avro.DeadLetterReason;

/**
 * A record the pipeline could not use, on its way to the dead-letter topic. Converted to the Avro
 * {@code DeadLetter} only in the sink's serializer, so no Avro type travels between operators.
 *
 * @param reason one of {@link DeadLetterReason}'s names
 * @param message detail for humans; never contains the patient id
 */
public record DeadLetterEvent(
        String sourceTopic, int partition, long offset, byte[] raw, String reason, String message, long timeMicros) {

    public static DeadLetterEvent of(RawFrame in, DeadLetterReason reason, String message) {
        return new DeadLetterEvent(in.topic(), in.partition(), in.offset(), in.value(), reason.name(), message,
                System.currentTimeMillis() * 1000L);
    }

    public static DeadLetterEvent of(Frame in, DeadLetterReason reason, String message) {
        return new DeadLetterEvent(in.topic(), in.partition(), in.offset(), in.raw(), reason.name(), message,
                System.currentTimeMillis() * 1000L);
    }
}
