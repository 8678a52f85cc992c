package io.ecgsentinel.flink.demo;

import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes the frames of many {@link SyntheticPatient}s to a Kafka topic in event-time order (a ward
 * of bedside devices), keyed by patient id, either as fast as possible (tests) or paced to the sample
 * clock times {@code speed}. Every send has a callback; the first failure is rethrown.
 */
public final class WardProducer {

    private WardProducer() {}

    /**
     * @param speed 0 = unpaced; otherwise event-time seconds per wall-clock second
     * @param running checked between frames; false stops early
     * @return frames sent
     */
    public static long run(Properties producerProps, String topic, List<? extends DemoDevice> patients, double seconds,
            double speed, BooleanSupplier running) throws InterruptedException {
        double[] each = new double[patients.size()];
        java.util.Arrays.fill(each, seconds);
        return run(producerProps, topic, patients, each, speed, running);
    }

    /** As above, with a duration per patient (all interleaved in event-time order). */
    public static long run(Properties producerProps, String topic, List<? extends DemoDevice> patients, double[] seconds,
            double speed, BooleanSupplier running) throws InterruptedException {
        java.util.Map<DemoDevice, Double> limit = new java.util.IdentityHashMap<>();
        for (int i = 0; i < patients.size(); i++) {
            limit.put(patients.get(i), seconds[i]);
        }
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        record Next(DemoDevice p, long time) {}
        PriorityQueue<Next> queue = new PriorityQueue<>(Comparator.comparingLong(Next::time));
        long t0 = Long.MAX_VALUE;
        for (DemoDevice p : patients) {
            queue.add(new Next(p, p.timeMicros(p.position())));
            t0 = Math.min(t0, p.timeMicros(0));
        }
        long wallStart = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
            while (!queue.isEmpty() && running.getAsBoolean()) {
                Next n = queue.poll();
                DemoDevice p = n.p();
                if (p.position() >= Math.min(p.lengthSamples(), Math.round(limit.get(p) * p.sampleRate()))) {
                    continue;
                }
                EcgFrame f = p.nextFrame();
                if (speed > 0) {
                    long due = (long) ((f.getFirstSampleTimeMicros() - t0) / speed * 1000);
                    long wait = due - (System.nanoTime() - wallStart);
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.send(new ProducerRecord<>(topic, p.patientId().getBytes(StandardCharsets.UTF_8),
                        serde.serialize(f)), (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent.incrementAndGet();
                if (failure.get() != null) {
                    throw new IllegalStateException("sending frames failed: " + failure.get().getMessage(), failure.get());
                }
                queue.add(new Next(p, p.timeMicros(p.position())));
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending frames failed: " + failure.get().getMessage(), failure.get());
        }
        return sent.get();
    }
}
