package io.ecgsentinel.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The central promise of the dsp package: a signal fed whole, sample by sample, in fixed chunks
 * (7, 37, 500) or in seeded random chunks gives bit-identical output, for every filter, the
 * resampler and the whole chain, on a real MIT-BIH lead and on noise; and state taken mid-stream
 * continues bit-identically in a fresh instance.
 */
class ChunkInvarianceTest {

    private static final int[] RATES = {360, 257, 500, 200, 1000, 250, 100};

    /** Something that maps a chunk to a (possibly different-length) output chunk. */
    interface Chunked {
        int process(float[] in, int off, int len, float[] out, int outOff);

        int maxOutput(int len);
    }

    static Chunked of(StreamingFilter f) {
        return new Chunked() {
            @Override
            public int process(float[] in, int off, int len, float[] out, int outOff) {
                f.process(in, off, len, out, outOff);
                return len;
            }

            @Override
            public int maxOutput(int len) {
                return len;
            }
        };
    }

    static Chunked of(StreamingResampler r) {
        return new Chunked() {
            @Override
            public int process(float[] in, int off, int len, float[] out, int outOff) {
                return r.process(in, off, len, out, outOff);
            }

            @Override
            public int maxOutput(int len) {
                return r.maxOutput(len);
            }
        };
    }

    static Chunked of(Preprocessor p) {
        return new Chunked() {
            @Override
            public int process(float[] in, int off, int len, float[] out, int outOff) {
                return p.process(in, off, len, out, outOff);
            }

            @Override
            public int maxOutput(int len) {
                return p.maxOutput(len);
            }
        };
    }

