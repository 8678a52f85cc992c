package io.ecgsentinel.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.AlertReader;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.demo.WardProducer;
import io.ecgsentinel.kafka.junit.KafkaBrokerExtension;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.schemas.avro.AlertType;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a Flink MiniCluster (2 slots) against a real in-JVM Kafka broker: simulated
 * patients in, alerts and dead letters out through the exactly-once Kafka sinks.
 */
class EcgPipelineIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.create();

    static final long T0 = 1_760_000_000_000_000L;
    static final int FS = 250;

    record Topics(String frames, String alerts, String dlq) {}

    static Topics topics(String name) {
        return new Topics(KAFKA.createUniqueTopic(name + "-frames", 2), KAFKA.createUniqueTopic(name + "-alerts", 2),
                KAFKA.createUniqueTopic(name + "-dlq", 1));
    }

    static SyntheticPatient patient(String id, long seed, String scenario) {
        return new SyntheticPatient(id, "bedside-" + seed, seed, Scenario.parse(scenario), FS, StandardLead.ALL, T0,
                FS / 5);
    }

    static JobConfig cfg(Topics t, String prefix) {
        return PipelineItSupport.config(KAFKA.bootstrapServers(), t.frames(), t.alerts(), t.dlq(), prefix);
    }

    static double raiseDelaySeconds(Alert a, double onsetSeconds) {
        return (a.getExplanation().getSpanEndMicros() - T0) / 1e6 - onsetSeconds;
    }

    @Test
    void injectedEventsRaiseTheRightAlertsAndNormalPatientsNone() throws Exception {
        Topics t = topics("events");
        List<SyntheticPatient> ward = List.of(
                patient("p-vt", 21, "at 30s VT for 15s rate=170"),
                patient("p-asys", 22, "at 30s ASYSTOLE for 10s pwaves=on"),
                patient("p-brady", 23, "at 30s BRADY for 30s rate=33"),
                patient("p-normal-1", 24, ""),
                patient("p-normal-2", 25, ""));
        // event patients for 70 s, the two normal ones for ten simulated minutes
        long sent = WardProducer.run(KAFKA.producerProperties(), t.frames(), ward, new double[] {70, 70, 70, 600, 600},
                0, () -> true);
        JobExecutionResult r = PipelineItSupport.run(cfg(t, "events"), null, Function.identity(), 0);
        assertThat(r.<Long>getAccumulatorResult("frames-in")).isEqualTo(sent);
        assertThat(r.<Long>getAccumulatorResult("frames-accepted")).as("every frame analysed").isEqualTo(sent);

        List<Alert> alerts = AlertReader.readAll(KAFKA.bootstrapServers(), t.alerts());
        Map<String, List<Alert>> raised = alerts.stream().filter(a -> a.getState() == AlertState.RAISED)
                .collect(Collectors.groupingBy(Alert::getPatientId));
        for (Alert a : alerts) {
            System.out.printf("%s %s %s %.1f %s%n", a.getPatientId(), a.getState(), a.getType(),
                    (a.getExplanation().getSpanEndMicros() - T0) / 1e6, a.getExplanation().getText());
        }
        assertHigh(raised.get("p-vt"), AlertType.VENTRICULAR_TACHYCARDIA, 30);
        assertHigh(raised.get("p-asys"), AlertType.ASYSTOLE, 30);
        assertHigh(raised.get("p-brady"), AlertType.EXTREME_BRADYCARDIA, 30);
        assertThat(raised.get("p-normal-1")).as("normal patient 1").isNull();
        assertThat(raised.get("p-normal-2")).as("normal patient 2").isNull();
        // deterministic ids, and every RAISED has its CLEARED once the event is over
        for (Alert a : alerts) {
            assertThat(a.getId()).isEqualTo(io.ecgsentinel.schemas.Alerts.deterministicId(a.getPatientId(), a.getType(),
                    a.getOnsetTimeMicros()));
            assertThat(a.getExplanation().getText()).doesNotContain(a.getPatientId());
        }
    }

    static void assertHigh(List<Alert> raised, AlertType type, double onsetSeconds) {
        assertThat(raised).as(type + " raised").isNotNull();
        List<Alert> ofType = raised.stream().filter(a -> a.getType() == type).toList();
        assertThat(ofType).as(type.name()).hasSize(1);
        assertThat(raiseDelaySeconds(ofType.get(0), onsetSeconds)).as(type + " delay after onset (s)")
                .isBetween(0.0, 10.0);
        assertThat(raised).extracting(Alert::getType)
                .allMatch(x -> x == type || x == AlertType.VENTRICULAR_RUN, "only the injected alarm (or its run)");
    }

    @Test
    void badFramesAreDeadLetteredWithReasonsAndCountsReconcile() throws Exception {
        // one partition: the event time of a single patient drives the watermark without waiting for idleness
        Topics t = new Topics(KAFKA.createUniqueTopic("dlq-frames", 1), KAFKA.createUniqueTopic("dlq-alerts", 1),
                KAFKA.createUniqueTopic("dlq-dlq", 1));
        SyntheticPatient p = patient("p-dlq", 31, "");
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        List<EcgFrame> good = new ArrayList<>();
        for (int i = 0; i < 1500; i++) { // 300 s: long enough for watermarks to pass the early frames
            good.add(p.nextFrame());
        }
        Map<String, Integer> expected = new HashMap<>();
        List<byte[]> values = new ArrayList<>();
        for (EcgFrame f : good) {
            values.add(serde.serialize(f));
        }
        EcgFrame tmpl = good.get(10);
        values.add(new byte[] {1, 2, 3});
        expected.merge("UNDECODABLE", 1, Integer::sum);
        values.add(AvroSerde.of(DeadLetter.class).serialize(DeadLetter.newBuilder().setSourceTopic("x").setPartition(0)
                .setOffset(0).setRaw(ByteBuffer.allocate(0))
                .setReasonCode(io.ecgsentinel.schemas.avro.DeadLetterReason.UNKNOWN).setMessage("m").setTimeMicros(0).build()));
        expected.merge("UNKNOWN_SCHEMA", 1, Integer::sum);
        values.add(serde.serialize(EcgFrame.newBuilder(tmpl).setSequence(1000).setSampleRateHz(10).build()));
        expected.merge("BAD_SAMPLE_RATE", 1, Integer::sum);
        values.add(serde.serialize(EcgFrame.newBuilder(tmpl).setSequence(1001).setGain(List.of(200f)).build()));
        expected.merge("LEAD_COUNT_MISMATCH", 1, Integer::sum);
        values.add(serde.serialize(EcgFrame.newBuilder(tmpl).setSequence(1002).setSamplesPerLead(7).build()));
        expected.merge("SAMPLE_COUNT_MISMATCH", 1, Integer::sum);
        List<Float> tiny = new ArrayList<>(tmpl.getGain());
        tiny.set(0, 0.001f); // a gain that turns ordinary ADC values into volts
        values.add(serde.serialize(EcgFrame.newBuilder(tmpl).setSequence(1003).setGain(tiny).build()));
        expected.merge("INVALID_VALUES", 1, Integer::sum);
        values.add(serde.serialize(good.get(1499))); // the last frame again
        expected.merge("DUPLICATE_SEQUENCE", 1, Integer::sum);
        // a new device sending samples from the start of the stream, long after they were analysed
        values.add(serde.serialize(EcgFrame.newBuilder(good.get(2)).setDeviceId("bedside-late").build()));
        expected.merge("TOO_LATE", 1, Integer::sum);
        // a sequence number far behind with an old timestamp: regressing
        values.add(serde.serialize(EcgFrame.newBuilder(good.get(3)).build()));
        expected.merge("REGRESSING_SEQUENCE", 1, Integer::sum);
        try (KafkaProducer<byte[], byte[]> prod = new KafkaProducer<>(KAFKA.producerProperties())) {
            for (byte[] v : values) { // one partition (same key) keeps the order
                prod.send(new ProducerRecord<>(t.frames(), "p-dlq".getBytes(StandardCharsets.UTF_8), v)).get();
            }
        }
        JobExecutionResult r = PipelineItSupport.run(cfg(t, "dlq"), null, Function.identity(), 0);
        List<DeadLetter> dl = new ArrayList<>();
        for (byte[] v : AlertReader.readValues(KAFKA.bootstrapServers(), t.dlq())) {
            dl.add(AvroSerde.of(DeadLetter.class).deserialize(v));
        }
        Map<String, Integer> got = new HashMap<>();
        for (DeadLetter d : dl) {
            got.merge(d.getReasonCode().name(), 1, Integer::sum);
            assertThat(d.getSourceTopic()).isEqualTo(t.frames());
            assertThat(d.getMessage()).doesNotContain("p-dlq");
        }
        assertThat(got).isEqualTo(expected);
        long in = r.<Long>getAccumulatorResult("frames-in");
        long accepted = r.<Long>getAccumulatorResult("frames-accepted");
        long dead = r.<Long>getAccumulatorResult("dead-letters");
        assertThat(in).isEqualTo(values.size());
        assertThat(dead).isEqualTo(dl.size());
        assertThat(accepted + dl.size()).as("frames in = processed + dead-lettered").isEqualTo(in);
        // the undecodable record keeps its raw bytes and coordinates
        DeadLetter und = dl.stream().filter(d -> d.getReasonCode().name().equals("UNDECODABLE")).findFirst().orElseThrow();
        assertThat(und.getRaw()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(und.getOffset()).isEqualTo(1500L);
        assertThat(EcgFrames.validate(good.get(0))).isEmpty();
    }

    @Test
    void aJobRestartedFromACheckpointWritesNoDuplicateAlerts() throws Exception {
        Topics t = topics("restart");
        List<SyntheticPatient> ward = List.of(
                patient("r-vt", 41, "at 20s VT for 10s rate=170"),
                patient("r-asys", 42, "at 25s ASYSTOLE for 8s"),
                patient("r-brady", 43, "at 20s BRADY for 30s rate=33"),
                patient("r-vt2", 44, "at 40s VT for 10s rate=180"));
        WardProducer.run(KAFKA.producerProperties(), t.frames(), ward, 90, 0, () -> true);
        FailOnceAfterCheckpoint.reset();
        JobExecutionResult r = PipelineItSupport.run(cfg(t, "restart"), null,
                s -> s.map(new FailOnceAfterCheckpoint()).name("fail once"), 3);
        assertThat(FailOnceAfterCheckpoint.failed()).as("the job really failed and restarted").isTrue();
        assertThat(r.<Long>getAccumulatorResult("dead-letters")).as("no frame dropped").isZero();
        List<Alert> alerts = AlertReader.readAll(KAFKA.bootstrapServers(), t.alerts());
        Set<String> seen = new HashSet<>();
        for (Alert a : alerts) {
            assertThat(seen.add(a.getId() + "/" + a.getState())).as("duplicate " + a.getType() + " " + a.getState())
                    .isTrue();
        }
        Set<String> raisedPatients = alerts.stream().filter(a -> a.getState() == AlertState.RAISED)
                .map(Alert::getPatientId).collect(Collectors.toSet());
        assertThat(raisedPatients).containsExactlyInAnyOrder("r-vt", "r-asys", "r-brady", "r-vt2");
    }
}
