package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real bytes across schema versions: data written by Avro's reference encoder with a frozen v1 schema is
 * read by the current serde and vice versa, and data from a version the store does not hold is refused
 * with {@link UnknownSchemaException} until that version is registered.
 */
class EvolutionTest {

    record Case<T extends SpecificRecord>(
            String name, Class<T> type, Supplier<T> specific, Function<Schema, GenericRecord> generic) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case<>("EcgFrame", EcgFrame.class, () -> TestRecords.frame(5),
                        s -> TestRecords.genericFrame(s, 5)),
                new Case<>("Alert", Alert.class, TestRecords::alert, TestRecords::genericAlert),
                new Case<>("DeadLetter", DeadLetter.class, TestRecords::deadLetter,
                        TestRecords::genericDeadLetter),
                new Case<>("GroundTruthEvent", GroundTruthEvent.class, TestRecords::truth,
                        TestRecords::genericTruth))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    <T extends SpecificRecord> void currentSerdeReadsV1Bytes(Case<T> c) throws Exception {
        Schema v1 = SchemaCompatibilityTest.frozenV1(c.name());
        byte[] v1Bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1)
                .encode(c.generic().apply(v1))
                .array();

        T decoded = AvroSerde.of(c.type()).deserialize(v1Bytes);

        assertThat(decoded).isEqualTo(c.specific().get());
    }

    @ParameterizedTest
    @MethodSource("cases")
    <T extends SpecificRecord> void v1ReaderReadsCurrentSerdeBytes(Case<T> c) throws Exception {
        Schema v1 = SchemaCompatibilityTest.frozenV1(c.name());
        AvroSerde<T> serde = AvroSerde.of(c.type());
        SchemaStore.Cache writers = new SchemaStore.Cache();
        writers.addSchema(serde.schema());
        BinaryMessageDecoder<GenericRecord> v1Reader =
                new BinaryMessageDecoder<>(GenericData.get(), v1, writers);

        GenericRecord decoded = v1Reader.decode(serde.serialize(c.specific().get()));

        assertThat(decoded).isEqualTo(c.generic().apply(v1));
    }

    @Test
    void newerWriterNeedsItsSchemaInTheStore() throws Exception {
        Schema v2 = TestRecords.resource("evolution/EcgFrame.v2-added-field.avsc");
        GenericRecord record = TestRecords.genericFrame(v2, 9);
        record.put("signalQuality", 0.93f);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(record).array();
        assertDifferentSchema(v2);

        assertRefusedWithoutAndReadWith(v2, bytes, TestRecords.frame(9));
    }

    @Test
    void olderWriterNeedsItsSchemaInTheStore() throws Exception {
        Schema v0 = TestRecords.resource("evolution/EcgFrame.v0-without-pacing-marks.avsc");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0)
                .encode(TestRecords.genericFrame(v0, 9))
                .array();
        assertDifferentSchema(v0);
        EcgFrame expected = EcgFrame.newBuilder(TestRecords.frame(9)).setPacingMarks(List.of()).build();

        assertRefusedWithoutAndReadWith(v0, bytes, expected);
    }

    private static void assertRefusedWithoutAndReadWith(Schema writer, byte[] bytes, EcgFrame expected)
            throws DecodeException {
        long fingerprint = SchemaNormalization.parsingFingerprint64(writer);

        AvroSerde<EcgFrame> historyOnly = AvroSerde.of(EcgFrame.class);
        assertThatThrownBy(() -> historyOnly.deserialize(bytes))
                .isInstanceOfSatisfying(UnknownSchemaException.class, e -> {
                    assertThat(e.fingerprint()).isEqualTo(fingerprint);
                    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
                });

        SchemaStore.Cache store = new SchemaStore.Cache();
        SchemaHistory.schemas().forEach(store::addSchema);
        store.addSchema(writer);
        EcgFrame decoded = new AvroSerde<>(EcgFrame.class, store).deserialize(bytes);

        assertThat(decoded).isEqualTo(expected);
    }

    private static void assertDifferentSchema(Schema writer) {
        // Guard: the refusal above must come from a really different fingerprint.
        assertThat(SchemaNormalization.parsingFingerprint64(writer))
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(EcgFrame.getClassSchema()));
    }
}
