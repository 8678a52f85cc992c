package io.ecgsentinel.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.config.JobConfig;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

/** The Flink settings the job derives from its own config, for the cluster and the local runs alike. */
class EcgAnomalyJobConfigTest {

    @Test
    void chainedOperatorsShareRecordsAndTheStateSettingsFollowTheJobConfig() {
        Configuration c = EcgAnomalyJob.runtimeConfig(JobConfig.defaultConfig(), null);
        // the end-to-end tests (EcgPipelineIT) run with it, so the job's functions are checked for it
        assertThat(c.get(PipelineOptions.OBJECT_REUSE)).isTrue();
        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo(JobConfig.defaultConfig().stateBackend());
        assertThat(c.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();

        Configuration local = EcgAnomalyJob.runtimeConfig(JobConfig.fromMap(Map.of()), "file:///tmp/ckpt");
        assertThat(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/ckpt");
        assertThat(local.contains(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }

    @Test
    void rocksDbCheckpointsIncrementally() {
        Configuration c = EcgAnomalyJob.runtimeConfig(JobConfig.fromMap(Map.of("state.backend", "rocksdb")), null);
        assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }
}
