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

    /**
     * The job's model inputs have the model's full row shape, and a beat's scores do not depend on
     * which other beats share its batch (a wrong row stride once fed the model half windows and
     * misaligned rows: measured only because the MIT-BIH replay disagreed with an offline run).
     */
    @Test
    void modelInputsAreWholeRowsAndScoresDoNotDependOnTheBatch() throws Exception {
        assumeTrue(DefaultModel.latestVersion(DefaultModel.modelsRoot().resolve(DefaultModel.NAME)).isPresent(),
                "no committed model yet");
        ModelInfo model = ModelInfo.resolve(JobConfig.defaultConfig());
        List<WindowAnalysis> in = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            SyntheticPatient p = new SyntheticPatient("q" + k, "bedside-" + k, 70 + k,
                    Scenario.parse("at 8s VT for 8s rate=160"), 250, StandardLead.ALL, 1_700_000_000_000_000L, 50);
            try (OperatorChain c = new OperatorChain(model.preprocessing())) {
                c.run(p, 22);
                in.addAll(c.analyses);
            }
        }
        in.sort(java.util.Comparator.comparingLong(WindowAnalysis::windowEndMicros));
        for (WindowAnalysis a : in) {
            int beats = a.scoredBeatMicros().length;
            assertThat(a.modelEcg()).hasSize(beats * io.ecgsentinel.models.ModelSpec.WINDOW
                    * io.ecgsentinel.models.ModelSpec.ECG_CHANNELS);
            assertThat(a.modelMask()).hasSize(beats * io.ecgsentinel.models.ModelSpec.N_LEADS);
            assertThat(a.modelRr()).hasSize(beats * io.ecgsentinel.models.ModelSpec.RR_FEATURES);
        }
        List<WindowAnalysis> alone = score(model, in, 1);
        List<WindowAnalysis> batched = score(model, in, 4096);
        assertThat(alone.stream().mapToInt(a -> a.scoredBeatMicros().length).sum()).isGreaterThan(20);
        boolean someV = false;
        for (int i = 0; i < in.size(); i++) {
            float[] x = alone.get(i).beatVProb();
            float[] y = batched.get(i).beatVProb();
            assertThat(y).hasSize(x.length);
            for (int j = 0; j < x.length; j++) {
                assertThat(y[j]).as("P(V) of beat %d of analysis %d", j, i).isCloseTo(x[j],
                        org.assertj.core.data.Offset.offset(1e-4f));
                someV |= alone.get(i).beatModelV()[j] > 0.5f;
            }
        }
        assertThat(someV).as("the VT beats are called ventricular").isTrue();
    }

    /**
     * A watermark that arrives while beats wait for their batch is held and goes out right after them
     * (so no scored analysis is behind the watermark downstream, and watermarks do not cut batches
     * short); with nothing pending it passes at once.
     */
    @Test
    void aWatermarkWaitsForThePendingBatchAndFollowsIt() throws Exception {
        assumeTrue(DefaultModel.latestVersion(DefaultModel.modelsRoot().resolve(DefaultModel.NAME)).isPresent(),
                "no committed model yet");
        ModelInfo model = ModelInfo.resolve(JobConfig.defaultConfig());
        SyntheticPatient p = new SyntheticPatient("w0", "bedside-w", 60, Scenario.NORMAL, 250, StandardLead.ALL,
                1_700_000_000_000_000L, 50);
        List<WindowAnalysis> in;
        try (OperatorChain c = new OperatorChain(model.preprocessing())) {
            c.run(p, 16);
            in = c.analyses.stream().filter(a -> a.scoredBeatMicros().length > 0).toList();
        }
        assertThat(in).hasSizeGreaterThan(3);
        try (OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> h =
                new OneInputStreamOperatorTestHarness<>(new ModelScorer(model.directory(), 4096, 200))) {
            h.setProcessingTime(0);
            h.open();
            h.processWatermark(1_000L);
            assertThat(h.getOutput()).as("nothing pending: the watermark passes").hasSize(1);
            assertThat(h.getOutput().poll()).isEqualTo(new org.apache.flink.streaming.api.watermark.Watermark(1_000L));
            h.processElement(in.get(0), in.get(0).windowEndMicros() / 1000);
            h.processElement(in.get(1), in.get(1).windowEndMicros() / 1000);
            long w1 = in.get(1).windowEndMicros() / 1000;
            h.processWatermark(w1);
            h.processElement(in.get(2), in.get(2).windowEndMicros() / 1000);
            h.processWatermark(w1 + 1);
            assertThat(h.getOutput()).as("held with the pending beats").isEmpty();
            h.setProcessingTime(199);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(200); // the bounded wait expires: the batch, then the newest watermark
            List<Object> out = new java.util.ArrayList<>(h.getOutput());
            assertThat(out).hasSize(4);
            for (int i = 0; i < 3; i++) {
                assertThat(out.get(i)).isInstanceOf(org.apache.flink.streaming.runtime.streamrecord.StreamRecord.class);
                @SuppressWarnings("unchecked")
                WindowAnalysis a = ((org.apache.flink.streaming.runtime.streamrecord.StreamRecord<WindowAnalysis>)
                        out.get(i)).getValue();
                assertThat(a.windowEndMicros()).isEqualTo(in.get(i).windowEndMicros());
                assertThat(a.beatVProb()).hasSize(a.scoredBeatMicros().length);
            }
            assertThat(out.get(3)).isEqualTo(new org.apache.flink.streaming.api.watermark.Watermark(w1 + 1));
        }
    }

    private static List<WindowAnalysis> score(ModelInfo model, List<WindowAnalysis> in, int batch) throws Exception {
        try (OneInputStreamOperatorTestHarness<WindowAnalysis, WindowAnalysis> h =
                new OneInputStreamOperatorTestHarness<>(new ModelScorer(model.directory(), batch, 10_000))) {
            h.setProcessingTime(0);
            h.open();
            for (WindowAnalysis a : in) {
                h.processElement(a, a.windowEndMicros() / 1000);
            }
            h.setProcessingTime(10_000); // the bounded wait expires: whatever is pending is scored
            List<WindowAnalysis> out = h.extractOutputValues();
            assertThat(out).hasSize(in.size());
            return out;
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
