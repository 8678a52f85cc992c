package io.ecgsentinel.flink.demo;

import io.ecgsentinel.simulator.Faults;
import io.ecgsentinel.simulator.KafkaFramePublisher;
import io.ecgsentinel.simulator.PatientStream;
import io.ecgsentinel.simulator.SimStats;
import io.ecgsentinel.simulator.SimulationRunner;
import io.ecgsentinel.simulator.TruthEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Test helper: publishes a ward of {@link SyntheticPatient}s to a frames topic with the device
 * simulator's {@link SimulationRunner} and Kafka publisher (frames keyed by patient, in event-time
 * order), each patient for its own duration. Ground truth is not published (the topic takes frames
 * only). The run starts at the patients' {@code startMicros}; the runner spreads the devices' clocks
 * over one frame period.
 */
public final class WardProducer {

    private WardProducer() {}

    /**
     * @param speed 0 = as fast as the runner goes (10000x); otherwise event-time seconds per wall-clock second
     * @param running checked while publishing; false stops early
     * @return frames sent
     */
    public static long run(Properties producerProps, String topic, List<SyntheticPatient> patients, double seconds,
            double speed, BooleanSupplier running) throws InterruptedException {
        double[] each = new double[patients.size()];
        Arrays.fill(each, seconds);
        return run(producerProps, topic, patients, each, speed, running);
    }

    /** As above, with a duration per patient (all interleaved in event-time order). */
    public static long run(Properties producerProps, String topic, List<SyntheticPatient> patients, double[] seconds,
            double speed, BooleanSupplier running) throws InterruptedException {
        SyntheticPatient p0 = patients.get(0);
        List<PatientStream> streams = new ArrayList<>();
        double longest = 0;
        for (int i = 0; i < patients.size(); i++) {
            SyntheticPatient p = patients.get(i);
            if (p.sampleRate() != p0.sampleRate() || p.frameSamples() != p0.frameSamples()
                    || p.startMicros() != p0.startMicros()) {
                throw new IllegalArgumentException("a ward shares one sample rate, frame size and start");
            }
            streams.add(new Limited(p.stream(), Math.round(seconds[i] * p.sampleRate())));
            longest = Math.max(longest, seconds[i]);
        }
        int frameMillis = (int) Math.round(p0.frameSamples() * 1000.0 / p0.sampleRate());
        SimulationRunner.Config cfg = new SimulationRunner.Config(speed > 0 ? speed : 10_000, frameMillis, longest,
                p0.startMicros(), 1, Faults.NONE, 0, null);
        SimStats stats = new SimStats();
        try (RecordingPublisher publisher = new RecordingPublisher(
                new KafkaFramePublisher(producerProps, topic, topic, stats), false)) {
            SimulationRunner runner = new SimulationRunner(streams, publisher, cfg, stats);
            Thread watch = new Thread(() -> {
                while (running.getAsBoolean()) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                runner.stop();
            }, "ward-stop");
            watch.setDaemon(true);
            watch.start();
            try {
                runner.run();
            } finally {
                watch.interrupt();
            }
        }
        if (stats.failures() > 0) {
            throw new IllegalStateException("sending frames failed: " + stats.firstErrors());
        }
        return stats.framesSent.sum();
    }

    /** A patient stream that ends after {@code limit} samples. */
    private record Limited(PatientStream p, long limit) implements PatientStream {

        @Override
        public String patientId() {
            return p.patientId();
        }

        @Override
        public String deviceId() {
            return p.deviceId();
        }

        @Override
        public String source() {
            return p.source();
        }

        @Override
        public int sampleRateHz() {
            return p.sampleRateHz();
        }

        @Override
        public List<String> leads() {
            return p.leads();
        }

        @Override
        public float[] gains() {
            return p.gains();
        }

        @Override
        public long position() {
            return p.position();
        }

        @Override
        public boolean finished() {
            return p.position() >= limit;
        }

        @Override
        public int next(float[][] out, int n, boolean[] leadOff, List<Integer> pacingMarks, List<TruthEvent> truth) {
            int m = (int) Math.max(0, Math.min(n, limit - p.position()));
            return m == 0 ? 0 : p.next(out, m, leadOff, pacingMarks, truth);
        }
    }
}
