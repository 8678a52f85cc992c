package io.ecgsentinel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

class DataDirsTest {

    @TempDir Path tmp;

    @Test
    void theConfiguredDirectoryOfThisBuildHoldsTheDataReadme() {
        assertThat(DataDirs.resolve().resolve("README.md")).isRegularFile();
        assertThat(DataDirs.resolve("mitdb").resolve("RECORDS")).isRegularFile();
    }

    @Test
    void propertyWinsOverEnvironmentWhichWinsOverTheDefault() throws IOException {
        Path fromProp = Files.createDirectories(tmp.resolve("p"));
        Path fromEnv = Files.createDirectories(tmp.resolve("e"));
        Path repo = repoWithLauncher();
        Path def = Files.createDirectories(tmp.resolve("shared/data"));

        assertThat(
                        resolve(
                                Map.of(DataDirs.PROPERTY, fromProp.toString()),
                                Map.of(DataDirs.ENV, fromEnv.toString()),
                                repo))
                .isEqualTo(fromProp);
        assertThat(resolve(Map.of(), Map.of(DataDirs.ENV, fromEnv.toString()), repo))
                .isEqualTo(fromEnv);
        assertThat(resolve(Map.of(DataDirs.PROPERTY, "  "), Map.of(), repo.resolve("module/src")))
                .isEqualTo(def);
    }

    @Test
    void aMissingDirectoryNamesTheSettingItCameFrom() {
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(
                        () -> resolve(Map.of(DataDirs.PROPERTY, missing.toString()), Map.of(), tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("system property ecg.data.dir");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of(DataDirs.ENV, missing.toString()), tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("environment variable ECG_DATA_DIR");
    }

    @Test
    void withoutSettingsOrRepositoryTheErrorNamesBothSettings() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of(), tmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ecg.data.dir")
                .hasMessageContaining("ECG_DATA_DIR");
    }

    @Test
    void theRootIsTheParentPomNotAModulePomThatNamesItAsParent() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path module = Files.createDirectories(root.resolve("ecg-core"));
        Files.writeString(
                root.resolve("pom.xml"),
                "<project><!-- <artifactId>x</artifactId>"
                    + " --><groupId>g</groupId><artifactId>ecg-sentinel</artifactId></project>");
        Files.writeString(
                module.resolve("pom.xml"),
                "<project><parent><artifactId>ecg-sentinel</artifactId></parent>"
                        + "<artifactId>ecg-core</artifactId></project>");
        assertThat(DataDirs.findRepositoryRoot(module.resolve("src"))).contains(root);
        assertThat(DataDirs.findRepositoryRoot(tmp)).isEmpty();
    }

    @Test
    void relativeSettingsAreResolvedAgainstTheWorkingDirectory() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("wd/data"));
        assertThat(resolve(Map.of(DataDirs.PROPERTY, "data"), Map.of(), tmp.resolve("wd")))
                .isEqualTo(data);
    }

    private Path repoWithLauncher() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("main"));
        Files.createDirectories(repo.resolve("module/src"));
        Files.writeString(repo.resolve("ecg"), "#!/bin/sh\n");
        return repo;
    }

    private static Path resolve(Map<String, String> props, Map<String, String> env, Path wd) {
        return DataDirs.resolve(props::get, env::get, wd);
    }
}
