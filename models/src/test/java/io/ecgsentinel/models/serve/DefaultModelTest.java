package io.ecgsentinel.models.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {

    @Test
    void latestNumericVersionWithASavedModelWins(@TempDir Path tmp) throws Exception {
        Path base = tmp.resolve("ecg-lstm");
        for (String v : new String[] {"1", "2", "10", "notes"}) {
            Files.createDirectories(base.resolve(v));
        }
        Files.writeString(base.resolve("1/saved_model.pb"), "x");
        Files.writeString(base.resolve("2/saved_model.pb"), "x");
        // 10 has no saved_model.pb: an interrupted export must not become the default
        assertThat(DefaultModel.latestVersion(base)).contains(base.resolve("2"));
        Files.writeString(base.resolve("10/saved_model.pb"), "x");
        assertThat(DefaultModel.latestVersion(base)).contains(base.resolve("10"));
        assertThat(DefaultModel.latestVersion(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void systemPropertyOverridesAndMissingModelIsAClearError(@TempDir Path tmp) {
        String old = System.getProperty(DefaultModel.PROPERTY);
        String oldRoot = System.getProperty("ecg.repo.root");
        try {
            System.setProperty(DefaultModel.PROPERTY, tmp.toString());
            assertThat(DefaultModel.path()).isEqualTo(tmp);
            System.clearProperty(DefaultModel.PROPERTY);
            System.setProperty("ecg.repo.root", tmp.toString());
            assertThatThrownBy(DefaultModel::path).isInstanceOf(EcgModelException.class)
                    .hasMessageContaining(tmp.resolve("models").resolve("ecg-lstm").toString());
        } finally {
            restore(DefaultModel.PROPERTY, old);
            restore("ecg.repo.root", oldRoot);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }
}
