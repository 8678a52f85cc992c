package io.ecgsentinel.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.demo.AlertReader;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.demo.WardProducer;
import io.ecgsentinel.schemas.avro.Alert;
import io.ecgsentinel.schemas.avro.AlertState;
import io.ecgsentinel.schemas.avro.AlertType;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job on a real standalone cluster, started by the script users run
 * ({@code deploy/standalone/cluster.sh}): a Kafka broker, a Flink JobManager and a TaskManager as
 * separate JVMs, the shaded cluster jar submitted over Flink's REST API. Frames of a simulated VT
 * patient and a normal one go in; the VT alarm must come out of the alerts topic, read committed.
 */
class StandaloneClusterIT {

    static final long T0 = 1_760_000_000_000_000L;
    static final int FS = 250;

    static Path root;
    static Path runDir;
    static Map<String, String> env;
    static String bootstrap;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Path.of(System.getProperty("ecg.repo.root", "..")).toAbsolutePath().normalize();
        runDir = Path.of("target", "standalone-it").toAbsolutePath();
        Files.createDirectories(runDir);
        int kafkaPort = freePort();
        bootstrap = "127.0.0.1:" + kafkaPort;
        env = Map.of(
                "ECG_CLASSPATH", String.join(File.pathSeparator, classPath()),
                "ECG_JOB_JAR", Path.of(System.getProperty("flink.job.shaded.jar")).toAbsolutePath().toString(),
                "ECG_KAFKA_PORT", Integer.toString(kafkaPort),
                "ECG_FLINK_REST_PORT", Integer.toString(freePort()),
                "ECG_FLINK_RPC_PORT", Integer.toString(freePort()),
                "ECG_STANDALONE_DIR", runDir.toString(),
                // the frames are sent once the job runs, maybe before its source has its partitions
                "ECG_STARTING_OFFSETS", "earliest");
        int rc = script("start", 240);
        assertThat(rc).as("cluster.sh start (logs in %s)", runDir).isZero();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (env != null) {
            script("stop", 120);
        }
    }

    @Test
    void aVtPatientRaisesItsAlarmThroughTheClusterJob() throws Exception {
        List<SyntheticPatient> ward = List.of(
                new SyntheticPatient("p-vt", "bedside-41", 41, Scenario.parse("at 30s VT for 15s rate=170"), FS,
                        StandardLead.ALL, T0, FS / 5),
                new SyntheticPatient("p-normal", "bedside-42", 42, Scenario.parse(""), FS, StandardLead.ALL, T0,
                        FS / 5));
        Properties producer = new Properties();
        producer.put("bootstrap.servers", bootstrap);
        producer.put("acks", "all");
        producer.put("enable.idempotence", "true");
        producer.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        producer.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        WardProducer.run(producer, "ecg.frames.v1", ward, new double[] {70, 70}, 0, () -> true);

        List<Alert> alerts = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            alerts = AlertReader.readAll(bootstrap, "ecg.alerts.v1");
            if (alerts.stream().anyMatch(a -> a.getState() == AlertState.CLEARED
                    && a.getType() == AlertType.VENTRICULAR_TACHYCARDIA)) {
                break;
            }
            Thread.sleep(2000);
        }
        List<Alert> raised = alerts.stream().filter(a -> a.getState() == AlertState.RAISED).toList();
        assertThat(raised).as("alerts raised by the cluster job (logs in %s)", runDir)
                .anyMatch(a -> a.getPatientId().equals("p-vt") && a.getType() == AlertType.VENTRICULAR_TACHYCARDIA);
        assertThat(raised).as("the normal patient").noneMatch(a -> a.getPatientId().equals("p-normal"));
        double delay = raised.stream().filter(a -> a.getType() == AlertType.VENTRICULAR_TACHYCARDIA)
                .mapToDouble(a -> (a.getExplanation().getSpanEndMicros() - T0) / 1e6 - 30).min().orElseThrow();
        assertThat(delay).as("VT alarm delay after onset (s)").isBetween(0.0, 10.0);
    }

    /** Runs {@code deploy/standalone/cluster.sh COMMAND} with this test's environment; its exit code. */
    static int script(String command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("deploy/standalone/cluster.sh").toString(), command)
                .redirectErrorStream(true).redirectOutput(runDir.resolve("cluster-" + command + ".out").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cluster.sh " + command + " did not finish in " + timeoutSeconds + " s");
        }
        System.out.println(Files.readString(runDir.resolve("cluster-" + command + ".out")));
        return p.exitValue();
    }

    /** This JVM's class path entries, with a manifest-only launcher jar (as Maven's test runners use) expanded. */
    static List<String> classPath() throws IOException {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Manifest m = e.endsWith(".jar") && new File(e).isFile() ? new JarFile(e).getManifest() : null;
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                out.add(e);
                continue;
            }
            for (String u : cp.trim().split("\\s+")) {
                out.add(Path.of(URI.create(u)).toString());
            }
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
