package io.ecgsentinel.models.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindows;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Loads the committed default SavedModel through DJL and checks its outputs on fixed inputs
 * against the values the training run recorded (src/test/resources/golden/<name>-<version>.json).
 */
class DefaultModelIT {

    @Test
    void committedDefaultModelReproducesTheOutputsRecordedAtTrainingTime() throws Exception {
        Path dir = DefaultModel.path();
        assertThat(dir.resolve("saved_model.pb")).exists();
        assertThat(dir.resolve("model-card.json")).exists();
        assertThat(dir.resolve("MODEL.md")).exists();
        String resource = "/golden/" + dir.getParent().getFileName() + "-" + dir.getFileName() + ".json";
        JsonNode g;
        try (InputStream in = DefaultModelIT.class.getResourceAsStream(resource)) {
            assertThat(in).as("golden fixture %s written by the training run", resource).isNotNull();
            g = new ObjectMapper().readTree(in);
        }
        int n = g.get("n").asInt();
        BeatWindows w = new BeatWindows(n);
        w.size = n;
        fill(g.get("ecg"), w.ecg);
        fill(g.get("lead_mask"), w.mask);
        fill(g.get("rr"), w.rr);
        try (EcgModel m = EcgModel.load(dir); EcgModel.Scorer s = m.newScorer()) {
            EcgModel.Scores got = s.score(w);
            assertClose(got.scores, g.get("scores"));
            assertClose(got.superclass, g.get("superclass_probs"));
            assertClose(got.anomaly, g.get("anomaly_score"));
            assertClose(got.attention, g.get("attention"));
            // the model actually discriminates: not every window gets the same scores
            double spread = 0;
            for (int i = 1; i < n; i++) spread = Math.max(spread, Math.abs(got.anomaly[i] - got.anomaly[0]));
            assertThat(spread).isGreaterThan(1e-3);
            assertThat(got.attention.length).isEqualTo(n * ModelSpec.STEPS);
        }
        assertThat(Files.size(dir.resolve("saved_model.pb"))).isLessThan(8L * 1024 * 1024);
    }

    private static void fill(JsonNode arr, float[] dst) {
        assertThat(arr.size()).isEqualTo(dst.length);
        for (int i = 0; i < dst.length; i++) dst[i] = (float) arr.get(i).asDouble();
    }

    private static void assertClose(float[] got, JsonNode expected) {
        assertThat(got.length).isEqualTo(expected.size());
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("index %d", i).isCloseTo((float) expected.get(i).asDouble(), within(2e-5f));
        }
    }
}
