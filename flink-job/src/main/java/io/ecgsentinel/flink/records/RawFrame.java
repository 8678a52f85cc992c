package io.ecgsentinel.flink.records;

/**
 * One Kafka record of the frames topic exactly as read: where it came from and its value bytes.
 * Decoding happens in {@code DecodeAndValidate}, not in the source, so bad bytes can be
 * dead-lettered with their coordinates instead of failing the job.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param kafkaTimestampMillis the record's Kafka timestamp (producer or log-append time)
 * @param value the value bytes (empty for a null value)
 * @param eventTimeMillis end of the frame on the device's sample clock when its header could be read,
 *     else Long.MIN_VALUE; lets the source assign event time per Kafka partition
 */
public record RawFrame(String topic, int partition, long offset, long kafkaTimestampMillis, byte[] value,
        long eventTimeMillis) {

    public RawFrame(String topic, int partition, long offset, long kafkaTimestampMillis, byte[] value) {
        this(topic, partition, offset, kafkaTimestampMillis, value, Long.MIN_VALUE);
    }
}
