package io.ecgsentinel.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the directory with the ECG records (the PhysioNet development data), so that tests,
 * training and the CLI read the same files without anyone hard-coding a path.
 *
 * <p>Order: the system property {@value #PROPERTY} (Maven's surefire sets it), then the environment
 * variable {@value #ENV}, then {@code ../shared/data} next to the repository root. The root is the
 * first directory at or above the working directory that holds the {@code ecg} launcher or the
 * parent {@code pom.xml} (artifactId {@code ecg-sentinel}), so the default works from the root as
 * well as from inside a module. A directory that does not exist is an error whose message names the
 * setting it came from.
 */
public final class DataDirs {

    /** System property naming the data directory. */
    public static final String PROPERTY = "ecg.data.dir";

    /** Environment variable naming the data directory. */
    public static final String ENV = "ECG_DATA_DIR";

    /** Default location relative to the repository root. */
    public static final String DEFAULT_RELATIVE = "../shared/data";

    private static final String ROOT_ARTIFACT = "ecg-sentinel";
    private static final Pattern PARENT_BLOCK =
            Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);
    private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern ARTIFACT_ID =
            Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>");

    private DataDirs() {}

    /**
     * The data directory, absolute and normalized.
     *
     * @throws IllegalStateException when the configured or default directory does not exist
     */
    public static Path resolve() {
        return resolve(System::getProperty, System::getenv, Path.of("").toAbsolutePath());
    }

    /**
     * One dataset folder under the data directory, for example {@code resolve("mitdb")}.
     *
     * @throws IllegalStateException when the data directory or the folder does not exist
     */
    public static Path resolve(String dataset) {
        Path base = resolve();
        Path dir = base.resolve(dataset).normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "dataset folder "
                            + dir
                            + " does not exist in the ECG data"
                            + " directory "
                            + base
                            + " (see its README.md for the datasets)");
        }
        return dir;
    }

    /** The resolution logic with its inputs made explicit (for tests). */
    static Path resolve(
            Function<String, String> properties,
            Function<String, String> environment,
            Path workingDir) {
        String prop = properties.apply(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            // The parent pom derives the property from ${maven.multiModuleProjectDirectory}, which
            // is the module itself when Maven runs inside a module of a tree without .mvn/.
            return existing(
                    Path.of(prop.strip()),
                    "system property "
                            + PROPERTY
                            + " (if Maven set it while running inside a module directory, run from"
                            + " the repository root, add an empty .mvn/ directory there, or pass -D"
                            + PROPERTY
                            + "=<dir>)",
                    workingDir);
        }
        String env = environment.apply(ENV);
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env.strip()), "environment variable " + ENV, workingDir);
        }
        Optional<Path> root = findRepositoryRoot(workingDir);
        if (root.isEmpty()) {
            throw new IllegalStateException(
                    "cannot find the ECG data directory: neither the system property "
                            + PROPERTY
                            + " nor the environment variable "
                            + ENV
                            + " is set, and no ECG Sentinel repository root (a directory with the"
                            + " 'ecg' launcher or the ecg-sentinel pom.xml) is at or above "
                            + workingDir);
        }
        return existing(
                root.get().resolve(DEFAULT_RELATIVE),
                "the default "
                        + DEFAULT_RELATIVE
                        + " next to the repository root "
                        + root.get()
                        + " (set "
                        + PROPERTY
                        + " or "
                        + ENV
                        + " to use another directory)",
                workingDir);
    }

    private static Path existing(Path dir, String source, Path workingDir) {
        Path abs = (dir.isAbsolute() ? dir : workingDir.resolve(dir)).normalize();
        if (!Files.isDirectory(abs)) {
            throw new IllegalStateException(
                    "ECG data directory "
                            + abs
                            + " does not exist or is not a"
                            + " directory; it comes from "
                            + source
                            + ". Download the data with scripts/download-data.sh or fix the"
                            + " setting.");
        }
        return abs;
    }

    /**
     * The repository root: the nearest directory at or above {@code start} that holds the {@code
     * ecg} launcher or a {@code pom.xml} whose own artifactId (not its parent's) is {@code
     * ecg-sentinel}.
     */
    public static Optional<Path> findRepositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ecg")) || isRootPom(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static boolean isRootPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        String xml;
        try {
            xml = Files.readString(pom, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom, e);
        }
        // a module pom names ecg-sentinel inside <parent>, which must not count
        xml = PARENT_BLOCK.matcher(XML_COMMENT.matcher(xml).replaceAll("")).replaceAll("");
        Matcher m = ARTIFACT_ID.matcher(xml);
        return m.find() && ROOT_ARTIFACT.equals(m.group(1));
    }
}
