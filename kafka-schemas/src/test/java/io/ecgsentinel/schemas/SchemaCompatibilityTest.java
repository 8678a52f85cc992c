package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.DeadLetter;
import io.ecgsentinel.schemas.avro.EcgFrame;
import io.ecgsentinel.schemas.avro.GroundTruthEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Current schemas against the frozen v1 copies in src/test/resources/frozen/v1, which must never change:
 * a current reader must read v1 data (backward) and a v1 reader must read current data (forward).
 */
class SchemaCompatibilityTest {

    static final Map<String, Schema> CURRENT = Map.of(
            "EcgFrame", EcgFrame.getClassSchema(),
            "Alert", Alert.getClassSchema(),
            "DeadLetter", DeadLetter.getClassSchema(),
            "GroundTruthEvent", GroundTruthEvent.getClassSchema());

    static Schema frozenV1(String name) {
        return TestRecords.resource("frozen/v1/" + name + ".avsc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EcgFrame", "Alert", "DeadLetter", "GroundTruthEvent"})
    void currentReaderReadsV1Writer(String name) {
        assertCompatible(CURRENT.get(name), frozenV1(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EcgFrame", "Alert", "DeadLetter", "GroundTruthEvent"})
    void v1ReaderReadsCurrentWriter(String name) {
        assertCompatible(frozenV1(name), CURRENT.get(name));
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutDefault() {
        // Negative control: proves the assertion above can fail on the classic break.
        Schema broken = TestRecords.resource("evolution/EcgFrame.broken-field-without-default.avsc");
        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(broken, frozenV1("EcgFrame"));
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getResult().getIncompatibilities().toString()).contains("signalQuality");
    }

    @Test
    void everySchemaInSrcMainAvroIsCoveredHere() throws IOException {
        // Surefire runs in the module directory. A new .avsc needs a frozen copy and an entry in CURRENT.
        try (Stream<Path> files = Files.list(Path.of("src/main/avro"))) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".avsc", ""))
                            .collect(Collectors.toSet()))
                    .isEqualTo(CURRENT.keySet());
        }
    }

    private static void assertCompatible(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("reader %s vs writer: %s", reader.getFullName(),
                        result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
}
