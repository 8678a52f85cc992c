package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.input.RecordPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No train/serve skew in the model input: the job cuts each scored beat's input from a per-patient
 * preprocessing chain fed one window hop at a time, and that input must equal what training and
 * {@code ecg evaluate} cut from the same signal preprocessed as one whole record (the chain is
 * bit-identical for any chunking). A chain restarted at every window, as the job once did, fails
 * this: its filters start up again at each window's start. At 46 bpm the template beats reach back
 * the whole 8 s span, so a job that keeps too little preprocessed signal fails it too.
 */
class ModelInputParityTest {

    private static final int FS = 250;

    @Test
    void streamedModelInputsEqualThoseCutFromTheWholeRecord() throws Exception {
        // the model's own chain (resampling to the model's 100 Hz), as the job builds it from the card
        PreprocessingConfig base = RecordPipeline.defaultConfig().withInputFs(FS);
        SyntheticPatient p = new SyntheticPatient("parity", "bedside-1", 7,
                Scenario.parse("hr 46\nat 12s BIGEMINY for 14s"), FS, StandardLead.ALL, 1_700_000_000_000_000L, 25);
        List<float[]> chunks = new ArrayList<>();
        List<WindowAnalysis> analyses;
        try (OperatorChain c = new OperatorChain(base.toMap())) {
            while (p.position() < 60L * FS) {
                Frame f = OperatorChain.toFrame(p.nextFrame());
                for (int k = 0; k < 12; k++) {
                    chunks.add(f.samples()[k]);
                }
                c.push(f);
            }
            analyses = c.analyses;
        }
        // the whole record, lead by lead, as the frames carried it. The job's stream starts with its
        // first window, on the hop grid before the first frame: those samples are missing (NaN)
        int lead = (int) -index(p, analyses.get(0).windowStartMicros());
        assertThat(lead).isNotNegative();
        int total = lead + chunks.size() / 12 * chunks.get(0).length;
        float[][] record = new float[12][total];
        int[] pos = new int[12];
        for (int k = 0; k < 12; k++) {
            Arrays.fill(record[k], 0, lead, Float.NaN);
            pos[k] = lead;
        }
        for (int i = 0; i < chunks.size(); i++) {
            float[] x = chunks.get(i);
            System.arraycopy(x, 0, record[i % 12], pos[i % 12], x.length);
            pos[i % 12] += x.length;
        }
        MultiLeadPreprocessor whole = new MultiLeadPreprocessor(base, 12);
        float[][] processed = whole.process(record);
        float[][] channels = new float[ModelSpec.N_LEADS][];
        for (int k = 0; k < 12; k++) {
            channels[ModelSpec.leadIndex(StandardLead.ALL.get(k).label())] = processed[k];
        }

        TreeSet<Long> reported = new TreeSet<>();
        for (WindowAnalysis a : analyses) {
            for (long t : a.beatMicros()) {
                reported.add(index(p, t));
            }
        }
        long[] beats = reported.stream().mapToLong(b -> whole.outputIndexOf(b + lead)).toArray();
        List<Long> order = new ArrayList<>(reported);
        BeatWindowExtractor extractor = new BeatWindowExtractor();
        int rowSize = ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS;
        int compared = 0;
        for (WindowAnalysis a : analyses) {
            long[] scored = a.scoredBeatMicros();
            for (int j = 0; j < scored.length; j++) {
                int i = order.indexOf(index(p, scored[j]));
                assertThat(i).as("a scored beat is a reported beat").isNotNegative();
                if (i < ModelSpec.TEMPLATE_BEATS + 1 || i + 1 >= beats.length) {
                    continue; // template still filling, or the record's last beat (no next beat offline)
                }
                BeatWindows offline = new BeatWindows(1);
                extractor.append(channels, 0, beats, i, offline);
                float[] live = Arrays.copyOfRange(a.modelEcg(), j * rowSize, (j + 1) * rowSize);
                float[] ref = Arrays.copyOf(offline.ecg, rowSize);
                for (int x = 0; x < rowSize; x++) {
                    assertThat(live[x]).as("beat %d, value %d (step %d, channel %d)", i, x,
                            x / ModelSpec.ECG_CHANNELS, x % ModelSpec.ECG_CHANNELS)
                            .isCloseTo(ref[x], org.assertj.core.data.Offset.offset(1e-4f));
                }
                assertThat(Arrays.copyOfRange(a.modelRr(), j * ModelSpec.RR_FEATURES,
                        (j + 1) * ModelSpec.RR_FEATURES)).containsExactly(Arrays.copyOf(offline.rr, ModelSpec.RR_FEATURES));
                assertThat(Arrays.copyOfRange(a.modelMask(), j * ModelSpec.N_LEADS, (j + 1) * ModelSpec.N_LEADS))
                        .containsOnly(1f);
                compared++;
            }
        }
        assertThat(compared).as("beats compared over 60 s").isGreaterThan(30);
    }

    private static long index(SyntheticPatient p, long micros) {
        return (micros - p.startMicros()) * FS / 1_000_000L;
    }
}