    /** Runs x through in chunks sized by {@code sizes}; each chunk is a fresh array, as frames are. */
    static float[] run(Chunked c, float[] x, IntUnaryOperator sizes) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < x.length; ) {
            int len = sizes.applyAsInt(x.length - i);
            float[] chunk = Arrays.copyOfRange(x, i, i + len);
            float[] out = new float[c.maxOutput(len) + 3];
            // Write at an offset to check that offsets are honoured.
            int n = c.process(chunk, 0, len, out, 3);
            parts.add(Arrays.copyOfRange(out, 3, 3 + n));
            total += n;
            i += len;
        }
        float[] all = new float[total];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }

    static float[] whole(Chunked c, float[] x) {
        return run(c, x, remaining -> remaining);
    }

    static List<IntUnaryOperator> chunkings() {
        return List.of(
                remaining -> 1,
                remaining -> Math.min(7, remaining),
                remaining -> Math.min(37, remaining),
                remaining -> Math.min(500, remaining),
                TestSignals.chunker(11, 1, 2, 3),
                TestSignals.chunker(12345));
    }

    private static final float[] REAL = TestSignals.mitdb101(40);
    private static final float[] NOISE = TestSignals.noise(7, 12_000, 1.0, 3.0);

    static Stream<Arguments> inputs() {
        return Stream.of(
                Arguments.of(Named.of("mitdb/101 MLII, 40 s", REAL)),
                Arguments.of(Named.of("noise sd 1 mV on 3 mV DC", NOISE)));
    }

    static Stream<Named<Supplier<StreamingFilter>>> filters() {
        return Stream.of(
                Named.of("band-pass 0.5-40 @250", () -> FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 250)),
                Named.of("band-pass 0.5-40 @360", () -> FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 360)),
                Named.of("band-pass 0.5-40 @1000", () -> FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 1000)),
                Named.of("high-pass 0.5 @360", () -> FilterDesign.butterworthHighPass(2, 0.5, 360)),
                Named.of("low-pass order 3 @360", () -> FilterDesign.butterworthLowPass(3, 40, 360)),
                Named.of("notch 60 @360", () -> FilterDesign.notch(60, 30, 360)),
                Named.of("notch 50 @100 (identity)", () -> FilterDesign.notch(50, 30, 100)),
                Named.of("median baseline @360", () -> new MedianBaselineFilter(360)),
                Named.of("median baseline @250", () -> new MedianBaselineFilter(250)),
                Named.of("chain median+band-pass+notch @360", () -> new FilterChain(new MedianBaselineFilter(360),
                        FilterDesign.butterworthBandPass(2, 0.5, 4, 40, 360), FilterDesign.notch(50, 25, 360))));
    }

    static Stream<Arguments> filtersAndInputs() {
        return filters().flatMap(f -> inputs().map(in -> Arguments.of(f, in.get()[0])));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("filtersAndInputs")
    void filterOutputDoesNotDependOnChunking(Supplier<StreamingFilter> design, float[] x) {
        float[] expected = whole(of(design.get()), x);
        assertThat(expected).hasSameSizeAs(x);
        for (IntUnaryOperator sizes : chunkings()) {
            TestSignals.assertBitIdentical(run(of(design.get()), x, sizes), expected);
        }
        // In place, in chunks of 37.
        StreamingFilter f = design.get();
        float[] buf = x.clone();
        for (int i = 0; i < buf.length; i += 37) {
            f.process(buf, i, Math.min(37, buf.length - i), buf, i);
        }
        TestSignals.assertBitIdentical(buf, expected);
        // reset() really starts over, and copy() is a fresh instance of the same design.
        f.reset();
        TestSignals.assertBitIdentical(f.process(x), expected);
        TestSignals.assertBitIdentical(f.copy().process(x), expected);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("filtersAndInputs")
    void filterStateRestoresMidStream(Supplier<StreamingFilter> design, float[] x) {
        float[] expected = design.get().process(x);
        int cut = x.length / 3 + 5;
        StreamingFilter first = design.get();
        float[] head = first.process(Arrays.copyOf(x, cut));
        StreamingFilter second = first.copy();
        second.restore(first.state());
        float[] tail = second.process(Arrays.copyOfRange(x, cut, x.length));
        float[] joined = new float[x.length];
        System.arraycopy(head, 0, joined, 0, cut);
        System.arraycopy(tail, 0, joined, cut, tail.length);
        TestSignals.assertBitIdentical(joined, expected);
    }

    static Stream<Arguments> ratePairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (int in : RATES) {
            pairs.add(Arguments.of(in, 250));
        }
        // Some pairs away from the model rate, both directions.
        pairs.add(Arguments.of(250, 360));
        pairs.add(Arguments.of(250, 1000));
        pairs.add(Arguments.of(500, 360));
        pairs.add(Arguments.of(100, 257));
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("ratePairs")
    void resamplerOutputDoesNotDependOnChunking(int fsIn, int fsOut) {
        // Content does not matter for chunk invariance: the MIT-BIH samples are used at any rate.
        for (float[] x : List.of(Arrays.copyOf(REAL, 10_800), TestSignals.noise(fsIn, 9_000, 1.0, -2.0))) {
            float[] expected = whole(of(new StreamingResampler(fsIn, fsOut)), x);
            assertThat((long) expected.length).isEqualTo(new StreamingResampler(fsIn, fsOut).outputCount(x.length));
            for (IntUnaryOperator sizes : chunkings()) {
                TestSignals.assertBitIdentical(run(of(new StreamingResampler(fsIn, fsOut)), x, sizes), expected);
            }
            // Mid-stream restore.
            StreamingResampler a = new StreamingResampler(fsIn, fsOut);
            int cut = x.length / 2 + 3;
            float[] head = a.process(Arrays.copyOf(x, cut));
            StreamingResampler b = a.copy();
            b.restore(a.state());
            float[] tail = b.process(Arrays.copyOfRange(x, cut, x.length));
            float[] joined = Arrays.copyOf(head, head.length + tail.length);
            System.arraycopy(tail, 0, joined, head.length, tail.length);
            TestSignals.assertBitIdentical(joined, expected);
        }
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (int in : RATES) {
            out.add(Arguments.of(PreprocessingConfig.defaults(in)));
        }
        out.add(Arguments.of(PreprocessingConfig.defaults(360).withNotchHz(60)
                .withBaseline(PreprocessingConfig.Baseline.MEDIAN).withBand(0.05, 40)));
        out.add(Arguments.of(PreprocessingConfig.defaults(500).withBaseline(PreprocessingConfig.Baseline.MEDIAN)
                .withBand(0, 40)));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void preprocessorOutputDoesNotDependOnChunking(PreprocessingConfig cfg) throws Exception {
        float[] x = Arrays.copyOf(REAL, 10_800);
        // A WFDB gap in the middle: the NaN guard must be chunk-invariant too.
        Arrays.fill(x, 4000, 4100, Float.NaN);
        float[] expected = whole(of(new Preprocessor(cfg)), x);
        assertThat(expected).doesNotContain(Float.NaN);
        for (IntUnaryOperator sizes : chunkings()) {
            TestSignals.assertBitIdentical(run(of(new Preprocessor(cfg)), x, sizes), expected);
        }
        // Snapshot through state() and through Java serialisation, then continue.
        Preprocessor a = new Preprocessor(cfg);
        int cut = 5003;
        float[] head = a.process(Arrays.copyOf(x, cut));
        Preprocessor b = new Preprocessor(cfg);
        b.restore(a.state());
        Preprocessor c = roundTrip(a);
        float[] rest = Arrays.copyOfRange(x, cut, x.length);
        float[] tailB = b.process(rest);
        float[] tailC = c.process(rest);
        TestSignals.assertBitIdentical(concat(head, tailB), expected);
        TestSignals.assertBitIdentical(concat(head, tailC), expected);
    }

    @Test
    void multiLeadMatchesSingleLeadChainsInAnyChunking() {
        float[][] leads = {TestSignals.mitdb101(20), TestSignals.lead("mitdb", "101", 1, 20)};
        PreprocessingConfig cfg = PreprocessingConfig.defaults(360).withNotchHz(60);
        float[][] whole = new MultiLeadPreprocessor(cfg, 2).process(leads);
        for (int l = 0; l < 2; l++) {
            TestSignals.assertBitIdentical(whole[l], new Preprocessor(cfg).process(leads[l]));
        }
        MultiLeadPreprocessor m = new MultiLeadPreprocessor(cfg, 2);
        IntUnaryOperator sizes = TestSignals.chunker(99, 1, 7, 37);
        List<float[][]> parts = new ArrayList<>();
        for (int i = 0; i < leads[0].length; ) {
            int len = sizes.applyAsInt(leads[0].length - i);
            float[][] chunk = {Arrays.copyOfRange(leads[0], i, i + len), Arrays.copyOfRange(leads[1], i, i + len)};
            if (i > leads[0].length / 2 && parts.size() % 2 == 0) {
                // Restore into a fresh instance part-way, as a Flink restart would.
                MultiLeadPreprocessor fresh = m.copy();
                fresh.restore(m.state());
                m = fresh;
            }
            parts.add(m.process(chunk));
            i += len;
        }
        for (int l = 0; l < 2; l++) {
            float[] joined = new float[0];
            for (float[][] p : parts) {
                joined = concat(joined, p[l]);
            }
            TestSignals.assertBitIdentical(joined, whole[l]);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static Preprocessor roundTrip(Preprocessor p) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Preprocessor) in.readObject();
        }
    }
}
