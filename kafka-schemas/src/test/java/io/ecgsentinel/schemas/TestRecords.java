package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.AlertExplanation;
import io.ecgsentinel.schemas.avro.AlertPriority;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.schemas.avro.AlertType;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/** Sample records of every type, as generated classes and as generic records of a given schema. */
final class TestRecords {

    static final long T0 = 1_700_000_000_000_000L;
    static final byte[] RAW = {(byte) 0xC3, 0x01, 9, 8, 7};

    private TestRecords() {}

    static Schema resource(String path) {
        try (InputStream in = TestRecords.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] gains(int leads, float gain) {
        float[] g = new float[leads];
        Arrays.fill(g, gain);
        return g;
    }

    /** 100 ms of 12-lead signal at 500 Hz, lead V2 off, two pacing marks. */
    static EcgFrame frame(long sequence) {
        float[][] mv = SyntheticEcg.slice(SyntheticEcg.twelveLead(7, 500, 1.0), 50 * (int) sequence % 450, 50);
        return EcgFrames.builder("patient-0001", "device-01", sequence, T0 + 100_000L * sequence, 500,
                        SyntheticEcg.LEADS_12, mv, gains(12, 200f))
                .setLeadOff(List.of(false, false, false, false, false, false, false, true, false, false,
                        false, false))
                .setPacingMarks(List.of(3, 27))
                .build();
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setId(Alerts.deterministicId("patient-0001", AlertType.VENTRICULAR_TACHYCARDIA, T0))
                .setPatientId("patient-0001")
                .setDeviceId("device-01")
                .setType(AlertType.VENTRICULAR_TACHYCARDIA)
                .setPriority(AlertPriority.HIGH)
                .setState(AlertState.RAISED)
                .setOnsetTimeMicros(T0)
                .setDetectionTimeMicros(T0 + 2_500_000L)
                .setHeartRateBpm(182.5f)
                .setScore(null)
                .setModelName("lstm-anomaly")
                .setModelVersion(null)
                .setExplanation(AlertExplanation.newBuilder()
                        .setLeads(List.of("II", "V5"))
                        .setSpanStartMicros(T0)
                        .setSpanEndMicros(T0 + 2_000_000L)
                        .setText("6 consecutive wide complexes at 182 bpm")
                        .build())
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic(Topics.FRAMES)
                .setPartition(3)
                .setOffset(123_456L)
                .setRaw(ByteBuffer.wrap(RAW))
                .setReasonCode(DeadLetterReason.SAMPLE_COUNT_MISMATCH)
                .setMessage("1198 sample bytes for 12 leads x 50 samples (expected 1200)")
                .setTimeMicros(T0 + 5)
                .build();
    }

    static GroundTruthEvent truth() {
        return GroundTruthEvent.newBuilder()
                .setPatientId("patient-0001")
                .setDeviceId(null)
                .setEventType("VT")
                .setOnsetMicros(T0)
                .setEndMicros(T0 + 4_000_000L)
                .setSource("synthetic")
                .setDetail("run of 9 beats")
                .build();
    }

    /** The same values as {@link #frame} in a generic record of {@code schema} (an EcgFrame version). */
    static GenericRecord genericFrame(Schema schema, long sequence) {
        EcgFrame f = frame(sequence);
        GenericRecordBuilder b = new GenericRecordBuilder(schema)
                .set("patientId", f.getPatientId())
                .set("deviceId", f.getDeviceId())
                .set("sequence", f.getSequence())
                .set("firstSampleTimeMicros", f.getFirstSampleTimeMicros())
                .set("sampleRateHz", f.getSampleRateHz())
                .set("samplesPerLead", f.getSamplesPerLead())
                .set("leads", f.getLeads())
                .set("gain", f.getGain())
                .set("baseline", f.getBaseline())
                .set("samples", f.getSamples())
                .set("leadOff", f.getLeadOff());
        if (schema.getField("pacingMarks") != null) {
            b.set("pacingMarks", f.getPacingMarks());
        }
        return b.build();
    }

    static GenericRecord genericAlert(Schema schema) {
        Schema explanation = schema.getField("explanation").schema();
        return new GenericRecordBuilder(schema)
                .set("id", Alerts.deterministicId("patient-0001", AlertType.VENTRICULAR_TACHYCARDIA, T0))
                .set("patientId", "patient-0001")
                .set("deviceId", "device-01")
                .set("type", symbol(schema, "type", "VENTRICULAR_TACHYCARDIA"))
                .set("priority", symbol(schema, "priority", "HIGH"))
                .set("state", symbol(schema, "state", "RAISED"))
                .set("onsetTimeMicros", T0)
                .set("detectionTimeMicros", T0 + 2_500_000L)
                .set("heartRateBpm", 182.5f)
                .set("score", null)
                .set("modelName", "lstm-anomaly")
                .set("modelVersion", null)
                .set("explanation", new GenericRecordBuilder(explanation)
                        .set("leads", List.of("II", "V5"))
                        .set("spanStartMicros", T0)
                        .set("spanEndMicros", T0 + 2_000_000L)
                        .set("text", "6 consecutive wide complexes at 182 bpm")
                        .build())
                .build();
    }

    static GenericRecord genericDeadLetter(Schema schema) {
        return new GenericRecordBuilder(schema)
                .set("sourceTopic", Topics.FRAMES)
                .set("partition", 3)
                .set("offset", 123_456L)
                .set("raw", ByteBuffer.wrap(RAW))
                .set("reasonCode", symbol(schema, "reasonCode", "SAMPLE_COUNT_MISMATCH"))
                .set("message", "1198 sample bytes for 12 leads x 50 samples (expected 1200)")
                .set("timeMicros", T0 + 5)
                .build();
    }

    static GenericRecord genericTruth(Schema schema) {
        return new GenericRecordBuilder(schema)
                .set("patientId", "patient-0001")
                .set("deviceId", null)
                .set("eventType", "VT")
                .set("onsetMicros", T0)
                .set("endMicros", T0 + 4_000_000L)
                .set("source", "synthetic")
                .set("detail", "run of 9 beats")
                .build();
    }

    private static GenericData.EnumSymbol symbol(Schema record, String field, String symbol) {
        return new GenericData.EnumSymbol(record.getField(field).schema(), symbol);
    }
}
