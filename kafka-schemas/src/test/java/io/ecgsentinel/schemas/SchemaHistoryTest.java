package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped schema history is complete, loads, and agrees with the frozen test copies. */
class SchemaHistoryTest {

    /**
     * Parsing fingerprints of the frozen v1 schemas, written down when v1 shipped. If this fails, a frozen
     * file was edited: restore it, and put the change into a new version instead.
     */
    static final Map<String, Long> FROZEN_V1_FINGERPRINTS = Map.of(
            "EcgFrame", 0x8b149c8f5e2e60cbL,
            "Alert", 0x57a6f8b680bd0d0dL,
            "DeadLetter", 0x8a6d81c7d1122b17L,
            "GroundTruthEvent", 0x55fd893788690fc2L);

    @ParameterizedTest
    @ValueSource(strings = {"EcgFrame", "Alert", "DeadLetter", "GroundTruthEvent"})
    void frozenV1IsUnchanged(String name) {
        assertThat(fingerprint(SchemaCompatibilityTest.frozenV1(name)))
                .as("fingerprint of frozen/v1/%s.avsc, %016x", name,
                        fingerprint(SchemaCompatibilityTest.frozenV1(name)))
                .isEqualTo(FROZEN_V1_FINGERPRINTS.get(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EcgFrame", "Alert", "DeadLetter", "GroundTruthEvent"})
    void historyHoldsV1AsFrozen(String name) {
        Schema frozen = SchemaCompatibilityTest.frozenV1(name);
        assertThat(SchemaHistory.store().findByFingerprint(fingerprint(frozen)))
                .as("history entry for frozen v1 %s", name)
                .isNotNull()
                .extracting(Schema::getFullName)
                .isEqualTo(frozen.getFullName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EcgFrame", "Alert", "DeadLetter", "GroundTruthEvent"})
    void currentSchemaIsInHistory(String name) {
        // Fails when a schema changes without a new history version, which would leave every consumer
        // that has not upgraded unable to read the new producer's data.
        Schema current = SchemaCompatibilityTest.CURRENT.get(name);
        assertThat(SchemaHistory.store().findByFingerprint(fingerprint(current)))
                .as("%s.v<N>.avsc for the current %s in %s", name, name, SchemaHistory.RESOURCE_DIR)
                .isNotNull();
    }

    @Test
    void indexListsExactlyTheFilesInTheFolder() throws IOException, URISyntaxException {
        URL dir = SchemaHistory.class.getClassLoader().getResource(SchemaHistory.RESOURCE_DIR);
        assertThat(dir).isNotNull();
        assertThat(dir.getProtocol()).as("tests run against target/classes").isEqualTo("file");
        List<String> indexed = SchemaHistory.indexedFiles(SchemaHistory.class.getClassLoader());
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            assertThat(files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".avsc"))
                            .collect(Collectors.toList()))
                    .containsExactlyInAnyOrderElementsOf(indexed);
        }
        assertThat(SchemaHistory.schemas()).hasSize(indexed.size());
    }

    private static long fingerprint(Schema s) {
        return SchemaNormalization.parsingFingerprint64(s);
    }
}
