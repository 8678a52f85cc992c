package io.ecgsentinel.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.dsp.StreamingResampler;
import io.ecgsentinel.core.dsp.TestSignals;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each flag fires on a signal built to have that problem (from a real clean segment, so that
 * nothing else is wrong with it), stays quiet on clean MIT-BIH segments, and the index ranks the
 * noise-stress records below their clean original.
 */
class SignalQualityTest {

    private static final int FS = 360;
    /** 10 s of mitdb/205 MLII from 60 s on: a clean lead (no flag in any window of the record). */
    private static final float[] CLEAN = Arrays.copyOfRange(TestSignals.lead("mitdb", "205", 0, 70), 60 * FS, 70 * FS);

    private final SignalQuality sq = new SignalQuality(FS);

    private static void assertClean(LeadQuality q) {
        assertThat(q.anyFlag()).as("%s", q).isFalse();
        assertThat(q.usable()).as("%s", q).isTrue();
        assertThat(q.index()).as("%s", q).isGreaterThan(0.8);
    }

    @Test
    void cleanMitBihSegmentsRaiseNoFlag() {
        // Lead 0 (MLII) of DS1 records without known noise problems; every 10 s window of the
        // first five minutes.
        for (String rec : List.of("112", "115", "122", "205", "215", "220", "230")) {
            float[] x = TestSignals.lead("mitdb", rec, 0, 300);
            for (int s = 0; s + 10 * FS <= x.length; s += 10 * FS) {
                LeadQuality q = sq.assess(Arrays.copyOfRange(x, s, s + 10 * FS));
                assertThat(q.anyFlag()).as("mitdb/%s at %d s: %s", rec, s / FS, q).isFalse();
                assertThat(q.usable()).as("mitdb/%s at %d s: %s", rec, s / FS, q).isTrue();
            }
        }
        assertClean(sq.assess(CLEAN));
    }

    @Test
    void flatLineIsFlatAndUnusable() {
        LeadQuality q = sq.assess(TestSignals.noise(1, 10 * FS, 0.002, 0.3));
        assertThat(q.flat()).isTrue();
        assertThat(q.clipped()).isFalse();
        assertThat(q.index()).isZero();
        assertThat(q.usable()).isFalse();
    }

    @Test
    void aValueHeldForOverASecondIsFlat() {
        // A stuck ADC / dropped lead that holds its last value for 1.5 s inside a normal window.
        float[] x = CLEAN.clone();
        Arrays.fill(x, 4 * FS, 4 * FS + (int) (1.5 * FS), x[4 * FS - 1]);
        LeadQuality q = sq.assess(x);
        assertThat(q.flat()).isTrue();
        assertThat(q.flatSeconds()).isGreaterThanOrEqualTo(1.5);
        assertThat(q.usable()).isFalse();
    }

