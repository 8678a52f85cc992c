package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.input.WindowStatsMemo;
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
 * One beat's model input as the job cuts it (and training): {@link BeatWindowExtractor} over 12
 * leads of preprocessed 100 Hz signal, the beat's normalised window plus the median template of its
 * 8 predecessors. In {@code ./ecg bench} profiles this is about a sixth of the job's CPU.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BeatInputBench {

    private float[][] channels;
    private long[] beats;
    private BeatWindowExtractor extractor;
    private BeatWindows out;
    private WindowStatsMemo memo;

    @Setup
    public void setUp() {
        float[][] raw = BenchFrames.signal(1, 0, 14);
        PreprocessingConfig cfg = PreprocessingConfig.defaults(BenchFrames.SAMPLE_RATE);
        float[][] processed = new MultiLeadPreprocessor(cfg, raw.length).process(raw);
        channels = new float[ModelSpec.N_LEADS][];
        for (int c = 0; c < ModelSpec.N_LEADS; c++) {
            channels[c] = processed[c % processed.length];
        }
        int n = 12;
        beats = new long[n + 2];
        for (int i = 0; i < beats.length; i++) {
            beats[i] = 200 + 80L * i; // 75 bpm at 100 Hz, all inside the 14 s buffer with their windows
        }
        extractor = new BeatWindowExtractor();
        out = new BeatWindows(1);
        memo = new WindowStatsMemo();
    }

    @Benchmark
    public float oneBeat() {
        extractor.extract(channels, 0, beats, 12, null, out, 0);
        return out.ecg[ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS - 1];
    }

    /**
     * The same beat with a {@link WindowStatsMemo} that holds all nine of its windows' statistics
     * (in a live stream a window is met first as its own beat, a miss, then as a template of up to
     * eight later beats; BeatWindowExtractorTest asserts more than five hits per miss on such a stream).
     */
    @Benchmark
    public float oneBeatWithMemo() {
        extractor.extract(channels, 0, beats, 12, null, out, 0, memo);
        return out.ecg[ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS - 1];
    }
}
