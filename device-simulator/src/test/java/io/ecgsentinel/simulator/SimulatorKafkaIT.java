package io.ecgsentinel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecgsentinel.core.synth.NoiseLevel;
import io.ecgsentinel.core.synth.Scenarios;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishes 50 synthetic 12-lead patients for 20 s of event time at speed 5 (200 ms frames; speed
 * and frame length are system properties) through a real
 * in-JVM broker and reads every frame back: none lost, none duplicated, sequence numbers and
 * device clocks contiguous per device, and each frame's Kafka timestamp (the wall clock at send)
 * within the stated tolerance of its schedule (event time scaled by the speed).
 */
class SimulatorKafkaIT {

    /** Pacing tolerance, stated: p99 within 100 ms and every frame within 500 ms of its schedule. */
    static final long P99_TOLERANCE_MS = 100;
    static final long MAX_TOLERANCE_MS = 500;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

    static SimStats stats;
    static long startMicros;
    static long wallStart;
    static double speed;
    static int frameMs;
    static final int PATIENTS = 50;
    static final double SECONDS = 20;
    static List<ConsumerRecord<byte[], byte[]>> frameRecords;
    static List<ConsumerRecord<byte[], byte[]>> truthRecords;

    @BeforeAll
    static void publishAndReadBack() throws Exception {
        String frames = KAFKA.createUniqueTopic("ecg.frames.v1", 4);
        String truth = KAFKA.createUniqueTopic("ecg.truth.v1", 1);
        int patients = 50;
        double seconds = 20;
        // Defaults sized for a 2-core machine shared with other builds (1,250 frames/s); on a quiet
        // machine run with -Dsim.it.speed=10 -Dsim.it.frameMs=100 (5,000 frames/s).
        speed = Double.parseDouble(System.getProperty("sim.it.speed", "5"));
        frameMs = Integer.getInteger("sim.it.frameMs", 200);
        long seed = 77;
        List<PatientStream> streams = new ArrayList<>();
        for (int i = 0; i < patients; i++) {
            streams.add(SyntheticPatient.create(seed, i, 500, StandardLead.ALL,
                    Scenarios.preset(i % 2 == 0 ? "vt" : "mixed", seconds, i), NoiseLevel.LOW, 50, TruthBeats.NONE));
        }
        Properties props = ProducerSettings.resolve(KAFKA.bootstrapServers(), null, Map.of());
        // Warm-up (JIT, Avro, producer metadata) on scratch topics, so the measured run shows the
        // steady-state pacing of the scheduler rather than class loading.
        String scratch = KAFKA.createUniqueTopic("warmup", 1);
        SimStats warm = new SimStats();
        try (KafkaFramePublisher pub = new KafkaFramePublisher(props, scratch, scratch, warm)) {
            List<PatientStream> w = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                w.add(SyntheticPatient.create(1, i, 500, StandardLead.ALL, Scenarios.preset("mixed", 5, i),
                        NoiseLevel.LOW, 50, TruthBeats.NONE));
            }
            new SimulationRunner(w, pub, SimulationRunner.Config.defaults().withSpeed(1000).withDuration(5)
                    .withThreads(2), warm).run();
        }
        stats = new SimStats();
        startMicros = System.currentTimeMillis() * 1000;
        SimulationRunner.Config cfg = SimulationRunner.Config.defaults().withSpeed(speed).withDuration(seconds)
                .withStartMicros(startMicros).withThreads(2).withFrameMillis(frameMs);
        SimulationRunner runner;
        try (KafkaFramePublisher pub = new KafkaFramePublisher(props, frames, truth, stats)) {
            runner = new SimulationRunner(streams, pub, cfg, stats);
            runner.run();
        }
        wallStart = runner.wallStartMillis();
        frameRecords = readAll(frames, stats.framesSent.sum());
        truthRecords = readAll(truth, stats.truthSent.sum());
    }

    @Test
    void noFrameLostOrDuplicatedAndSequencesAndClocksContiguous() throws Exception {
        int patients = PATIENTS;
        double seconds = SECONDS;
        int perPatient = (int) Math.round(seconds * 1000 / frameMs);
        int expected = patients * perPatient;
        assertThat(stats.framesSent.sum()).isEqualTo(expected);
        assertThat(stats.framesAcked.sum()).isEqualTo(expected);
        assertThat(stats.failures()).isZero();

        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        Map<String, List<EcgFrame>> byDevice = new HashMap<>();
        Set<String> patientIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : frameRecords) {
            EcgFrame f = serde.deserialize(r.value());
            assertThat(EcgFrames.validate(f)).isEmpty();
            assertThat(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(f.getPatientId());
            byDevice.computeIfAbsent(f.getDeviceId(), k -> new ArrayList<>()).add(f);
            patientIds.add(f.getPatientId());
        }
        assertThat(patientIds).hasSize(patients);
        assertThat(byDevice).hasSize(patients);
        for (List<EcgFrame> fs : byDevice.values()) {
            // consumed in partition order: per device the sequence is exactly 0, 1, 2, ... (no loss, no duplicate)
            assertThat(fs).hasSize(perPatient);
            for (int k = 0; k < fs.size(); k++) {
                EcgFrame f = fs.get(k);
                assertThat(f.getSequence()).isEqualTo(k);
                assertThat(f.getSamplesPerLead()).isEqualTo(500 * frameMs / 1000);
                assertThat(f.getLeads()).hasSize(12);
                if (k > 0) {
                    assertThat(f.getFirstSampleTimeMicros() - fs.get(k - 1).getFirstSampleTimeMicros()).isEqualTo(frameMs * 1000L);
                }
            }
        }
        // ground truth: every published event arrives, within the run's event time, keyed by patient
        AvroSerde<GroundTruthEvent> tserde = AvroSerde.of(GroundTruthEvent.class);
        long truthCount = stats.truthSent.sum();
        assertThat(truthCount).isGreaterThanOrEqualTo(patients / 2); // every "vt" patient has a VT and a PVC
        List<GroundTruthEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : truthRecords) {
            events.add(tserde.deserialize(r.value()));
        }
        assertThat(events).hasSize((int) truthCount);
        assertThat(events).allSatisfy(e -> {
            assertThat(patientIds).contains(e.getPatientId());
            assertThat(e.getOnsetMicros()).isBetween(startMicros, startMicros + (long) (seconds * 1e6) + 100_000);
            assertThat(e.getEndMicros()).isGreaterThanOrEqualTo(e.getOnsetMicros());
            assertThat(e.getSource()).isEqualTo("synthetic");
        });
        assertThat(events.stream().filter(e -> e.getEventType().equals("VT")).count()).isGreaterThanOrEqualTo(patients / 2);
    }

    @Test
    void framesLeaveOnScheduleWithinTheStatedTolerance() throws Exception {
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        List<Long> lagMs = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : frameRecords) {
            EcgFrame f = serde.deserialize(r.value());
            // the frame is due when its last sample is acquired, on the wall clock scaled by speed
            long endMicros = EcgFrames.endTimeMicros(f);
            double dueMs = wallStart + (endMicros - startMicros) / 1000.0 / speed;
            lagMs.add(Math.round(r.timestamp() - dueMs));
        }
        long[] lags = lagMs.stream().mapToLong(Long::longValue).sorted().toArray();
        long p99 = lags[(int) Math.ceil(0.99 * lags.length) - 1];
        System.out.printf("pacing vs Kafka timestamp: min %d ms, p50 %d ms, p99 %d ms, max %d ms over %d frames"
                + " (speed %.0fx, frame period %.0f ms wall); runner: %s%n", lags[0], lags[lags.length / 2], p99,
                lags[lags.length - 1], lags.length, speed, frameMs / speed, stats.summary());
        double loadPerCore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                / Runtime.getRuntime().availableProcessors();
        // Pacing is a real-time property: on a host whose run queue is several times its core count
        // (other builds, other tests) the process does not get the CPU it needs, and the lag says
        // nothing about the scheduler. Then the check is reported as not verified, not as failed.
        assumeTrue(loadPerCore < 2.0, String.format("host overloaded (load %.1f per core): pacing not asserted;"
                + " measured p99 %d ms", loadPerCore, p99));
        assertThat(lags[0]).as("no frame leaves before its schedule").isGreaterThanOrEqualTo(-2);
        assertThat(p99).isLessThanOrEqualTo(P99_TOLERANCE_MS);
        assertThat(lags[lags.length - 1]).isLessThanOrEqualTo(MAX_TOLERANCE_MS);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Properties p = KAFKA.consumerProperties("it-" + topic);
        p.put("max.poll.records", "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            int idle = 0;
            while (System.currentTimeMillis() < deadline && (out.size() < expected || idle < 3)) {
                int before = out.size();
                c.poll(Duration.ofMillis(500)).forEach(out::add);
                idle = out.size() == before ? idle + 1 : 0; // after the expected count, wait for extras
            }
        }
        return out;
    }
}
