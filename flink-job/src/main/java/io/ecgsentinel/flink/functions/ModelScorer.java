package io.ecgsentinel.flink.functions;

import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.serve.EcgModel;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the LSTM beat model (models module, DJL on TensorFlow) on the beats of many patients at once:
 * window analyses are held until {@code batchSize} beats are waiting or {@code maxWaitMillis} have
 * passed since the first one, then scored in one batch, and released in arrival order (so each
 * patient's analyses stay in order). A custom operator rather than a function because the batch spans
 * keys and needs a processing-time timer. Pending analyses are flushed before every checkpoint barrier,
 * so nothing is in flight in a snapshot. A watermark that arrives while analyses are pending is held
 * back and goes out right after them when the batch is scored, so no analysis falls behind event time
 * and watermarks (every 200 ms or so from each upstream channel) do not cut batches short: TensorFlow
 * costs several times more CPU per beat in batches of a few beats than of a hundred (measured with
 * {@code EcgModelBenchmark}).
 *
 * <p>The model is loaded in {@code open}: a missing model fails the job at once with the models
 * module's message. One {@code Scorer} (one DJL predictor, not thread-safe) per subtask.
 */
public class ModelScorer extends AbstractStreamOperator<WindowAnalysis>
        implements OneInputStreamOperator<WindowAnalysis, WindowAnalysis>, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    private final String modelDir;
    private final int batchSize;
    private final long maxWaitMillis;

    private transient EcgModel model;
    private transient EcgModel.Scorer scorer;
    private transient List<StreamRecord<WindowAnalysis>> pending;
    private transient int pendingBeats;
    private transient ScheduledFuture<?> timer;
    /** The newest watermark received while analyses were pending; emitted after them. */
    private transient Watermark heldWatermark;
    private transient Histogram inferenceMs;
    private transient Histogram batchBeats;
    private transient Counter beatsScored;

    public ModelScorer(String modelDir, int batchSize, long maxWaitMillis) {
        this.modelDir = modelDir;
        this.batchSize = batchSize;
        this.maxWaitMillis = maxWaitMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = EcgModel.load(Paths.get(modelDir));
        scorer = model.newScorer();
        pending = new ArrayList<>();
        inferenceMs = getMetricGroup().histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(1000));
        batchBeats = getMetricGroup().histogram("batchBeats", new DescriptiveStatisticsHistogram(1000));
        beatsScored = getMetricGroup().counter("windowsScored");
        LOG.info("model scorer open: batch {} beats, max wait {} ms", batchSize, maxWaitMillis);
    }

    @Override
    public void processElement(StreamRecord<WindowAnalysis> element) throws Exception {
        WindowAnalysis a = element.getValue();
        int beats = a.scoredBeatMicros().length;
        if (beats == 0 && pending.isEmpty()) {
            output.collect(element);
            return;
        }
        pending.add(element.copy(a));
        pendingBeats += beats;
        if (pendingBeats >= batchSize) {
            flush();
        } else if (timer == null) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            timer = getProcessingTimeService().registerTimer(now + maxWaitMillis, this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timer = null;
        flush();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (pending.isEmpty()) {
            super.processWatermark(mark);
        } else {
            heldWatermark = mark; // watermarks only move forward: the newest one stands for all held
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (scorer != null) {
                scorer.close();
            }
            if (model != null) {
                model.close();
            }
        } finally {
            super.close();
        }
    }

    private void flush() throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (pending == null || pending.isEmpty()) {
            return;
        }
        scorePending();
        if (heldWatermark != null) {
            Watermark w = heldWatermark;
            heldWatermark = null;
            super.processWatermark(w);
        }
    }

    private void scorePending() {
        int total = pendingBeats;
        float[][] v = new float[pending.size()][];
        float[][] cls = new float[pending.size()][];
        float[][] af = new float[pending.size()][];
        float[][] an = new float[pending.size()][];
        if (total > 0) {
            BeatWindows batch = new BeatWindows(total);
            int row = 0;
            for (StreamRecord<WindowAnalysis> r : pending) {
                WindowAnalysis a = r.getValue();
                int n = a.scoredBeatMicros().length;
                System.arraycopy(a.modelEcg(), 0, batch.ecg, row * ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS, a.modelEcg().length);
                System.arraycopy(a.modelMask(), 0, batch.mask, row * ModelSpec.N_LEADS, a.modelMask().length);
                System.arraycopy(a.modelRr(), 0, batch.rr, row * ModelSpec.RR_FEATURES, a.modelRr().length);
                row += n;
            }
            batch.size = total;
            long t0 = System.nanoTime();
            EcgModel.Scores s = scorer.score(batch);
            inferenceMs.update((System.nanoTime() - t0) / 1_000_000);
            batchBeats.update(total);
            beatsScored.inc(total);
            row = 0;
            for (int k = 0; k < pending.size(); k++) {
                int n = pending.get(k).getValue().scoredBeatMicros().length;
                v[k] = new float[n];
                cls[k] = new float[n];
                af[k] = new float[n];
                an[k] = new float[n];
                for (int i = 0; i < n; i++, row++) {
                    v[k][i] = s.score(row, 2);
                    cls[k][i] = s.isVentricular(row) ? 1f : 0f; // the V step of the rule `ecg evaluate` scores
                    af[k][i] = s.score(row, 4);
                    an[k][i] = s.anomaly[row];
                }
            }
        }
        for (int k = 0; k < pending.size(); k++) {
            StreamRecord<WindowAnalysis> r = pending.get(k);
            WindowAnalysis a = r.getValue();
            WindowAnalysis scored = a.scoredBeatMicros().length == 0 ? a.withModelScores(a.beatVProb(),
                    a.beatModelV(), a.beatAfProb(), a.beatAnomaly()) : a.withModelScores(v[k], cls[k], af[k], an[k]);
            output.collect(r.copy(scored));
        }
        pending.clear();
        pendingBeats = 0;
    }
}
