package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.qrs.BeatMatcher.BeatMatch;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming detector on synthetic and real signals: rates, chunking, gaps, state, allocation. */
class QrsDetectorTest {

    private static BeatMatch score(SyntheticEcg ecg, long[] beats) {
        List<Annotation> ref = new ArrayList<>();
        for (long r : ecg.rPeaks) {
            ref.add(new Annotation(r, AnnotationCodes.NORMAL, 0, 0, 0, ""));
        }
        return BeatMatcher.match(ref, beats, ecg.fs, ecg.leads[0].length);
    }

    private static long[] run(QrsDetector d, float[][] signals, int chunk) {
        List<Long> out = new ArrayList<>();
        int len = signals[0].length;
        for (int from = 0; from < len; from += chunk) {
            d.process(signals, from, Math.min(len, from + chunk), (s, at) -> out.add(s));
        }
        d.flush((s, at) -> out.add(s));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(doubles = {100, 200, 250, 257, 360, 500, 1000})
    void findsEveryBeatOfASyntheticEcgAtAnyRateWithoutExtras(double fs) {
        SyntheticEcg ecg = SyntheticEcg.generate(fs, 120, 2, 0.03, 42);
        long[] beats = run(new QrsDetector(fs, 2), ecg.leads, 100);
        BeatMatch m = score(ecg, beats);
        assertThat(m.fn()).as("missed beats at %s Hz", fs).isZero();
        assertThat(m.fp()).as("false beats at %s Hz", fs).isZero();
        // fiducial on the R peak: within 20 ms of it
        for (long b : beats) {
            long nearest = Arrays.stream(ecg.rPeaks).reduce((a, c) -> Math.abs(c - b) < Math.abs(a - b) ? c : a)
                    .orElseThrow();
            assertThat(Math.abs(b - nearest) / fs).as("fiducial error at %s Hz", fs).isLessThanOrEqualTo(0.02);
        }
    }

    @ParameterizedTest(name = "{0} leads")
    @ValueSource(ints = {1, 3, 12})
    void worksWithAnyNumberOfLeads(int leads) {
        SyntheticEcg ecg = SyntheticEcg.generate(500, 60, leads, 0.03, 7);
        BeatMatch m = score(ecg, run(new QrsDetector(500, leads), ecg.leads, 250));
        assertThat(m.fn() + m.fp()).isZero();
    }

    @Test
    void theBeatsDoNotDependOnTheChunkSize() throws IOException {
        // a hard record (multiform PVCs, noise, search-back), first 4 minutes
        WfdbRecord rec = WfdbRecord.read(DataDirs.resolve("mitdb").resolve("203.hea"));
        int len = (int) (240 * rec.samplingFrequency());
        float[][] sig = {Arrays.copyOf(rec.millivolts(0), len), Arrays.copyOf(rec.millivolts(1), len)};
        long[] whole = run(new QrsDetector(rec.samplingFrequency(), 2), sig, len);
        assertThat(whole.length).isGreaterThan(300);
        for (int chunk : new int[] {1, 7, 360, 4096}) {
            assertThat(run(new QrsDetector(rec.samplingFrequency(), 2), sig, chunk)).as("chunk %d", chunk)
                    .containsExactly(whole);
        }
        // frame by frame and interleaved give the same too
        QrsDetector frames = new QrsDetector(rec.samplingFrequency(), 2);
        List<Long> out = new ArrayList<>();
        float[] frame = new float[2];
        for (int i = 0; i < len; i++) {
            frame[0] = sig[0][i];
            frame[1] = sig[1][i];
            frames.processFrame(frame, (s, at) -> out.add(s));
        }
        frames.flush((s, at) -> out.add(s));
        assertThat(out.stream().mapToLong(Long::longValue).toArray()).containsExactly(whole);
    }

    @Test
    void syntheticChunkingAndDelaysAreIdenticalToo() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 90, 2, 0.05, 3);
        List<long[]> runs = new ArrayList<>();
        for (int chunk : new int[] {1, 50, 32_400}) {
            QrsDetector d = new QrsDetector(360, 2);
            List<long[]> got = new ArrayList<>();
            for (int from = 0; from < ecg.leads[0].length; from += chunk) {
                d.process(ecg.leads, from, Math.min(ecg.leads[0].length, from + chunk),
                        (s, at) -> got.add(new long[] {s, at}));
            }
            runs.add(got.stream().flatMapToLong(Arrays::stream).toArray());
        }
        assertThat(runs.get(1)).containsExactly(runs.get(0));
        assertThat(runs.get(2)).containsExactly(runs.get(0));
    }

    @Test
    void regularBeatsAreDecidedWithinTheStatedDelay() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 120, 2, 0.03, 11);
        QrsDetector d = new QrsDetector(360, 2);
        List<Double> delays = new ArrayList<>();
        d.process(ecg.leads, (s, at) -> {
            if (s > 2.5 * 360) { // after the learning period
                delays.add((at - s) / 360.0);
            }
        });
        assertThat(delays).isNotEmpty().allSatisfy(x -> assertThat(x).isLessThanOrEqualTo(d.maxRegularDelaySeconds()));
        assertThat(d.maxRegularDelaySeconds()).isLessThan(0.7);
        double median = delays.stream().sorted().toList().get(delays.size() / 2);
        assertThat(median).isLessThan(0.3);
    }

    @Test
    void aNanGapInOneLeadIsBridgedByTheOtherAndAFullGapBreaksNothing() {
        SyntheticEcg ecg = SyntheticEcg.generate(250, 120, 2, 0.03, 5);
        float[][] sig = {ecg.leads[0].clone(), ecg.leads[1].clone()};
        // lead 0 off from 30 s to 50 s (with a new DC offset when it comes back)
        for (int i = 30 * 250; i < sig[0].length; i++) {
            sig[0][i] = i < 50 * 250 ? Float.NaN : sig[0][i] + 3f;
        }
        BeatMatch m = score(ecg, run(new QrsDetector(250, 2), sig, 125));
        assertThat(m.fn() + m.fp()).isZero();

        // both leads off from 70 s to 80 s: no beat inside, none missed outside, no RR across the gap
        for (int i = 70 * 250; i < 80 * 250; i++) {
            sig[0][i] = Float.NaN;
            sig[1][i] = Float.NaN;
        }
        QrsDetector d = new QrsDetector(250, 2);
        long[] beats = run(d, sig, 125);
        assertThat(Arrays.stream(beats).filter(b -> b > 70.2 * 250 && b < 80 * 250).toArray()).isEmpty();
        List<Annotation> ref = new ArrayList<>();
        for (long r : ecg.rPeaks) {
            if (r < 70 * 250 || r > 80.3 * 250) {
                ref.add(new Annotation(r, AnnotationCodes.NORMAL, 0, 0, 0, ""));
            }
        }
        BeatMatch outside = BeatMatcher.match(ref, Arrays.stream(beats)
                .filter(b -> b < 70 * 250 || b > 80.3 * 250).toArray(), 250, sig[0].length);
        assertThat(outside.fn() + outside.fp()).isLessThanOrEqualTo(1);
    }

    @Test
    void aFlatLeadLosesItsWeight() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 120, 2, 0.03, 9);
        float[][] sig = {ecg.leads[0].clone(), ecg.leads[1]};
        Arrays.fill(sig[0], 40 * 360, sig[0].length, 0.4f); // electrode off but still reporting a value
        QrsDetector d = new QrsDetector(360, 2);
        BeatMatch m = score(ecg, run(d, sig, 360));
        assertThat(m.fn()).isLessThanOrEqualTo(2);
        assertThat(m.fp()).isZero();
        assertThat(d.leadWeights()[1]).isGreaterThan(0.9);
    }

    @Test
    void aLeadThatWasOffWhileLearningJoinsWithItsOwnScale() {
        SyntheticEcg ecg = SyntheticEcg.generate(500, 120, 2, 0.03, 8);
        float[][] sig = {ecg.leads[0], ecg.leads[1].clone()};
        for (int i = 0; i < sig[1].length; i++) {
            sig[1][i] = i < 10 * 500 ? Float.NaN : 50 * sig[1][i]; // plugged in late, 50 times the gain
        }
        QrsDetector d = new QrsDetector(500, 2);
        BeatMatch m = score(ecg, run(d, sig, 100));
        assertThat(m.fn() + m.fp()).isZero();
        assertThat(d.leadWeights()[1]).isGreaterThan(0.2);
    }

    @Test
    void noiseOnOneLeadDoesNotMakeBeats() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 180, 2, 0.02, 13);
        float[][] sig = {ecg.leads[0], ecg.leads[1].clone()};
        java.util.Random rnd = new java.util.Random(1);
        // 40 s of strong white noise (0.8 mV rms, more than the QRS of that lead) on lead 1 only
        for (int i = 60 * 360; i < 100 * 360; i++) {
            sig[1][i] += (float) (0.8 * rnd.nextGaussian());
        }
        BeatMatch m = score(ecg, run(new QrsDetector(360, 2), sig, 360));
        assertThat(m.fp()).isLessThanOrEqualTo(2);
        assertThat(m.fn()).isLessThanOrEqualTo(2);
    }

    @Test
    void stateSurvivesJavaSerializationMidStream() throws Exception {
        SyntheticEcg ecg = SyntheticEcg.generate(500, 60, 2, 0.03, 21);
        long[] reference = run(new QrsDetector(500, 2), ecg.leads, 500);

        QrsDetector first = new QrsDetector(500, 2);
        List<Long> out = new ArrayList<>();
        int cut = 20_123;
        first.process(ecg.leads, 0, cut, (s, at) -> out.add(s));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(first);
        }
        QrsDetector restored;
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (QrsDetector) ois.readObject();
        }
        restored.process(ecg.leads, cut, ecg.leads[0].length, (s, at) -> out.add(s));
        restored.flush((s, at) -> out.add(s));
        assertThat(out.stream().mapToLong(Long::longValue).toArray()).containsExactly(reference);
        assertThat(restored.rr().smoothedBpm()).isBetween(55.0, 95.0);
    }

    @Test
    void processingAllocatesNothingPerSample() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeThat(mx).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean tmx = (com.sun.management.ThreadMXBean) mx;
        assumeThat(tmx.isThreadAllocatedMemorySupported()).isTrue();
        tmx.setThreadAllocatedMemoryEnabled(true);
        SyntheticEcg ecg = SyntheticEcg.generate(360, 300, 2, 0.03, 17);
        QrsDetector d = new QrsDetector(360, 2);
        long[] count = new long[1];
        BeatSink sink = (s, at) -> count[0]++;
        d.process(ecg.leads, 0, 36_000, sink); // warm up
        long id = Thread.currentThread().getId();
        long before = tmx.getThreadAllocatedBytes(id);
        d.process(ecg.leads, 36_000, ecg.leads[0].length, sink); // 200 s, about 250 beats
        long allocated = tmx.getThreadAllocatedBytes(id) - before;
        assertThat(count[0]).isGreaterThan(200);
        assertThat(allocated).as("bytes allocated for 72,000 frames").isLessThan(4_096);
    }

    @Test
    void heartRateFollowsTheBeats() {
        SyntheticEcg ecg = SyntheticEcg.generate(360, 60, 1, 0.02, 4);
        QrsDetector d = new QrsDetector(360, 1);
        d.process(ecg.leads, (s, at) -> { });
        double meanRr = (ecg.rPeaks[ecg.rPeaks.length - 1] - ecg.rPeaks[0]) / 360.0 / (ecg.rPeaks.length - 1);
        assertThat(d.rr().smoothedBpm()).isCloseTo(60 / meanRr, org.assertj.core.data.Percentage.withPercentage(15));
        assertThat(d.rr().instantaneousBpm()).isBetween(55.0, 95.0);
    }

    @Test
    void rejectsBadConstruction() {
        assertThatThrownBy(() -> new QrsDetector(20, 2)).hasMessageContaining("sampling frequency");
        assertThatThrownBy(() -> new QrsDetector(360, 0)).hasMessageContaining("lead");
        QrsDetector d = new QrsDetector(360, 2);
        assertThatThrownBy(() -> d.process(new float[3][10], (s, at) -> { })).hasMessageContaining("2 leads");
    }
}
