package io.ecgsentinel.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * Checks the shaded cluster jar the way a Flink cluster will use it: our job and the connectors
 * inside, Flink's own runtime and the demo-only broker outside, DJL's engine discoverable through the
 * merged ServiceLoader file, and the main class in the manifest.
 */
class FlinkJobPackagingIT {

    @Test
    void theClusterJarHoldsTheJobNotFlink() throws IOException {
        Path jar = Path.of(System.getProperty("flink.job.shaded.jar", "target/flink-job-0.1.0-SNAPSHOT-cluster.jar"));
        assertThat(jar).exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(EcgAnomalyJob.class.getName());
            assertThat(j.getEntry("io/ecgsentinel/flink/job/EcgAnomalyJob.class")).isNotNull();
            assertThat(j.getEntry("io/ecgsentinel/core/qrs/QrsDetector.class")).isNotNull();
            assertThat(j.getEntry("io/ecgsentinel/models/serve/EcgModel.class")).isNotNull();
            assertThat(j.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class")).isNotNull();
            assertThat(j.getEntry("org/apache/kafka/clients/producer/KafkaProducer.class")).isNotNull();
            // provided by the cluster
            assertThat(j.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class")).isNull();
            assertThat(j.getEntry("org/apache/flink/runtime/taskmanager/Task.class")).isNull();
            assertThat(j.getEntry("org/apache/flink/api/common/functions/RuntimeContext.class")).isNull();
            assertThat(j.stream().anyMatch(e -> e.getName().startsWith("org/apache/flink/shaded/"))).isFalse();
            // demo-only and logging stay out
            assertThat(j.getEntry("kafka/server/KafkaRaftServer.class")).isNull();
            assertThat(j.stream().anyMatch(e -> e.getName().startsWith("scala/"))).isFalse();
            assertThat(j.stream().anyMatch(e -> e.getName().startsWith("org/apache/logging/log4j/"))).isFalse();
            assertThat(j.stream().anyMatch(e -> e.getName().startsWith("org/slf4j/"))).isFalse();
            assertThat(j.stream().anyMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|DSA|RSA)"))).isFalse();
            // the 486 MB TensorFlow natives go to flink/lib (TECH-NOTES), not into the job jar
            assertThat(j.stream().anyMatch(e -> e.getName().endsWith("libtensorflow_cc.so.2"))).isFalse();
            // DJL finds its engine through ServiceLoader: the merged entry must name the TF engine
            ZipEntry svc = j.getEntry("META-INF/services/ai.djl.engine.EngineProvider");
            assertThat(svc).isNotNull();
            try (InputStream in = j.getInputStream(svc)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("ai.djl.tensorflow.engine.TfEngineProvider");
            }
            ZipEntry cli = j.getEntry("META-INF/services/io.ecgsentinel.core.cli.EcgSubcommand");
            assertThat(cli).isNotNull();
        }
        assertThat(Files.size(jar)).isLessThan(200L * 1024 * 1024);
    }
}
