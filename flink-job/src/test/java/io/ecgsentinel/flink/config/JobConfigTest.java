package io.ecgsentinel.flink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @Test
    void defaultsRunLocally() {
        JobConfig c = JobConfig.defaultConfig();
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.framesTopic()).isEqualTo(Topics.FRAMES);
        assertThat(c.alertsTopic()).isEqualTo(Topics.ALERTS);
        assertThat(c.deadLetterTopic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(c.transactionTimeoutMillis()).isLessThanOrEqualTo(JobConfig.BROKER_MAX_TRANSACTION_TIMEOUT_MS);
        assertThat(JobConfig.fromMap(c.toMap())).isEqualTo(c);
    }

    @Test
    void parsesProgramArguments() {
        JobConfig c = JobConfig.fromArgs(new String[] {"--window.seconds", "8", "--hop.seconds", "0.5",
                "--state.backend", "rocksdb"});
        assertThat(c.windowSeconds()).isEqualTo(8.0);
        assertThat(c.hopSeconds()).isEqualTo(0.5);
        assertThat(c.stateBackend()).isEqualTo("rocksdb");
    }

    @Test
    void errorsNameTheBadKey() {
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("window.seconds", "ten")))
                .hasMessageContaining("'window.seconds'").hasMessageContaining("ten");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("transaction.timeout.ms", "3600000")))
                .hasMessageContaining("'transaction.timeout.ms'");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("hop.seconds", "9")))
                .hasMessageContaining("'hop.seconds'");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("quality.interval.seconds", "5")))
                .hasMessageContaining("'quality.interval.seconds'").hasMessageContaining("5");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("state.backend", "memory")))
                .hasMessageContaining("'state.backend'");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("windw.seconds", "10")))
                .hasMessageContaining("'windw.seconds'");
        assertThatThrownBy(() -> JobConfig.fromMap(Map.of("model.enabled", "yes")))
                .hasMessageContaining("'model.enabled'");
    }

    @Test
    void aMissingModelFailsAtOnceNamingThePath(@TempDir Path dir) {
        JobConfig c = JobConfig.fromMap(Map.of("model.dir", dir.resolve("nope").toString()));
        assertThatThrownBy(() -> ModelInfo.resolve(c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("nope").toString()).hasMessageContaining("saved_model.pb");
    }
}
