package io.ecgsentinel.flink.demo;

import io.ecgsentinel.schemas.avro.EcgFrame;

/** A device that {@link WardProducer} can publish: a stream of frames on its own sample clock. */
public interface DemoDevice {

    String patientId();

    int sampleRate();

    /** Samples produced so far. */
    long position();

    /** Event time of sample {@code index} (UTC microseconds). */
    long timeMicros(long index);

    /** Total samples available (Long.MAX_VALUE when unlimited). */
    default long lengthSamples() {
        return Long.MAX_VALUE;
    }

    EcgFrame nextFrame();
}
