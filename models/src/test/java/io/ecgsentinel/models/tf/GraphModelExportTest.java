package io.ecgsentinel.models.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.serve.EcgModel;
import io.ecgsentinel.models.serve.EcgModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a tiny model in-test, exports it, serves it with DJL and compares. */
class GraphModelExportTest {

    private static Batch separable(int n, long seed) {
        Random r = new Random(seed);
        Batch b = new Batch(n);
        b.size = n;
        int w = ModelSpec.WINDOW, l = ModelSpec.N_LEADS, ch = ModelSpec.ECG_CHANNELS;
        for (int i = 0; i < n; i++) {
            int c = i % 2 == 0 ? 0 : 2; // N or V
            for (int k = 0; k < w; k++) {
                // V: a wide, large deflection at the beat; N: a narrow one
                double half = c == 2 ? 12 : 3;
                double v = Math.abs(k - ModelSpec.PRE) < half ? (c == 2 ? 3 : 1.5) : 0;
                b.ecg[i * w * ch + k * ch + 1] = (float) (v + 0.1 * r.nextGaussian());
            }
            b.mask[i * l + 1] = 1;
            for (int k = 0; k < ModelSpec.RR_FEATURES; k++) b.rr[i * ModelSpec.RR_FEATURES + k] = 1f;
            b.beatY[i * 4 + c] = 1;
            b.beatW[i] = 1;
            b.afW[i] = 1;
        }
        return b;
    }

