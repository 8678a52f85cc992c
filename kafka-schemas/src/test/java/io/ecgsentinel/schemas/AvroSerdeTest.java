package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<EcgFrame> frames = AvroSerde.of(EcgFrame.class);

    @Test
    void roundTripsEveryType() throws Exception {
        assertThat(frames.deserialize(frames.serialize(TestRecords.frame(1)))).isEqualTo(TestRecords.frame(1));
        AvroSerde<Alert> alerts = AvroSerde.of(Alert.class);
        assertThat(alerts.deserialize(alerts.serialize(TestRecords.alert()))).isEqualTo(TestRecords.alert());
        AvroSerde<DeadLetter> dlq = AvroSerde.of(DeadLetter.class);
        assertThat(dlq.deserialize(dlq.serialize(TestRecords.deadLetter()))).isEqualTo(TestRecords.deadLetter());
        AvroSerde<GroundTruthEvent> truth = AvroSerde.of(GroundTruthEvent.class);
        assertThat(truth.deserialize(truth.serialize(TestRecords.truth()))).isEqualTo(TestRecords.truth());
    }

    @Test
    void writesExactlyAvrosSingleObjectEncodingAndReadsIt() throws Exception {
        EcgFrame frame = TestRecords.frame(2);
        byte[] ours = frames.serialize(frame);
        byte[] avros = EcgFrame.getEncoder().encode(frame).array();

        assertThat(ours).isEqualTo(avros);
        assertThat(Arrays.copyOf(ours, 2)).containsExactly(0xC3, 0x01);
        assertThat(AvroSerde.fingerprintOf(ours)).isEqualTo(AvroSerde.fingerprint(EcgFrame.getClassSchema()));
        assertThat(EcgFrame.getDecoder().decode(ours)).isEqualTo(frame);
        assertThat(frames.deserialize(avros)).isEqualTo(frame);
    }

    @Test
    void brokenEnvelopesAreUndecodable() {
        byte[] good = frames.serialize(TestRecords.frame(3));
        byte[] badMarker = good.clone();
        badMarker[1] = 0x02;

        for (byte[] bad : List.of(new byte[0], Arrays.copyOf(good, 9), badMarker, "{\"json\":1}".getBytes())) {
            assertUndecodable(bad);
        }
        assertUndecodable(null);
    }

    @Test
    void truncatedOrPaddedBodiesAreUndecodable() {
        byte[] good = frames.serialize(TestRecords.frame(3));
        assertUndecodable(Arrays.copyOf(good, good.length - 1));
        assertUndecodable(Arrays.copyOf(good, AvroSerde.HEADER_LENGTH + 5));
        assertUndecodable(Arrays.copyOf(good, good.length + 1));
    }

    @Test
    void unknownFingerprintIsUnknownSchemaNotUndecodable() {
        byte[] bytes = frames.serialize(TestRecords.frame(4));
        bytes[2] ^= 0x5A; // a fingerprint no store holds

        assertThatThrownBy(() -> frames.deserialize(bytes))
                .isInstanceOfSatisfying(UnknownSchemaException.class, e -> {
                    assertThat(e.fingerprint()).isEqualTo(AvroSerde.fingerprintOf(bytes));
                    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
                });
    }

    @Test
    void anotherTypesMessageIsUnknownSchema() {
        // The history store holds every type's schemas, so the fingerprint resolves, but not to a frame.
        byte[] alert = AvroSerde.of(Alert.class).serialize(TestRecords.alert());

        assertThatThrownBy(() -> frames.deserialize(alert))
                .isInstanceOf(UnknownSchemaException.class)
                .hasMessageContaining("io.ecgsentinel.schemas.avro.Alert");
        assertThatThrownBy(() -> frames.deserialize(alert)).isInstanceOf(UnknownSchemaException.class);
    }

    @Test
    void hugeLengthPrefixIsRefusedWithoutAllocating() throws IOException {
        // Surefire runs with -Xmx256m: trusting these prefixes would throw OutOfMemoryError, not pass.
        ByteArrayOutputStream string = header();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(string, null);
        e.writeLong(Integer.MAX_VALUE - 8); // patientId length
        e.flush();
        assertUndecodable(string.toByteArray());

        ByteArrayOutputStream array = header();
        e = EncoderFactory.get().directBinaryEncoder(array, null);
        e.writeString("p");
        e.writeString("d");
        e.writeLong(0); // sequence
        e.writeLong(0); // firstSampleTimeMicros
        e.writeInt(500);
        e.writeInt(50);
        e.writeArrayStart();
        e.setItemCount(Integer.MAX_VALUE - 8); // leads: 2^31 references
        e.flush();
        assertUndecodable(array.toByteArray());
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() {
        // Each mutant either decodes (a flipped sample byte is still a frame) or fails with DecodeException.
        byte[] good = frames.serialize(TestRecords.frame(6));
        Random random = new Random(11);
        int failures = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] bad = good.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                int pos = AvroSerde.HEADER_LENGTH + random.nextInt(good.length - AvroSerde.HEADER_LENGTH);
                bad[pos] = (byte) random.nextInt(256);
            }
            try {
                frames.deserialize(bad);
            } catch (UndecodableException expected) {
                failures++;
            } catch (DecodeException e) {
                throw new AssertionError("body corruption reported as " + e, e);
            }
        }
        assertThat(failures).as("mutants rejected").isPositive();
    }

    @Test
    void oneInstanceIsSafeAcrossThreads() throws Exception {
        List<EcgFrame> inputs = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            inputs.add(TestRecords.frame(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 2_000; i++) {
                        EcgFrame in = inputs.get((i + offset) % inputs.size());
                        if (frames.deserialize(frames.serialize(in)).equals(in)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ByteArrayOutputStream header() {
        byte[] valid = AvroSerde.of(EcgFrame.class).serialize(TestRecords.frame(0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, AvroSerde.HEADER_LENGTH);
        return out;
    }

    private void assertUndecodable(byte[] bytes) {
        assertThatThrownBy(() -> frames.deserialize(bytes))
                .isInstanceOfSatisfying(UndecodableException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNDECODABLE));
    }
}
