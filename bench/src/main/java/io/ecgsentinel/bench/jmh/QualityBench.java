package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.core.quality.BandPowerStream;
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
 * largest DSP cost in {@code ./ecg bench} profiles). Three forms: one window judged over and over
 * from scratch ({@code window10s12Leads}); the newest 10 s of a patient's stream every 2 s with the
 * drift memos and per-window noise filters ({@code sliding10s12LeadsPerWindow}, the analyzer before
 * the band-power streams); and the same with each lead's running {@link BandPowerStream} ({@code
 * sliding10s12LeadsStreaming}, the analyzer now). The sliding forms walk 10 minutes of signal and
 * start over with new memos and streams at its end (1 verdict in 296).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QualityBench {

    private static final int WINDOW = 10 * BenchFrames.SAMPLE_RATE;
    private static final int STEP = 2 * BenchFrames.SAMPLE_RATE;

    private float[][] window;
    private SignalQuality quality;
    private float[][] stream;
    private SignalQuality perWindow;
    private SignalQuality streaming;
    private Sliding perWindowAt;
    private Sliding streamingAt;

    /** Where a sliding form is in the stream, with its per-lead memos and streams. */
    private static final class Sliding {
        int at;
        SignalQuality.DriftMemo[] memo;
        BandPowerStream[] band;

        Sliding(int leads, boolean bands) {
            restart(leads, bands);
        }

        void restart(int leads, boolean bands) {
            at = 0;
            memo = new SignalQuality.DriftMemo[leads];
            band = bands ? new BandPowerStream[leads] : null;
            for (int k = 0; k < leads; k++) {
                memo[k] = new SignalQuality.DriftMemo();
                if (bands) {
                    band[k] = new BandPowerStream();
                }
            }
        }
    }

    @Setup
    public void setUp() {
        window = BenchFrames.signal(1, 0, 10);
        quality = new SignalQuality(BenchFrames.SAMPLE_RATE);
        stream = BenchFrames.signal(1, 0, 600);
        perWindow = new SignalQuality(BenchFrames.SAMPLE_RATE);
        streaming = new SignalQuality(BenchFrames.SAMPLE_RATE);
        perWindowAt = new Sliding(stream.length, false);
        streamingAt = new Sliding(stream.length, true);
    }

    @Benchmark
    public QualitySummary window10s12Leads() {
        return quality.assessAll(window, null);
    }

    @Benchmark
    public double sliding10s12LeadsPerWindow() {
        return slide(perWindow, perWindowAt, false);
    }

    @Benchmark
    public double sliding10s12LeadsStreaming() {
        return slide(streaming, streamingAt, true);
    }

    /** One verdict of 12 leads on the next window; the sum of their indices. */
    private double slide(SignalQuality sq, Sliding s, boolean bands) {
        if (s.at + WINDOW > stream[0].length) {
            s.restart(stream.length, bands);
        }
        double sum = 0;
        for (int k = 0; k < stream.length; k++) {
            sum += sq.assess(stream[k], s.at, WINDOW, false, Double.NaN, Double.NaN, s.at, s.memo[k],
                    bands ? s.band[k] : null).index();
        }
        s.at += STEP;
        return sum;
    }
}