    @Test
    void sameSeedTrainsToTheSameWeights() {
        Batch b = separable(64, 5);
        List<Map<String, float[]>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (GraphModel g = new GraphModel(13, new GraphModel.LossConfig(new float[] {1, 1, 1, 1}, 1, 1, 1e-4f, 0.3f))) {
                for (int s = 0; s < 15; s++) g.step(b, 5e-3f);
                runs.add(g.weights());
            }
        }
        assertThat(runs.get(1).keySet()).isEqualTo(runs.get(0).keySet());
        for (String k : runs.get(0).keySet()) {
            float[] a = runs.get(0).get(k), c = runs.get(1).get(k);
            int first = java.util.Arrays.mismatch(a, c);
            assertThat(first).as("first differing element of " + k + " (%s vs %s)",
                    first < 0 ? "-" : Float.toString(a[first]), first < 0 ? "-" : Float.toString(c[first])).isEqualTo(-1);
        }
    }

    @Test
    void tinyModelLearnsExportsAndServesIdenticalPredictions(@TempDir Path tmp) throws Exception {
        Batch b = separable(32, 3);
        float first, last = 0;
        GraphModel.Prediction expected;
        Map<String, float[]> weights;
        try (GraphModel g = new GraphModel(11, new GraphModel.LossConfig(new float[] {1, 1, 1, 1}, 1, 1, 1e-4f))) {
            first = g.step(b, 5e-3f);
            for (int s = 0; s < 40; s++) last = g.step(b, 5e-3f);
            expected = g.predict(b);
            weights = g.weights();
        }
        assertThat(last).isLessThan(first * 0.5f);
        // the tiny model separates the two classes it was shown
        for (int i = 0; i < b.size; i++) {
            int c = i % 2 == 0 ? 0 : 2;
            assertThat(expected.scores[i * 6 + c]).isGreaterThan(0.5f);
        }
        Path dir = tmp.resolve("tiny/1");
        GraphModel.export(weights, dir);
        assertThat(dir.resolve("saved_model.pb")).exists();
        try (EcgModel m = EcgModel.load(dir, 7); EcgModel.Scorer s = m.newScorer()) {
            EcgModel.Scores got = s.score(b); // 32 windows in chunks of 7: exercises batching
            for (int i = 0; i < expected.scores.length; i++) assertThat(got.scores[i]).isCloseTo(expected.scores[i], within(1e-5f));
            for (int i = 0; i < expected.anomaly.length; i++) assertThat(got.anomaly[i]).isCloseTo(expected.anomaly[i], within(1e-5f));
            for (int i = 0; i < expected.attention.length; i++) {
                assertThat(got.attention[i]).isCloseTo(expected.attention[i], within(1e-5f));
            }
            for (int i = 0; i < b.size; i++) {
                float sum = 0;
                for (int c = 0; c < 4; c++) sum += got.scores[i * 6 + c];
                assertThat(sum).isCloseTo(1f, within(1e-4f));
            }
            // the decision rule's template residual comes from the scored rows themselves: NaN without
            // template channels, else RMS(template channels) / RMS(beat channels) over the QRS span
            assertThat(got.templateResidual[1]).isNaN();
            int w = ModelSpec.WINDOW, ch = ModelSpec.ECG_CHANNELS;
            for (int k = 0; k < w; k++) b.ecg[w * ch + k * ch + ModelSpec.N_LEADS + 1] = 0.5f * b.ecg[w * ch + k * ch + 1];
            EcgModel.Scores withTemplate = s.score(b);
            assertThat(withTemplate.templateResidual[1]).isCloseTo(0.5f, within(1e-5f));
            assertThat(withTemplate.templateResidual[0]).isNaN();
            for (int k = 0; k < w; k++) b.ecg[w * ch + k * ch + ModelSpec.N_LEADS + 1] = 0f; // b again as trained
        }
        // training is reproducible by seed
        try (GraphModel g = new GraphModel(11, new GraphModel.LossConfig(new float[] {1, 1, 1, 1}, 1, 1, 1e-4f))) {
            assertThat(g.step(b, 5e-3f)).isCloseTo(first, within(1e-5f));
        }
    }

    @Test
    void anEnsembleServesTheMeanOfItsMembersAndItsWeightsReadBack(@TempDir Path tmp) throws Exception {
        Batch b = separable(16, 5);
        List<Map<String, float[]>> members = new ArrayList<>();
        List<GraphModel.Prediction> predictions = new ArrayList<>();
        for (long seed : new long[] {21, 22}) {
            try (GraphModel g = new GraphModel(seed, new GraphModel.LossConfig(new float[] {1, 1, 1, 1}, 1, 1, 1e-4f))) {
                for (int s = 0; s < 10; s++) g.step(b, 5e-3f);
                predictions.add(g.predict(b));
                members.add(g.weights());
            }
        }
        GraphModel.Prediction p0 = predictions.get(0), p1 = predictions.get(1);
        // different seeds: different networks, or the mean would prove nothing
        assertThat(Math.abs(p0.scores[0] - p1.scores[0]) + Math.abs(p0.anomaly[1] - p1.anomaly[1])).isGreaterThan(1e-3f);
        Path dir = tmp.resolve("ens/1");
        GraphModel.export(members, dir);
        try (EcgModel m = EcgModel.load(dir, 5); EcgModel.Scorer s = m.newScorer()) {
            EcgModel.Scores got = s.score(b);
            for (int i = 0; i < p0.scores.length; i++) {
                assertThat(got.scores[i]).isCloseTo(0.5f * (p0.scores[i] + p1.scores[i]), within(1e-5f));
            }
            for (int i = 0; i < p0.anomaly.length; i++) {
                assertThat(got.anomaly[i]).isCloseTo(0.5f * (p0.anomaly[i] + p1.anomaly[i]), within(1e-5f));
            }
            for (int i = 0; i < p0.attention.length; i++) {
                assertThat(got.attention[i]).isCloseTo(0.5f * (p0.attention[i] + p1.attention[i]), within(1e-5f));
            }
        }
        List<Map<String, float[]>> back = GraphModel.readWeights(dir);
        assertThat(back).hasSize(2);
        for (int k = 0; k < 2; k++) {
            assertThat(back.get(k).keySet()).containsExactlyElementsOf(members.get(k).keySet());
            for (String name : members.get(k).keySet()) {
                assertThat(back.get(k).get(name)).as("member %d %s", k, name).containsExactly(members.get(k).get(name));
            }
        }
        // a single network reads back as one member
        Path single = tmp.resolve("single/1");
        GraphModel.export(members.get(1), single);
        List<Map<String, float[]>> one = GraphModel.readWeights(single);
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("lstm_wx")).containsExactly(members.get(1).get("lstm_wx"));
    }

    @Test
    void aModelTrainedWithAnotherBeatTemplateIsRefused(@TempDir Path tmp) throws Exception {
        Map<String, float[]> weights;
        try (GraphModel g = new GraphModel(3, new GraphModel.LossConfig(new float[] {1, 1, 1, 1}, 1, 1, 1e-4f))) {
            weights = g.weights();
        }
        Path dir = tmp.resolve("old/3");
        GraphModel.export(weights, dir);
        // a card as models up to version 3 wrote it: no input.template
        Files.writeString(dir.resolve("model-card.json"), "{\"input\": {\"sampling_rate_hz\": 100}}");
        assertThatThrownBy(() -> EcgModel.load(dir))
                .isInstanceOf(EcgModelException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("no input.template")
                .hasMessageContaining(BeatWindowExtractor.TEMPLATE);
        Files.writeString(dir.resolve("model-card.json"), "{\"input\": {\"template\": \"" + BeatWindowExtractor.TEMPLATE + "\"}}");
        try (EcgModel m = EcgModel.load(dir)) {
            assertThat(m.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        }
    }

    @Test
    void wrongModelDirectoryNamesThePathAndWhatIsMissing(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> EcgModel.load(missing))
                .isInstanceOf(EcgModelException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> EcgModel.load(tmp.resolve("empty")))
                .isInstanceOf(EcgModelException.class)
                .hasMessageContaining(tmp.resolve("empty").toString())
                .hasMessageContaining("saved_model.pb");
    }
}
