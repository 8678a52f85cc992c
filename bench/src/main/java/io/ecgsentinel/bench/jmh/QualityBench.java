package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.core.quality.QualitySummary;
import io.ecgsentinel.core.quality.SignalQuality;
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
 * Signal quality: ecg-core's {@link SignalQuality} over the 12 leads of a 10 s window at 500 Hz,
 * the verdict the job's analyzer takes every {@code quality.interval.seconds} per patient (its
 * largest DSP cost in {@code ./ecg bench} profiles).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QualityBench {

    private float[][] window;
    private SignalQuality quality;

    @Setup
    public void setUp() {
        window = BenchFrames.signal(1, 0, 10);
        quality = new SignalQuality(BenchFrames.SAMPLE_RATE);
    }

    @Benchmark
    public QualitySummary window10s12Leads() {
        return quality.assessAll(window, null);
    }
}