    @Test
    void clippedPeaksAreClipped() {
        float[] x = CLEAN.clone();
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        float rail = 0.5f * max;
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(x[i], rail);
        }
        LeadQuality q = sq.assess(x);
        assertThat(q.clipped()).as("%s", q).isTrue();
        assertThat(q.flat()).isFalse();
        assertThat(q.leadOff()).isFalse();
        assertThat(q.index()).isLessThan(sq.assess(CLEAN).index());
        // With the ADC rails known, the samples at the rail count too.
        LeadQuality withRails = sq.assess(x, 0, x.length, false, -rail, rail);
        assertThat(withRails.clipped()).isTrue();
        assertThat(withRails.clippedFraction()).isGreaterThanOrEqualTo(q.clippedFraction());
    }

    @Test
    void leadOffFromDeviceFlagNanRunsDcOffsetOrFlatRail() {
        assertThat(sq.assess(CLEAN, true).leadOff()).isTrue();
        assertThat(sq.assess(CLEAN, true).usable()).isFalse();

        float[] gap = CLEAN.clone();
        Arrays.fill(gap, 2 * FS, 2 * FS + (int) (1.2 * FS), Float.NaN);
        LeadQuality g = sq.assess(gap);
        assertThat(g.leadOff()).isTrue();
        assertThat(g.nanFraction()).isGreaterThan(0.1);

        // A short gap is only missing data: lower index, still usable.
        float[] blip = CLEAN.clone();
        Arrays.fill(blip, 2 * FS, 2 * FS + 20, Float.NaN);
        LeadQuality b = sq.assess(blip);
        assertThat(b.leadOff()).isFalse();
        assertThat(b.usable()).isTrue();
        assertThat(b.index()).isLessThan(sq.assess(CLEAN).index());

        float[] offset = CLEAN.clone();
        for (int i = 0; i < offset.length; i++) {
            offset[i] += 120f;
        }
        assertThat(sq.assess(offset).leadOff()).isTrue();

        float[] atRail = new float[10 * FS];
        Arrays.fill(atRail, 5.115f);
        LeadQuality r = sq.assess(atRail, 0, atRail.length, false, -5.12, 5.115);
        assertThat(r.leadOff()).isTrue();
        assertThat(r.flat()).isTrue();
        // The same flat line without known rails is flat, not provably lead-off.
        assertThat(sq.assess(atRail).leadOff()).isFalse();
    }

    @Test
    void broadbandAndMainsNoiseIsNoisy() {
        Random rnd = new Random(3);
        float[] emg = CLEAN.clone();
        float[] mains = CLEAN.clone();
        for (int i = 0; i < emg.length; i++) {
            emg[i] += (float) (0.15 * rnd.nextGaussian());
            mains[i] += (float) (0.3 * Math.sin(2 * Math.PI * 60 * i / FS));
        }
        for (float[] x : List.of(emg, mains)) {
            LeadQuality q = sq.assess(x);
            assertThat(q.noisy()).as("%s", q).isTrue();
            assertThat(q.flat() || q.leadOff() || q.clipped()).isFalse();
            assertThat(q.index()).isLessThan(0.5);
            assertThat(q.usable()).isFalse();
        }
    }

    @Test
    void baselineDriftIsFlaggedButAloneKeepsTheLeadUsable() {
        float[] x = CLEAN.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (2.0 * Math.sin(2 * Math.PI * 0.15 * i / FS));
        }
        LeadQuality q = sq.assess(x);
        assertThat(q.baselineDrift()).as("%s", q).isTrue();
        assertThat(q.driftMv()).isGreaterThan(2.0);
        assertThat(q.noisy() || q.flat() || q.leadOff() || q.clipped()).isFalse();
        assertThat(q.index()).isLessThan(sq.assess(CLEAN).index()).isGreaterThanOrEqualTo(0.5);
        assertThat(q.usable()).isTrue();
    }

    @ParameterizedTest(name = "fs {0} Hz")
    @ValueSource(ints = {100, 250, 500, 1000})
    void worksOnShortWindowsAtOtherRates(int fs) {
        float[] base = new StreamingResampler(FS, fs).process(CLEAN);
        // Two seconds, after the resampler's start.
        float[] clean = Arrays.copyOfRange(base, fs, 3 * fs);
        SignalQuality q = new SignalQuality(fs);
        assertClean(q.assess(clean));
        assertThat(q.assess(TestSignals.noise(2, 2 * fs, 0.001, -0.4)).flat()).isTrue();
        float[] noisy = clean.clone();
        Random rnd = new Random(fs);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.2 * rnd.nextGaussian());
        }
        LeadQuality n = q.assess(noisy);
        assertThat(n.index()).isLessThan(q.assess(clean).index());
        assertThat(n.noisy()).as("%s", n).isTrue();
    }

    @Test
    void highFrequencyNoiseIsNotMeasuredWhenNyquistIsBelowTheEdge() {
        // At 80 Hz there is no band above 40 Hz: the ratio is NaN and does not lower the index.
        float[] clean = Arrays.copyOfRange(new StreamingResampler(FS, 80).process(CLEAN), 80, 720);
        LeadQuality q = new SignalQuality(80).assess(clean);
        assertThat(q.hfNoiseRatio()).isNaN();
        assertThat(q.noisy()).isFalse();
        assertThat(q.usable()).isTrue();
    }

    @Test
    void sameWindowSameVerdict() {
        // Scratch buffers are reused between calls; a call in between must not leak into the next.
        LeadQuality first = sq.assess(CLEAN);
        sq.assess(TestSignals.noise(5, 20 * FS, 1, 3));
        assertThat(sq.assess(CLEAN)).isEqualTo(first);
    }

    @Test
    void noiseStressRecordsScoreBelowTheirCleanOriginal() {
        // nstdb/118e24 and 118e12 are mitdb/118 plus electrode-motion noise at 24 and 12 dB SNR,
        // in alternating 2-minute segments from minute 5 on. Compare 10 s windows inside the noisy
        // segments (300-420 s, 540-660 s, ...), lead by lead.
        for (int lead = 0; lead < 2; lead++) {
            double clean = meanIndexInNoisySegments("mitdb", "118", lead);
            double e24 = meanIndexInNoisySegments("nstdb", "118e24", lead);
            double e12 = meanIndexInNoisySegments("nstdb", "118e12", lead);
            assertThat(e24).as("lead %d", lead).isLessThan(clean);
            assertThat(e12).as("lead %d", lead).isLessThan(e24);
            // A different clean record scores above the noisy one too.
            assertThat(e24).as("lead %d", lead).isLessThan(meanIndexInNoisySegments("mitdb", "205", 0));
        }
    }

    @Test
    void nstdbDcShiftIsNotLeadOff() {
        // The nstdb records here sit 5.12 mV below mitdb/118 (their header baseline is 1024 but
        // their samples are stored around 0): a DC shift that must not read as lead-off.
        float[] x = TestSignals.lead("nstdb", "118e24", 0, 60);
        LeadQuality q = sq.assess(Arrays.copyOfRange(x, 0, 10 * FS));
        assertThat(q.dcOffsetMv()).isLessThan(-4.0);
        assertThat(q.leadOff()).isFalse();
        assertThat(q.usable()).isTrue();
    }

    private double meanIndexInNoisySegments(String dataset, String record, int lead) {
        float[] x = TestSignals.lead(dataset, record, lead, 1620);
        double sum = 0;
        int n = 0;
        for (int seg = 300; seg < 1620; seg += 240) {
            for (int s = seg; s < seg + 120; s += 10) {
                sum += sq.assess(Arrays.copyOfRange(x, s * FS, (s + 10) * FS)).index();
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void summaryRanksLeadsAndPicksTheBest() {
        float[] flat = TestSignals.noise(1, 10 * FS, 0.001, 0.0);
        float[] noisy = CLEAN.clone();
        Random rnd = new Random(4);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.05 * rnd.nextGaussian());
        }
        QualitySummary s = sq.assessAll(new float[][] {flat, noisy, CLEAN}, null);
        assertThat(s.anyUsable()).isTrue();
        assertThat(s.bestLead()).isEqualTo(2);
        assertThat(s.ranking()).containsExactly(2, 1, 0);
        assertThat(s.usableLeads()).containsExactly(2, 1);

        QualitySummary off = sq.assessAll(new float[][] {CLEAN, flat}, new boolean[] {true, false});
        assertThat(off.anyUsable()).isFalse();
        assertThat(off.bestLead()).isEqualTo(-1);
        assertThat(off.usableLeads()).isEmpty();
    }
}
