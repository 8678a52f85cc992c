package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.models.serve.DefaultModel;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Filters: ecg-core's {@link MultiLeadPreprocessor} with the default model's preprocessing (resample
 * 500 to 100 Hz, 0.5-40 Hz band-pass, 50 Hz notch), 12 leads. {@code window10s} is what the job's
 * analyzer runs for each window with beats to score (a fresh chain over the whole 10 s window);
 * {@code streamingHop1s} is the same chain kept across windows, fed only the new second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FiltersBench {

    private PreprocessingConfig cfg;
    private float[][] window;
    private float[][] hop;
    private MultiLeadPreprocessor streaming;

    @Setup
    public void setUp() throws IOException {
        cfg = PreprocessingConfig.fromMap(modelPreprocessing()).withInputFs(BenchFrames.SAMPLE_RATE);
        window = BenchFrames.signal(1, 0, 10);
        hop = new float[window.length][BenchFrames.SAMPLE_RATE];
        for (int k = 0; k < window.length; k++) {
            System.arraycopy(window[k], 0, hop[k], 0, BenchFrames.SAMPLE_RATE);
        }
        streaming = new MultiLeadPreprocessor(cfg, window.length);
    }

    @Benchmark
    public float[][] window10s() {
        return new MultiLeadPreprocessor(cfg, window.length).process(window);
    }

    /** Only building the 12-lead chain (filter design, resampler tables, state layout). */
    @Benchmark
    public MultiLeadPreprocessor construct() {
        return new MultiLeadPreprocessor(cfg, window.length);
    }

    @Benchmark
    public float[][] streamingHop1s() {
        return streaming.process(hop);
    }

    /** The default model card's preprocessing map (falls back to ecg-core's defaults without a model). */
    @SuppressWarnings("unchecked")
    static Map<String, String> modelPreprocessing() throws IOException {
        try {
            var card = DefaultModel.path().resolve("model-card.json");
            if (Files.isRegularFile(card)) {
                Map<String, Object> c = new com.fasterxml.jackson.databind.ObjectMapper().readValue(card.toFile(), Map.class);
                Object in = c.get("input");
                if (in instanceof Map<?, ?> m && m.get("preprocessing") instanceof Map<?, ?> p) {
                    Map<String, String> out = new HashMap<>();
                    p.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
                    return out;
                }
            }
        } catch (RuntimeException e) {
            // no model on this machine: ecg-core's defaults
        }
        return PreprocessingConfig.defaults(BenchFrames.SAMPLE_RATE).toMap();
    }
}
