package io.ecgsentinel.flink.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.serve.DefaultModel;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model the job serves: its directory, name and version, and the preprocessing parameters from
 * its model card (the job rebuilds ecg-core's chain from them instead of repeating them). Resolved
 * before the job is built, so a missing model fails at once with a message naming the path.
 */
public record ModelInfo(String directory, String name, String version, Map<String, String> preprocessing)
        implements Serializable {

    public static final String CARD = "model-card.json";

    /**
     * The model of {@code cfg} ({@code model.dir}, else the default model of the repository).
     *
     * @throws IllegalStateException naming the path and the key to set when no usable model is there
     */
    @SuppressWarnings("unchecked")
    public static ModelInfo resolve(JobConfig cfg) {
        Path dir;
        try {
            dir = cfg.modelDir().isBlank() ? DefaultModel.path() : Paths.get(cfg.modelDir());
        } catch (RuntimeException e) {
            throw new IllegalStateException("model.enabled is true but no model was found: " + e.getMessage()
                    + " (set model.dir to a SavedModel directory, or model.enabled=false for rule alarms only)", e);
        }
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve("saved_model.pb"))) {
            throw new IllegalStateException("model.dir " + abs + " has no saved_model.pb: not a TensorFlow SavedModel"
                    + " (set model.dir to a directory such as models/ecg-lstm/1, or model.enabled=false)");
        }
        Map<String, String> pre = new LinkedHashMap<>();
        String name = abs.getParent() == null ? "model" : abs.getParent().getFileName().toString();
        String version = abs.getFileName().toString();
        Path card = abs.resolve(CARD);
        if (Files.isRegularFile(card)) {
            try {
                Map<String, Object> c = new ObjectMapper().readValue(card.toFile(), Map.class);
                name = String.valueOf(c.getOrDefault("name", name));
                version = String.valueOf(c.getOrDefault("version", version));
                Object input = c.get("input");
                String problem = BeatWindowExtractor.checkCard(input);
                if (problem != null) {
                    throw new IllegalStateException("model.dir " + abs + ": " + problem
                            + " (set model.dir to such a model, or model.enabled=false)");
                }
                if (input instanceof Map<?, ?> in && in.get("preprocessing") instanceof Map<?, ?> p) {
                    p.forEach((k, v) -> pre.put(String.valueOf(k), String.valueOf(v)));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the model card " + card + ": " + e.getMessage(), e);
            }
        }
        if (pre.isEmpty()) {
            throw new IllegalStateException("the model card " + card + " is missing or has no input.preprocessing map;"
                    + " the job only runs a model whose preprocessing it can rebuild (expected keys like "
                    + RecordPipeline.configMap().keySet() + ")");
        }
        return new ModelInfo(abs.toString(), name, version, Map.copyOf(pre));
    }
}
