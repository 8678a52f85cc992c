package io.ecgsentinel.models.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one default model: the system property {@code ecg.model.dir} if set, else the highest
 * numeric version under {@code models/ecg-lstm/} of the repository root (system property {@code
 * ecg.repo.root}, set by the launcher; else found by walking up from the working directory).
 */
public final class DefaultModel {

    public static final String NAME = "ecg-lstm";
    public static final String PROPERTY = "ecg.model.dir";

    private DefaultModel() {}

    public static Path path() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return Paths.get(p);
        }
        Path base = modelsRoot().resolve(NAME);
        return latestVersion(base).orElseThrow(() -> new EcgModelException(
                "no default model: " + base.toAbsolutePath() + " has no numeric version directory with a"
                        + " saved_model.pb (train one with 'ecg train' or set -D" + PROPERTY + ")"));
    }

    /** The folder that holds the model artifacts: {@code <repo>/models}. */
    public static Path modelsRoot() {
        String root = System.getProperty("ecg.repo.root");
        if (root != null && !root.isBlank()) {
            return Paths.get(root, "models");
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("models").resolve(NAME)) && Files.exists(d.resolve("pom.xml"))) {
                return d.resolve("models");
            }
            if (d.getFileName() != null && d.getFileName().toString().equals("models")
                    && Files.isDirectory(d.resolve(NAME))) {
                return d;
            }
        }
        return dir.resolve("models");
    }

    /** Highest numeric subdirectory of {@code base} that contains a saved_model.pb. */
    public static Optional<Path> latestVersion(Path base) {
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve("saved_model.pb")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
