package io.ecgsentinel.core.qrs;

import io.ecgsentinel.core.dsp.TestSignals;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * Scenarios that pin {@link QrsDetector}'s exact behaviour, for {@code QrsDetectorGoldenTest}: each
 * scenario runs a detector over real or synthetic leads through every entry point ({@code process}
 * in irregular chunks, {@code processInterleaved}, {@code processFrame}, {@code skip}, {@code
 * flush}) and, at checkpoints, prints one line with the sample counter, the number of beats so far,
 * a hash of every event so far (each beat's sample and decision time, and every field the
 * candidate trace reports: fused evidence, threshold, per-lead evidence, slope ratio, ...) and
 * hashes of the whole state as {@link QrsDetector#toBytes()} and {@link QrsDetector#writeTo} give
 * it, plus a hash of the {@code writeTo} state after every call so far (so a difference that
 * lasts only a few samples shows too). Any change of a beat, a fiducial, a floating-point bit of
 * the state or the serialized form changes a line.
 *
 * <p>The golden file {@value #RESOURCE} was written by the detector as it was before its per-lead
 * filter stage was split off (commit 93c25fb), with:
 *
 * <pre>
 * mvn -B -q -o test-compile -pl ecg-core
 * java -cp ecg-core/target/classes:ecg-core/target/test-classes io.ecgsentinel.core.qrs.QrsGolden \
 *     ecg-core/src/test/resources/io/ecgsentinel/core/qrs/qrs-golden.txt
 * </pre>
 *
 * run from the repository root (the MIT-BIH records come from {@code ../shared/data/mitdb}, found
 * as by every other test). Regenerate it only for an intended change of the detector's results.
 */
final class QrsGolden {

    /** The golden file, on the test class path. */
    static final String RESOURCE = "qrs-golden.txt";

    /** Real records: clean, paced and noisy, multiform PVCs, pauses and flutter. */
    static final List<String> MITDB_RECORDS = List.of("101", "104", "108", "203", "207", "208");

    private QrsGolden() {}

    /** The lines of every synthetic scenario (no data directory needed). */
    static List<String> synthetic() {
        List<String> out = new ArrayList<>();
        twelveLeads(out);
        oneLeadOtherSettings(out);
        threeLeadsAt100HzFrameByFrame(out);
        noiseOnly(out);
        return out;
    }

    /** The lines of the MIT-BIH scenarios. */
    static List<String> mitdb() {
        List<String> out = new ArrayList<>();
        for (String r : MITDB_RECORDS) {
            record(r, out);
        }
        return out;
    }

    /** Writes the golden file: {@code QrsGolden <file>}. */
    public static void main(String[] args) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# QrsDetector golden results: QrsGolden's javadoc says what the fields are and how to regenerate");
        lines.addAll(synthetic());
        lines.addAll(mitdb());
        Files.write(Path.of(args[0]), lines, StandardCharsets.UTF_8);
    }

    /** A detector under observation: its events go into a running hash, checkpoints become lines. */
    static final class Run implements BeatSink, QrsDetector.CandidateTrace {

        final String name;
        final QrsDetector d;
        final List<String> out;
        private final MessageDigest events = sha256();
        private final MessageDigest states = sha256();
        private final ByteArrayOutputStream state = new ByteArrayOutputStream();
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(buf);
        private long beats;

        Run(String name, QrsDetector d, List<String> out) {
            this.name = name;
            this.d = d;
            this.out = out;
            d.trace = this;
        }

        @Override
        public void onBeat(long sample, long decidedAt) {
            beats++;
            put('B');
            putLong(sample);
            putLong(decidedAt);
            putLong(d.samplesSeen());
            flushEvent();
        }

        @Override
        public void candidate(long peak, long fiducial, double fused, double threshold, double[] evidence,
                double slopeRatio, long sinceLastBeat, double rrAverage, boolean accepted) {
            put('C');
            putLong(peak);
            putLong(fiducial);
            putDouble(fused);
            putDouble(threshold);
            for (double e : evidence) {
                putDouble(e);
            }
            putDouble(slopeRatio);
            putLong(sinceLastBeat);
            putDouble(rrAverage);
            put(accepted ? 1 : 0);
            for (double w : d.leadWeights()) {
                putDouble(w);
            }
            flushEvent();
        }

        @Override
        public void searchBack(long peak) {
            put('S');
            putLong(peak);
            flushEvent();
        }

        /** One line: where the detector is, what it emitted so far and its whole state. */
        void checkpoint(String label) {
            MessageDigest copy;
            MessageDigest statesCopy;
            try {
                copy = (MessageDigest) events.clone();
                statesCopy = (MessageDigest) states.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
            out.add(name + "@" + label + " n=" + d.samplesSeen() + " beats=" + beats
                    + " events=" + hex(copy.digest()) + " toBytes=" + hex(sha256().digest(d.toBytes()))
                    + " writeTo=" + hex(sha256().digest(binary())) + " states=" + hex(statesCopy.digest()));
        }

        /** After every call: the state then goes into the running hash of states. */
        void called() {
            states.update(binary());
        }

        private byte[] binary() {
            state.reset();
            try (DataOutputStream o = new DataOutputStream(state)) {
                d.writeTo(o);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return state.toByteArray();
        }

        void skip(long count) {
            d.skip(count, this);
            called();
        }

        void flush() {
            d.flush(this);
            called();
        }

        /** {@code process} of {@code x[][from..to)} in the chunk sizes {@code chunks} gives. */
        void process(float[][] x, int from, int to, IntUnaryOperator chunks) {
            for (int k = from; k < to; ) {
                int c = chunks.applyAsInt(to - k);
                d.process(x, k, k + c, this);
                called();
                k += c;
            }
        }

        /** {@code processInterleaved} of {@code x[][from..to)} in the chunk sizes {@code chunks} gives. */
        void interleaved(float[][] x, int from, int to, IntUnaryOperator chunks) {
            int leads = x.length;
            for (int k = from; k < to; ) {
                int c = chunks.applyAsInt(to - k);
                float[] data = new float[c * leads + 3]; // longer than needed: only frames * leads are read
                for (int f = 0; f < c; f++) {
                    for (int i = 0; i < leads; i++) {
                        data[f * leads + i] = x[i][k + f];
                    }
                }
                d.processInterleaved(data, c, this);
                called();
                k += c;
            }
        }

        /** {@code processFrame} of every frame of {@code x[][from..to)}. */
        void frames(float[][] x, int from, int to) {
            float[] frame = new float[x.length + 1]; // longer than needed: only the first leads are read
            for (int k = from; k < to; k++) {
                for (int i = 0; i < x.length; i++) {
                    frame[i] = x[i][k];
                }
                d.processFrame(frame, this);
                called();
            }
        }

        private void put(int b) {
            try {
                data.writeByte(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void putLong(long v) {
            try {
                data.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void putDouble(double v) {
            putLong(Double.doubleToRawLongBits(v));
        }

        private void flushEvent() {
            events.update(buf.toByteArray());
            buf.reset();
        }
    }

    /**
     * 12 leads at 500 Hz, 200 s: a lead off while the detector learns, a lead off and back with a
     * new DC offset, 15 s of strong noise on one lead (rejected candidates), a lead that goes flat
     * (its filters decay into the flush-to-zero range), single-sample and short NaN bursts, all
     * leads off, a short and a long {@code skip}, a lead off at the end, and every entry point in
     * irregular chunks around 64 samples and far from it.
     */
    private static void twelveLeads(List<String> out) {
        double fs = 500;
        float[][] x = SyntheticEcg.generate(fs, 200, 12, 0.05, 31).leads;
        int s = (int) fs;
        nan(x[3], 0, 8 * s);
        nan(x[5], 40 * s, 45 * s);
        for (int k = 45 * s; k < x[5].length; k++) {
            x[5][k] += 2f;
        }
        Arrays.fill(x[7], 60 * s, 90 * s, 0.25f);
        Random noise = new Random(32);
        for (int k = 20 * s; k < 35 * s; k++) {
            x[8][k] += (float) (0.8 * noise.nextGaussian());
        }
        for (int k : new int[] {11 * s, 23 * s + 7, 33 * s + 100, 71 * s + 3}) {
            nan(x[9], k, k + 1);
            nan(x[9], k + 40, k + 43);
            nan(x[9], k + 200, k + 264);
        }
        for (float[] lead : x) {
            nan(lead, 100 * s, 104 * s);
        }
        nan(x[11], 150 * s, x[11].length);
        Run r = new Run("syn12x500", new QrsDetector(fs, 12), out);
        r.process(x, 0, s, TestSignals.chunker(1, 1, 2, 63, 64, 65, 127, 128, 129, 1));
        r.checkpoint("1s");
        r.process(x, s, 30 * s, TestSignals.chunker(2));
        r.checkpoint("30s");
        r.process(x, 30 * s, 107 * s, TestSignals.chunker(3, 64, 64, 64, 1000, 5000));
        r.checkpoint("107s");
        r.skip(200);
        r.checkpoint("skip200");
        r.process(x, 107 * s + 200, 120 * s, TestSignals.chunker(4));
        r.skip(20 * s);
        r.checkpoint("skip20s");
        r.interleaved(x, 140 * s, 160 * s, TestSignals.chunker(5, 1, 64, 65, 3));
        r.checkpoint("interleaved");
        r.frames(x, 160 * s, 170 * s);
        r.checkpoint("frames");
        r.process(x, 170 * s, x[0].length, TestSignals.chunker(6));
        r.checkpoint("end");
        r.flush();
        r.checkpoint("flush");
    }

    /** One lead at an odd rate with other settings, fed one sample and then a whole block at a time. */
    private static void oneLeadOtherSettings(List<String> out) {
        QrsDetector.Settings other = new QrsDetector.Settings(4, 18, 0.12, 0.25, 0.3, 0.4, 0.6, 1.5, 0.4, 1.0);
        double fs = 257;
        float[][] x = SyntheticEcg.generate(fs, 90, 1, 0.08, 77).leads;
        nan(x[0], 50 * 257, 51 * 257);
        Run r = new Run("syn1x257", new QrsDetector(fs, 1, other), out);
        r.process(x, 0, 20 * 257, remaining -> 1);
        r.checkpoint("20s");
        r.process(x, 20 * 257, x[0].length, remaining -> remaining);
        r.checkpoint("end");
        r.flush();
        r.checkpoint("flush");
    }

    /** Three leads at the lowest rate, frame by frame, with a lead switching off and on every few seconds. */
    private static void threeLeadsAt100HzFrameByFrame(List<String> out) {
        double fs = 100;
        float[][] x = SyntheticEcg.generate(fs, 120, 3, 0.03, 5).leads;
        for (int k = 10 * 100; k < x[1].length; k += 700) {
            nan(x[1], k, k + 150);
        }
        Run r = new Run("syn3x100", new QrsDetector(fs, 3), out);
        r.frames(x, 0, 60 * 100);
        r.checkpoint("60s");
        r.interleaved(x, 60 * 100, x[0].length, TestSignals.chunker(8));
        r.checkpoint("end");
        r.skip(1_000_000);
        r.checkpoint("skip");
        r.flush();
        r.checkpoint("flush");
    }

    /** Two leads of noise only (no beats: relaxation and search-back on noise), then silence. */
    private static void noiseOnly(List<String> out) {
        int len = 60 * 360;
        float[][] x = {TestSignals.noise(1, len, 0.1, 2), TestSignals.noise(2, len, 0.02, -1)};
        Arrays.fill(x[0], 40 * 360, len, 2f);
        Arrays.fill(x[1], 45 * 360, len, 0f);
        Run r = new Run("noise2x360", new QrsDetector(360, 2), out);
        r.process(x, 0, len, TestSignals.chunker(9));
        r.checkpoint("end");
        r.flush();
        r.checkpoint("flush");
    }

    /**
     * A whole MIT-BIH record, both leads, in irregular chunks; from minute 1 to 5 the leads drop
     * out for a sample or a few dozen samples every 7.3 s (too short for a decision to notice:
     * the lead's weight is reset when it returns), at minute 10 lead 1 is off for 20 s (back with a
     * new DC offset), then the stream has a short and a long gap.
     */
    private static void record(String name, List<String> out) {
        WfdbRecord rec = TestSignals.record("mitdb", name);
        double fs = rec.samplingFrequency();
        float[][] x = {rec.millivolts(0).clone(), rec.millivolts(1).clone()};
        int s = (int) fs;
        int len = x[0].length;
        for (int k = 60 * s; k < 300 * s; k += 7 * s + 111) {
            nan(x[0], k, k + 1);
            nan(x[1], k + 1000, k + 1030);
        }
        nan(x[1], 600 * s, 620 * s);
        for (int k = 620 * s; k < len; k++) {
            x[1][k] += 1.5f;
        }
        Run r = new Run("mitdb" + name, new QrsDetector(fs, 2), out);
        IntUnaryOperator chunks = TestSignals.chunker(Long.parseLong(name));
        int at = 0;
        for (int minutes = 5; minutes <= 15; minutes += 5) {
            r.process(x, at, minutes * 60 * s, chunks);
            at = minutes * 60 * s;
            r.checkpoint(minutes + "min");
        }
        r.skip(100);
        r.process(x, at + 100, 20 * 60 * s, chunks);
        r.checkpoint("20min");
        r.skip(30 * s);
        r.process(x, 20 * 60 * s + 30 * s, len, chunks);
        r.checkpoint("end");
        r.flush();
        r.checkpoint("flush");
    }

    private static void nan(float[] lead, int from, int to) {
        Arrays.fill(lead, from, Math.min(to, lead.length), Float.NaN);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
