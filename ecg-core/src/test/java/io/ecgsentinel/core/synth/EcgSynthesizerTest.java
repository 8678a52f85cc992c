package io.ecgsentinel.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcgSynthesizerTest {

    private static final double FS = 500;

    private static EcgSynthesizer gen(long seed, String scenario, TruthListener l) {
        return EcgSynthesizer.builder().seed(seed).sampleRate(FS).scenario(Scenario.parse(scenario))
                .truthListener(l).build();
    }

    private static TruthRecorder run(String scenario, double seconds, long seed) {
        TruthRecorder rec = new TruthRecorder();
        gen(seed, scenario, rec).next((int) (seconds * FS));
        return rec;
    }

    @Test
    void sameSeedGivesSameSamplesAndTruthWhateverTheChunking() {
        String sc = "at 3s PVC\nat 6s VT for 4s rate=170\nat 12s AFIB for 5s\nat 18s NOISE for 2s";
        TruthRecorder r1 = new TruthRecorder();
        TruthRecorder r2 = new TruthRecorder();
        EcgSynthesizer a = gen(42, sc, r1);
        EcgSynthesizer b = gen(42, sc, r2);
        int n = (int) (25 * FS);
        float[][] whole = a.next(n);
        float[][] chunked = new float[12][n];
        int[] sizes = {1, 37, 50, 499, 1000, 3};
        for (int off = 0, i = 0; off < n; i++) {
            int m = Math.min(sizes[i % sizes.length], n - off);
            b.next(chunked, off, m);
            off += m;
        }
        for (int k = 0; k < 12; k++) {
            assertThat(chunked[k]).as("lead %d", k).containsExactly(whole[k]);
        }
        assertThat(r2.beats()).isEqualTo(r1.beats());
        assertThat(r2.episodes()).isEqualTo(r1.episodes());
        assertThat(r2.rhythms()).isEqualTo(r1.rhythms());

        float[][] other = gen(43, sc, null).next(n);
        assertThat(other[1]).isNotEqualTo(whole[1]);
    }

    @Test
    void limbLeadsObeyEinthovenAndGoldberger() {
        float[][] x = gen(7, "at 2s VT for 3s\nat 6s VF for 3s\nat 10s NOISE for 3s", null).next((int) (15 * FS));
        for (int i = 0; i < x[0].length; i++) {
            float lI = x[0][i];
            float lII = x[1][i];
            assertThat(x[2][i]).isCloseTo(lII - lI, within(1e-5f));
            assertThat(x[3][i]).isCloseTo(-(lI + lII) / 2, within(1e-5f));
            assertThat(x[4][i]).isCloseTo(lI - lII / 2, within(1e-5f));
            assertThat(x[5][i]).isCloseTo(lII - lI / 2, within(1e-5f));
        }
    }

    @Test
    void anyLeadSubsetEqualsTheSameLeadsOfTheFullSet() {
        List<StandardLead> subset = StandardLead.parseList("V5,II,aVF");
        EcgSynthesizer some = EcgSynthesizer.builder().seed(3).sampleRate(FS).leads(subset).build();
        float[][] s = some.next(5000);
        float[][] all = gen(3, "", null).next(5000);
        assertThat(s[0]).containsExactly(all[StandardLead.V5.ordinal()]);
        assertThat(s[1]).containsExactly(all[StandardLead.II.ordinal()]);
        assertThat(s[2]).containsExactly(all[StandardLead.AVF.ordinal()]);
    }

    @Test
    void normalRhythmHasPlausibleRateAmplitudeAndVariability() {
        TruthRecorder r = new TruthRecorder();
        EcgSynthesizer g = gen(11, "", r);
        float[][] x = g.next((int) (120 * FS));
        double[] rr = rr(r.beats(), 0, Long.MAX_VALUE);
        double mean = Arrays.stream(rr).average().orElseThrow();
        assertThat(60 / mean).isCloseTo(g.baseHeartRate(), within(6.0));
        double sd = Math.sqrt(Arrays.stream(rr).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        assertThat(sd / mean).isBetween(0.01, 0.12);
        assertThat(r.beats()).allMatch(b -> b.symbol().equals("N"));
        // R peaks stand out in lead II: at least 0.4 mV above the median
        float[] ii = x[1].clone();
        Arrays.sort(ii);
        float median = ii[ii.length / 2];
        double meanR = r.beats().stream().mapToDouble(b -> x[1][(int) b.sample()]).average().orElseThrow();
        assertThat(meanR - median).isGreaterThan(0.4);
    }

    @Test
    void vtRunIsFastAndLabelledVentricular() {
        TruthRecorder r = run("at 10s VT for 8s rate=180", 25, 5);
        long on = (long) (10 * FS);
        long off = (long) (18 * FS);
        List<TruthBeat> vt = r.beats().stream().filter(b -> b.sample() >= on && b.sample() < off).toList();
        assertThat(vt).hasSizeGreaterThanOrEqualTo(20).allMatch(b -> b.symbol().equals("V"));
        double hr = 60 / Arrays.stream(rr(r.beats(), on, off)).average().orElseThrow();
        assertThat(hr).isGreaterThan(100).isCloseTo(180, within(8.0));
        assertThat(r.episodes()).anyMatch(e -> e.type() == EventType.VT && e.onsetSample() == on && e.endSample() == off);
        assertThat(r.rhythms()).extracting(TruthRecorder.RhythmChange::label).containsSubsequence("(N", "(VT", "(N");
        assertThat(r.beats().stream().filter(b -> b.sample() >= off)).allMatch(b -> b.symbol().equals("N"));
    }

    @Test
    void pvcIsPrematureWithCompensatoryPause() {
        TruthRecorder r = run("hr 60\nat 10s PVC", 20, 9);
        List<TruthBeat> b = r.beats();
        int v = indexOfSymbol(b, "V");
        assertThat(v).isPositive();
        assertThat(b.stream().filter(x -> x.symbol().equals("V"))).hasSize(1);
        double pre = (b.get(v).sample() - b.get(v - 1).sample()) / FS;
        double post = (b.get(v + 1).sample() - b.get(v).sample()) / FS;
        double normal = (b.get(v - 1).sample() - b.get(v - 2).sample()) / FS;
        assertThat(pre).isLessThan(0.8 * normal);
        assertThat(pre + post).isCloseTo(2 * normal, within(0.25 * normal));
    }

    @Test
    void bigeminyAlternatesAndCoupletsComeInPairs() {
        TruthRecorder r = run("at 5s BIGEMINY for 10s\nat 20s COUPLET", 25, 2);
        String seq = symbols(r.beats(), 6 * FS, 14 * FS);
        assertThat(seq).matches("V?(NV)+N?");
        assertThat(symbols(r.beats(), 19 * FS, 23 * FS)).contains("NVVN");
    }

    @Test
    void vfAndAsystoleHaveNoBeats() {
        TruthRecorder r = run("at 5s VF for 6s\nat 15s ASYSTOLE for 5s pwaves=on", 25, 4);
        assertThat(r.beats()).noneMatch(b -> b.sample() >= 5 * FS && b.sample() < 11 * FS);
        assertThat(r.beats()).noneMatch(b -> b.sample() >= 15 * FS && b.sample() < 20 * FS);
        assertThat(r.rhythms()).extracting(TruthRecorder.RhythmChange::label).containsSubsequence("(VF", "(N", "(ASYS", "(N");
    }

    @Test
    void vfIsAChaoticFourToSixHertzWaveform() {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(8).sampleRate(FS).noise(NoiseLevel.NONE)
                .scenario(Scenario.parse("at 0s VF for 20s")).build();
        float[][] x = g.next((int) (20 * FS));
        // count zero crossings of V3 after the first second: 4-6 Hz -> 8-12 per second
        int crossings = 0;
        for (int i = (int) FS + 1; i < x[8].length; i++) {
            if ((x[8][i - 1] < 0) != (x[8][i] < 0)) {
                crossings++;
            }
        }
        assertThat(crossings / 19.0).isBetween(7.0, 13.0);
    }

    @Test
    void afibIsIrregularAndSvtIsRegularNarrowAndFast() {
        TruthRecorder af = run("at 0s AFIB for 60s rate=110", 60, 6);
        double[] rr = rr(af.beats(), (long) FS, (long) (60 * FS));
        double mean = Arrays.stream(rr).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(rr).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        assertThat(sd / mean).isGreaterThan(0.12);
        assertThat(af.beats()).allMatch(b -> b.symbol().equals("N"));

        TruthRecorder svt = run("at 5s SVT for 20s rate=200", 30, 6);
        double[] s = rr(svt.beats(), (long) (5 * FS), (long) (25 * FS));
        double m2 = Arrays.stream(s).average().orElseThrow();
        assertThat(60 / m2).isCloseTo(200, within(6.0));
        assertThat(Arrays.stream(s).max().orElseThrow() - Arrays.stream(s).min().orElseThrow()).isLessThan(0.04);
        assertThat(svt.beats().stream().filter(b -> b.sample() >= 5 * FS && b.sample() < 25 * FS))
                .allMatch(b -> b.aami() == 'S');
    }

    @Test
    void bradyAndTachyChangeTheSinusRate() {
        TruthRecorder r = run("hr 70\nat 10s BRADY for 20s rate=35\nat 40s TACHY for 20s rate=150", 65, 3);
        double brady = 60 / Arrays.stream(rr(r.beats(), (long) (13 * FS), (long) (30 * FS))).average().orElseThrow();
        double tachy = 60 / Arrays.stream(rr(r.beats(), (long) (41 * FS), (long) (60 * FS))).average().orElseThrow();
        assertThat(brady).isLessThan(40);
        assertThat(tachy).isGreaterThan(140);
    }

    @Test
    void stElevationRaisesTheStSegmentInItsTerritory() {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(12).sampleRate(FS).noise(NoiseLevel.NONE)
                .scenario(Scenario.parse("at 20s ST_ELEVATION for 20s territory=inferior amplitude=0.3")).build();
        TruthRecorder r = new TruthRecorder();
        g.truthListener(r);
        float[][] x = g.next((int) (40 * FS));
        int iii = StandardLead.III.ordinal();
        double before = stLevel(x[iii], r.beats(), 2 * FS, 19 * FS);
        double during = stLevel(x[iii], r.beats(), 22 * FS, 39 * FS);
        assertThat(during - before).isBetween(0.2, 0.4);
        int avl = StandardLead.AVL.ordinal();
        assertThat(stLevel(x[avl], r.beats(), 22 * FS, 39 * FS) - stLevel(x[avl], r.beats(), 2 * FS, 19 * FS))
                .as("reciprocal depression").isNegative();
    }

    @Test
    void leadOffFlattensTheLeadAndRaisesItsFlag() {
        EcgSynthesizer g = EcgSynthesizer.builder().seed(1).sampleRate(FS)
                .scenario(Scenario.parse("at 2s LEAD_OFF for 1s leads=V1,V2 mode=rail")).build();
        g.next(1000);
        assertThat(g.lastLeadOff()).containsOnly(false);
        float[][] x = g.next(500);
        boolean[] off = g.lastLeadOff();
        assertThat(off[StandardLead.V1.ordinal()]).isTrue();
        assertThat(off[StandardLead.V2.ordinal()]).isTrue();
        assertThat(off[StandardLead.V3.ordinal()]).isFalse();
        assertThat(x[StandardLead.V1.ordinal()]).containsOnly(EcgSynthesizer.RAIL_MV);
        g.next(500);
        assertThat(g.lastLeadOff()).containsOnly(false);
    }

    @Test
    void pacedRhythmReportsSpikes() {
        TruthRecorder r = new TruthRecorder();
        EcgSynthesizer g = EcgSynthesizer.builder().seed(1).sampleRate(1000).truthListener(r)
                .scenario(Scenario.parse("at 0s PACED for 10s rate=70")).build();
        int marks = 0;
        for (int i = 0; i < 100; i++) {
            g.next(100);
            marks += g.lastPacingMarks().length;
        }
        assertThat(marks).isBetween(10, 13);
        assertThat(r.beats()).allMatch(b -> b.symbol().equals("/"));
    }

    @Test
    void beatTimesDoNotDependOnTheSampleRate() {
        List<Long> at250 = new ArrayList<>();
        List<Long> at1000 = new ArrayList<>();
        for (double fs : new double[] {250, 1000}) {
            TruthRecorder r = new TruthRecorder();
            EcgSynthesizer.builder().seed(21).sampleRate(fs).truthListener(r)
                    .scenario(Scenario.parse("at 5s PVC\nat 8s VT for 3s")).build().next((int) (15 * fs));
            for (TruthBeat b : r.beats()) {
                (fs == 250 ? at250 : at1000).add(Math.round(b.sample() * 1000 / fs));
            }
        }
        assertThat(at250).hasSameSizeAs(at1000);
        for (int i = 0; i < at250.size(); i++) {
            assertThat(at250.get(i)).isCloseTo(at1000.get(i), within(4L));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double stLevel(float[] lead, List<TruthBeat> beats, double from, double to) {
        // ST at R + 110 ms against the PR segment at R - 70 ms
        return beats.stream().filter(b -> b.sample() >= from && b.sample() < to)
                .mapToDouble(b -> lead[(int) (b.sample() + 0.11 * FS)] - lead[(int) (b.sample() - 0.07 * FS)])
                .average().orElseThrow();
    }

    private static double[] rr(List<TruthBeat> beats, long from, long to) {
        List<TruthBeat> in = beats.stream().filter(b -> b.sample() >= from && b.sample() < to).toList();
        double[] rr = new double[in.size() - 1];
        for (int i = 1; i < in.size(); i++) {
            rr[i - 1] = (in.get(i).sample() - in.get(i - 1).sample()) / FS;
        }
        return rr;
    }

    private static String symbols(List<TruthBeat> beats, double from, double to) {
        StringBuilder s = new StringBuilder();
        beats.stream().filter(b -> b.sample() >= from && b.sample() < to).forEach(b -> s.append(b.symbol()));
        return s.toString();
    }

    private static int indexOfSymbol(List<TruthBeat> b, String sym) {
        for (int i = 0; i < b.size(); i++) {
            if (b.get(i).symbol().equals(sym)) {
                return i;
            }
        }
        return -1;
    }
}
