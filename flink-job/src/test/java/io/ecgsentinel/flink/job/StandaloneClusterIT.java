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
import io.ecgsentinel.simulator.ProducerSettings;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job on a real standalone cluster, started by the script users run
 * ({@code deploy/standalone/cluster.sh}): a Kafka broker, a Flink JobManager and a TaskManager as
 * separate JVMs, the shaded cluster jar submitted over Flink's REST API.
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

    /**
     * A VT patient (VT at 30 s and at 90 s) and a normal one, sent at 4x real time while the job runs;
     * between the two episodes the TaskManager is killed ({@code kill -9}) and a new one started with
     * {@code cluster.sh start}. The job must come back from its latest checkpoint and the committed
     * alerts must hold both VT alarms, each RAISED and CLEARED exactly once, and nothing for the
     * normal patient.
     */
    @Test
    void vtAlarmsArriveExactlyOnceAcrossATaskManagerCrash() throws Exception {
        List<SyntheticPatient> ward = List.of(
                new SyntheticPatient("p-vt", "bedside-41", 41,
                        Scenario.parse("at 30s VT for 12s rate=170\nat 90s VT for 12s rate=180"), FS, StandardLead.ALL,
                        T0, FS / 5),
                new SyntheticPatient("p-normal", "bedside-42", 42, Scenario.parse(""), FS, StandardLead.ALL, T0,
                        FS / 5));
        // the simulator's own producer settings, as `ecg simulate --bootstrap-servers` uses them
        Properties producer = ProducerSettings.resolve(bootstrap, null, Map.of());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread send = new Thread(() -> {
            try {
                WardProducer.run(producer, "ecg.frames.v1", ward, new double[] {130, 130}, 4, () -> true);
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "ward");
        send.start();

        // the first VT (30-42 s of signal) is over about 11 s into the run at 4x: wait for its CLEARED
        waitForAlerts(a -> countOf(a, AlertState.CLEARED) >= 1, 60);
        long pid = Long.parseLong(Files.readString(runDir.resolve("taskmanager.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(ProcessHandle.of(pid).orElseThrow().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(script("start", 180)).as("a new TaskManager (logs in %s)", runDir).isZero();
        send.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(send.isAlive()).as("frames still being sent after 3 minutes").isFalse();
        assertThat(failed.get()).as("sending frames").isNull();

        List<Alert> alerts = waitForAlerts(a -> countOf(a, AlertState.CLEARED) >= 2, 180);
        assertThat(Files.readString(runDir.resolve("jobmanager.log"))).as("the job restarted from a checkpoint")
                .containsPattern("Restoring job [0-9a-f]+ from Checkpoint");
        List<Alert> vt = alerts.stream().filter(a -> a.getType() == AlertType.VENTRICULAR_TACHYCARDIA).toList();
        List<String> events = vt.stream().map(a -> a.getId() + " " + a.getState()).toList();
        assertThat(events).as("each VT alarm event once").doesNotHaveDuplicates();
        List<Alert> raised = vt.stream().filter(a -> a.getState() == AlertState.RAISED).toList();
        assertThat(raised).as("both VT episodes raised").hasSize(2).allMatch(a -> a.getPatientId().equals("p-vt"));
        for (Alert a : raised) {
            double onset = (a.getOnsetTimeMicros() - T0) / 1e6 < 60 ? 30 : 90;
            assertThat((a.getExplanation().getSpanEndMicros() - T0) / 1e6 - onset).as("VT alarm delay (s)")
                    .isBetween(0.0, 10.0);
        }
        assertThat(vt.stream().filter(a -> a.getState() == AlertState.CLEARED)).as("both cleared").hasSize(2);
        assertThat(alerts).as("the normal patient").noneMatch(a -> a.getPatientId().equals("p-normal"));
    }

    static long countOf(List<Alert> alerts, AlertState state) {
        return alerts.stream().filter(a -> a.getType() == AlertType.VENTRICULAR_TACHYCARDIA && a.getState() == state)
                .count();
    }

    /** The committed alerts once {@code done} holds for them, or after {@code seconds} whatever they are. */
    static List<Alert> waitForAlerts(java.util.function.Predicate<List<Alert>> done, int seconds) throws Exception {
        List<Alert> alerts = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            alerts = AlertReader.readAll(bootstrap, "ecg.alerts.v1");
            if (done.test(alerts)) {
                break;
            }
            Thread.sleep(1000);
        }
        return alerts;
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
            String cp = null;
            if (e.endsWith(".jar") && new File(e).isFile()) {
                try (JarFile j = new JarFile(e)) {
                    Manifest m = j.getManifest();
                    cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                }
            }
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
