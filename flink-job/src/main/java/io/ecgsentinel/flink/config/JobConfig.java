package io.ecgsentinel.flink.config;

import io.ecgsentinel.schemas.Topics;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.ParameterTool;

/**
 * The job's whole configuration, immutable, parsed once from {@code --key value} arguments with
 * {@link ParameterTool}. Every default runs locally (broker on 127.0.0.1:9092, the committed model
 * found from the working directory); every check fails with a message that names the bad key.
 * Unknown keys are rejected too, so a typo does not silently fall back to a default.
 */
public record JobConfig(
        String bootstrapServers,
        String framesTopic,
        String alertsTopic,
        String deadLetterTopic,
        String groupId,
        String startingOffsets,
        double windowSeconds,
        double hopSeconds,
        double qualityIntervalSeconds,
        long outOfOrdernessMillis,
        long idlenessMillis,
        double quietSeconds,
        long checkpointIntervalMillis,
        String stateBackend,
        String checkpointDir,
        long transactionTimeoutMillis,
        String transactionalIdPrefix,
        boolean modelEnabled,
        String modelDir,
        int modelBatchSize,
        long modelMaxWaitMillis,
        int stormMaxRaises,
        double stormWindowSeconds)
        implements Serializable {

    /** Kafka's default transaction.max.timeout.ms on the broker (15 min): the sink may not exceed it. */
    public static final long BROKER_MAX_TRANSACTION_TIMEOUT_MS = 900_000L;

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", "127.0.0.1:9092");
        d.put("frames.topic", Topics.FRAMES);
        d.put("alerts.topic", Topics.ALERTS);
        d.put("deadletter.topic", Topics.DEAD_LETTERS);
        d.put("group.id", "ecg-sentinel-job");
        d.put("starting.offsets", "committed");
        d.put("window.seconds", "10");
        d.put("hop.seconds", "1");
        d.put("quality.interval.seconds", "2");
        d.put("out-of-orderness.ms", "2000");
        d.put("idleness.ms", "5000");
        d.put("quiet.seconds", "60");
        d.put("checkpoint.interval.ms", "5000");
        d.put("state.backend", "hashmap");
        d.put("checkpoint.dir", "");
        d.put("transaction.timeout.ms", "600000");
        d.put("transactional.id.prefix", "ecg-sentinel-alerts");
        d.put("model.enabled", "true");
        d.put("model.dir", "");
        d.put("model.batch.size", "128");
        d.put("model.max-wait.ms", "200");
        d.put("storm.max-raises", "6");
        d.put("storm.window.seconds", "600");
        return d;
    }

    public JobConfig {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap.servers", "must not be empty");
        require(!framesTopic.isBlank(), "frames.topic", "must not be empty");
        require(!alertsTopic.isBlank(), "alerts.topic", "must not be empty");
        require(!deadLetterTopic.isBlank(), "deadletter.topic", "must not be empty");
        require(Set.of("earliest", "latest", "committed").contains(startingOffsets), "starting.offsets",
                "must be earliest, latest or committed, was '" + startingOffsets + "'");
        require(windowSeconds >= 4 && windowSeconds <= 60, "window.seconds",
                "must be within [4, 60] (asystole needs 4 s of signal), was " + windowSeconds);
        require(hopSeconds > 0 && hopSeconds <= windowSeconds / 2, "hop.seconds",
                "must be > 0 and at most half of window.seconds, was " + hopSeconds);
        require(qualityIntervalSeconds > 0 && qualityIntervalSeconds <= 4, "quality.interval.seconds",
                "must be within (0, 4] (a lead that fails must be judged within the 4 s of an asystole),"
                        + " was " + qualityIntervalSeconds);
        require(outOfOrdernessMillis >= 0 && outOfOrdernessMillis <= 60_000, "out-of-orderness.ms",
                "must be within [0, 60000], was " + outOfOrdernessMillis);
        require(idlenessMillis >= 100, "idleness.ms", "must be at least 100, was " + idlenessMillis);
        require(quietSeconds >= windowSeconds, "quiet.seconds",
                "must be at least window.seconds (" + windowSeconds + "), was " + quietSeconds);
        require(checkpointIntervalMillis >= 100, "checkpoint.interval.ms",
                "must be at least 100, was " + checkpointIntervalMillis);
        require(Set.of("hashmap", "rocksdb").contains(stateBackend), "state.backend",
                "must be hashmap or rocksdb, was '" + stateBackend + "'");
        require(transactionTimeoutMillis > checkpointIntervalMillis
                        && transactionTimeoutMillis <= BROKER_MAX_TRANSACTION_TIMEOUT_MS,
                "transaction.timeout.ms", "must exceed checkpoint.interval.ms and be at most the broker's"
                        + " transaction.max.timeout.ms (" + BROKER_MAX_TRANSACTION_TIMEOUT_MS + "), was "
                        + transactionTimeoutMillis);
        require(!transactionalIdPrefix.isBlank(), "transactional.id.prefix", "must not be empty");
        require(modelBatchSize >= 1 && modelBatchSize <= 4096, "model.batch.size",
                "must be within [1, 4096], was " + modelBatchSize);
        require(modelMaxWaitMillis >= 0 && modelMaxWaitMillis <= 10_000, "model.max-wait.ms",
                "must be within [0, 10000], was " + modelMaxWaitMillis);
        require(stormMaxRaises >= 1, "storm.max-raises", "must be at least 1, was " + stormMaxRaises);
        require(stormWindowSeconds > 0, "storm.window.seconds", "must be > 0, was " + stormWindowSeconds);
    }

    /** The defaults: everything runs against a local broker. */
    public static JobConfig defaultConfig() {
        return fromParameters(ParameterTool.fromMap(Map.of()));
    }

    /** Parses {@code --key value} program arguments. */
    public static JobConfig fromArgs(String[] args) {
        return fromParameters(ParameterTool.fromArgs(args));
    }

    /** Parses a map of settings (unknown keys are errors). */
    public static JobConfig fromMap(Map<String, String> settings) {
        return fromParameters(ParameterTool.fromMap(settings));
    }

    public static JobConfig fromParameters(ParameterTool p) {
        for (String key : p.toMap().keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "' (known keys: "
                        + String.join(", ", DEFAULTS.keySet()) + ")");
            }
        }
        Reader r = new Reader(p);
        return new JobConfig(
                r.str("bootstrap.servers"),
                r.str("frames.topic"),
                r.str("alerts.topic"),
                r.str("deadletter.topic"),
                r.str("group.id"),
                r.str("starting.offsets").toLowerCase(Locale.ROOT),
                r.dbl("window.seconds"),
                r.dbl("hop.seconds"),
                r.dbl("quality.interval.seconds"),
                r.lng("out-of-orderness.ms"),
                r.lng("idleness.ms"),
                r.dbl("quiet.seconds"),
                r.lng("checkpoint.interval.ms"),
                r.str("state.backend").toLowerCase(Locale.ROOT),
                r.str("checkpoint.dir"),
                r.lng("transaction.timeout.ms"),
                r.str("transactional.id.prefix"),
                r.bool("model.enabled"),
                r.str("model.dir"),
                (int) r.lng("model.batch.size"),
                r.lng("model.max-wait.ms"),
                (int) r.lng("storm.max-raises"),
                r.dbl("storm.window.seconds"));
    }

    /** All settings as strings, for the web UI (global job parameters) and the startup log. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        m.put("frames.topic", framesTopic);
        m.put("alerts.topic", alertsTopic);
        m.put("deadletter.topic", deadLetterTopic);
        m.put("group.id", groupId);
        m.put("starting.offsets", startingOffsets);
        m.put("window.seconds", Double.toString(windowSeconds));
        m.put("hop.seconds", Double.toString(hopSeconds));
        m.put("quality.interval.seconds", Double.toString(qualityIntervalSeconds));
        m.put("out-of-orderness.ms", Long.toString(outOfOrdernessMillis));
        m.put("idleness.ms", Long.toString(idlenessMillis));
        m.put("quiet.seconds", Double.toString(quietSeconds));
        m.put("checkpoint.interval.ms", Long.toString(checkpointIntervalMillis));
        m.put("state.backend", stateBackend);
        m.put("checkpoint.dir", checkpointDir);
        m.put("transaction.timeout.ms", Long.toString(transactionTimeoutMillis));
        m.put("transactional.id.prefix", transactionalIdPrefix);
        m.put("model.enabled", Boolean.toString(modelEnabled));
        m.put("model.dir", modelDir);
        m.put("model.batch.size", Integer.toString(modelBatchSize));
        m.put("model.max-wait.ms", Long.toString(modelMaxWaitMillis));
        m.put("storm.max-raises", Integer.toString(stormMaxRaises));
        m.put("storm.window.seconds", Double.toString(stormWindowSeconds));
        return m;
    }

    /** A copy with some settings replaced (keys as on the command line). */
    public JobConfig with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(toMap());
        m.putAll(overrides);
        return fromMap(m);
    }

    public JobConfig with(String key, String value) {
        return with(Map.of(key, value));
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("configuration key '" + key + "' " + message);
        }
    }

    private static final class Reader {
        private final ParameterTool p;

        Reader(ParameterTool p) {
            this.p = p;
        }

        String str(String key) {
            String v = p.get(key, DEFAULTS.get(key));
            return v == null ? "" : v.strip();
        }

        double dbl(String key) {
            String v = str(key);
            try {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration key '" + key + "' must be a number, was '" + v + "'");
            }
        }

        long lng(String key) {
            String v = str(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration key '" + key + "' must be an integer, was '" + v + "'");
            }
        }

        boolean bool(String key) {
            String v = str(key).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("configuration key '" + key + "' must be true or false, was '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
