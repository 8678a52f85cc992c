package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.models.serve.DefaultModel;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LSTM operator with the committed default model: batching across patients, bounded wait, order kept. */
class ModelScorerIT {

    @Test
    void scoresBeatsOfSeveralPatientsInBatchesWithABoundedWait() throws Exception {
        assumeTrue(DefaultModel.latestVersion(DefaultModel.modelsRoot().resolve(DefaultModel.NAME)).isPresent(),
                "no committed model yet");
        ModelInfo model = ModelInfo.resolve(JobConfig.defaultConfig());
        List<WindowAnalysis> in = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            SyntheticPatient p = new SyntheticPatient("p" + k, "bedside-" + k, 50 + k,
                    k == 0 ? Scenario.parse("at 10s VT for 10s rate=170") : Scenario.NORMAL, 250, StandardLead.ALL,
                    1_700_000_000_000_000L, 50);
            try (OperatorChain c = new OperatorChain(model.preprocessing())) {
                c.run(p, 25);
                in.addAll(c.analyses);
            }
        }
        in.sort(java.util.Comparator.comparingLong(WindowAnalysis::windowEndMicros));
        long beats = in.stream().mapToLong(a -> a.scoredBeatMicros().length).sum();
        assertThat(beats).isGreaterThan(40);
        try (OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> h =
                new OneInputStreamOperatorTestHarness<>(new ModelScorer(model.directory(), 32, 50))) {
            h.setProcessingTime(0);
            h.open();
            for (WindowAnalysis a : in) {
                h.processElement(a, a.windowEndMicros() / 1000);
            }
            int beforeTimer = h.extractOutputValues().size();
            assertThat(beforeTimer).as("full batches go out at once").isPositive().isLessThan(in.size());
            h.setProcessingTime(100); // the bounded wait expires: the rest is flushed
            List<WindowAnalysis> out = h.extractOutputValues();
            assertThat(out).hasSize(in.size());
            for (int i = 0; i < in.size(); i++) {
                WindowAnalysis a = out.get(i);
                assertThat(a.windowEndMicros()).isEqualTo(in.get(i).windowEndMicros());
                assertThat(a.patientId()).isEqualTo(in.get(i).patientId());
                assertThat(a.beatVProb()).hasSize(a.scoredBeatMicros().length);
                for (float v : a.beatVProb()) {
                    assertThat(v).isBetween(0f, 1f);
                }
                assertThat(a.modelEcg()).isEmpty();
            }
            double meanV = out.stream().filter(a -> a.patientId().equals("p1"))
                    .flatMapToDouble(a -> { double[] d = new double[a.beatVProb().length];
                        for (int i = 0; i < d.length; i++) { d[i] = a.beatVProb()[i]; } return java.util.Arrays.stream(d); })
                    .average().orElse(Double.NaN);
            System.out.printf("mean P(V) of a normal patient's beats: %.3f%n", meanV);
            assertThat(meanV).as("normal beats are not ventricular").isLessThan(0.5);
        }
    }

    @Test
    void aMissingModelFailsTheOperatorAtOpen(@TempDir Path dir) {
        ModelScorer scorer = new ModelScorer(dir.resolve("absent").toString(), 8, 10);
        assertThatThrownBy(() -> {
            try (OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> h =
                    new OneInputStreamOperatorTestHarness<>(scorer)) {
                h.open();
            }
        }).hasMessageContaining(dir.resolve("absent").toString());
    }
}
