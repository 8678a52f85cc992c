package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.flink.functions.FrameBuffer;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Window assembly: the job's real {@link FrameBuffer} (10 s windows, 1 s hop, heap keyed state) driven
 * by Flink's operator test harness. One operation is one second of {@code patients} patients: ten
 * 100 ms frames of 12 leads at 500 Hz each, then a watermark, which emits one window per patient.
 * Frames carry int16 ADC values with their calibration (gain 200 per mV), as the decoder hands them on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class WindowAssemblyBench {

    @Param({"100"})
    public int patients;

    private static final long T0 = 1_700_000_000_000_000L;
    private static final float GAIN = 200f;
    private KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> harness;
    private short[][][] adc;
    private float[] scale;
    private int[] baseline;
    private String[] leads;
    private String[] ids;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FrameBuffer(10, 1, 60, 3),
                new EcgPipeline.FramePatient(), Types.STRING);
        harness.open();
        float[][] sig = BenchFrames.signal(1, 0, 1);
        adc = new short[10][sig.length][BenchFrames.FRAME_SAMPLES];
        for (int f = 0; f < 10; f++) {
            for (int k = 0; k < sig.length; k++) {
                for (int i = 0; i < BenchFrames.FRAME_SAMPLES; i++) {
                    adc[f][k][i] = (short) Math.round(sig[k][f * BenchFrames.FRAME_SAMPLES + i] * GAIN);
                }
            }
        }
        scale = new float[sig.length];
        Arrays.fill(scale, 1f / GAIN);
        baseline = new int[sig.length];
        leads = io.ecgsentinel.core.synth.StandardLead.ALL.stream().map(l -> l.label()).toArray(String[]::new);
        ids = new String[patients];
        for (int p = 0; p < patients; p++) {
            ids[p] = "bench-" + p;
        }
        for (int i = 0; i < 12; i++) {
            second(); // fill the first window
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    public int second() throws Exception {
        for (int f = 0; f < 10; f++, seq++) {
            long first = T0 + seq * BenchFrames.FRAME_MILLIS * 1000L;
            for (String id : ids) {
                Frame fr = new Frame(id, id, seq, first, BenchFrames.SAMPLE_RATE, leads, adc[f], scale, baseline,
                        null, new boolean[leads.length], 0L, "t", 0, seq, new byte[0]);
                harness.processElement(fr, Math.floorDiv(fr.endTimeMicros(), 1000));
            }
        }
        harness.processWatermark((T0 + seq * BenchFrames.FRAME_MILLIS * 1000L) / 1000 - 1);
        int n = harness.getOutput().size();
        harness.getOutput().clear();
        return n;
    }
}
