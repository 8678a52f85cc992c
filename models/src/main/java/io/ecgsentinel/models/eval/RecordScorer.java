package io.ecgsentinel.models.eval;

import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.input.RecordPipeline;
import io.ecgsentinel.models.input.WindowStatsMemo;
import io.ecgsentinel.models.serve.EcgModel;

/** Scores every detected beat of a processed record with the served model (batched). */
public final class RecordScorer {

    private final BeatWindowExtractor extractor = new BeatWindowExtractor();
    private final BeatWindows windows = new BeatWindows(EcgModel.DEFAULT_MAX_BATCH);

    public EcgModel.Scores score(EcgModel.Scorer scorer, RecordPipeline.Processed p) {
        int n = p.beats().length;
        EcgModel.Scores all = new EcgModel.Scores(n);
        WindowStatsMemo memo = new WindowStatsMemo(); // one record: one stream
        for (int from = 0; from < n; from += windows.capacity) {
            int k = Math.min(windows.capacity, n - from);
            windows.size = 0;
            for (int j = 0; j < k; j++) {
                extractor.append(p.channels(), 0, p.beats(), from + j, windows, memo);
            }
            EcgModel.Scores s = scorer.score(windows);
            System.arraycopy(s.scores, 0, all.scores, from * 6, k * 6);
            System.arraycopy(s.superclass, 0, all.superclass, from * 5, k * 5);
            System.arraycopy(s.anomaly, 0, all.anomaly, from, k);
            System.arraycopy(s.rr, 0, all.rr, from * ModelSpec.RR_FEATURES, k * ModelSpec.RR_FEATURES);
            System.arraycopy(s.rrIrregularity, 0, all.rrIrregularity, from, k);
            System.arraycopy(s.preLongRatio, 0, all.preLongRatio, from, k);
            System.arraycopy(s.templateResidual, 0, all.templateResidual, from, k);
            System.arraycopy(s.attention, 0, all.attention, from * io.ecgsentinel.models.ModelSpec.STEPS, s.attention.length);
        }
        return all;
    }

    /** Beat class index 0..3 (N/S/V/F) by {@link ModelSpec#beatClass}. */
    public static int beatClass(EcgModel.Scores s, int i) {
        return s.beatClass(i);
    }
}
