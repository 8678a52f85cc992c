package io.ecgsentinel.simulator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka producer settings of the simulator, built for many small keyed records: idempotent,
 * {@code acks=all}, batched (20 ms linger, 256 KiB batches), no compression (the machine is CPU
 * bound, and int16 ECG compresses poorly). Precedence, lowest first: these defaults, the {@code
 * --producer-config} file (any producer property, TLS and SASL included), the environment
 * ({@code ECG_BOOTSTRAP_SERVERS}), the command-line flags.
 */
public final class ProducerSettings {

    /** Environment variable for the bootstrap servers. */
    public static final String ENV_BOOTSTRAP = "ECG_BOOTSTRAP_SERVERS";
    /** Environment variable naming a producer properties file. */
    public static final String ENV_PRODUCER_CONFIG = "ECG_PRODUCER_CONFIG";

    /** The defaults, in the order they are logged. */
    public static final Map<String, String> DEFAULTS = defaults();

    private ProducerSettings() {}

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", "localhost:9092");
        d.put("client.id", "ecg-device-simulator");
        d.put("enable.idempotence", "true");
        d.put("acks", "all");
        d.put("max.in.flight.requests.per.connection", "5");
        d.put("linger.ms", "20");
        d.put("batch.size", Integer.toString(256 * 1024));
        d.put("buffer.memory", Long.toString(256L * 1024 * 1024));
        d.put("compression.type", "none");
        d.put("delivery.timeout.ms", "120000");
        d.put("request.timeout.ms", "30000");
        d.put("max.block.ms", "60000");
        return Map.copyOf(d);
    }

    /**
     * Resolves the producer properties.
     *
     * @param bootstrapFlag {@code --bootstrap-servers}, or null
     * @param configFile {@code --producer-config}, or null (then {@code ECG_PRODUCER_CONFIG} if set)
     * @param env the environment (System.getenv() in production)
     * @throws IllegalArgumentException naming the file when it cannot be read
     */
    public static Properties resolve(String bootstrapFlag, Path configFile, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(DEFAULTS);
        Path file = configFile;
        if (file == null && env.get(ENV_PRODUCER_CONFIG) != null && !env.get(ENV_PRODUCER_CONFIG).isBlank()) {
            file = Path.of(env.get(ENV_PRODUCER_CONFIG));
        }
        if (file != null) {
            Properties f = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                f.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("--producer-config " + file + ": cannot read ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
            f.forEach((k, v) -> p.put(k.toString().strip(), v.toString().strip()));
        }
        String envBootstrap = env.get(ENV_BOOTSTRAP);
        if (envBootstrap != null && !envBootstrap.isBlank()) {
            p.put("bootstrap.servers", envBootstrap.strip());
        }
        if (bootstrapFlag != null && !bootstrapFlag.isBlank()) {
            p.put("bootstrap.servers", bootstrapFlag.strip());
        }
        return p;
    }

    /** Warnings about settings that weaken the no-loss, no-duplicate guarantee. */
    public static java.util.List<String> warnings(Properties p) {
        java.util.List<String> w = new java.util.ArrayList<>();
        if (!"true".equalsIgnoreCase(p.getProperty("enable.idempotence", "true"))) {
            w.add("enable.idempotence is not true: retries may duplicate frames");
        }
        String acks = p.getProperty("acks", "all");
        if (!acks.equals("all") && !acks.equals("-1")) {
            w.add("acks=" + acks + ": acknowledged frames may still be lost");
        }
        return w;
    }

    /** The properties for logging, with secrets (passwords, JAAS configs, keys, tokens) masked. */
    public static String describe(Properties p) {
        Map<String, String> sorted = new TreeMap<>();
        p.forEach((k, v) -> {
            String key = k.toString();
            String lk = key.toLowerCase(Locale.ROOT);
            boolean secret = lk.contains("password") || lk.contains("jaas") || lk.contains("secret")
                    || lk.contains("token") || lk.endsWith(".key") || lk.contains("keystore.key")
                    || lk.contains("credentials");
            sorted.put(key, secret ? "****" : v.toString());
        });
        return sorted.toString();
    }
}
