package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.qrs.BeatMatcher.BeatMatch;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EC57/bxb beat-by-beat matching on hand-made reference and test beats. */
class BeatMatcherTest {

    private static final double FS = 360; // 150 ms = 54 samples exactly
    private static final long LEN = 1_000_000;

    private static Annotation ann(long sample, String symbol) {
        return new Annotation(sample, AnnotationCodes.code(symbol), 0, 0, 0, "");
    }

    private static List<Annotation> beats(long... samples) {
        List<Annotation> out = new ArrayList<>();
        for (long s : samples) {
            out.add(ann(s, "N"));
        }
        return out;
    }

    @Test
    void theMatchWindowIs150msInclusive() {
        assertThat(BeatMatcher.matchWindowSamples(360)).isEqualTo(54);
        assertThat(BeatMatcher.matchWindowSamples(250)).isEqualTo(38); // 37.5 rounds up
        assertThat(BeatMatcher.matchWindowSamples(1000)).isEqualTo(150);

        BeatMatch exactlyAfter = BeatMatcher.match(beats(1000), new long[] {1054}, FS, LEN);
        assertThat(exactlyAfter.truePositives()).isEqualTo(1);
        BeatMatch exactlyBefore = BeatMatcher.match(beats(1000), new long[] {946}, FS, LEN);
        assertThat(exactlyBefore.truePositives()).isEqualTo(1);

        BeatMatch oneTooLate = BeatMatcher.match(beats(1000), new long[] {1055}, FS, LEN);
        assertThat(oneTooLate.truePositives()).isZero();
        assertThat(oneTooLate.falseNegatives()).containsExactly(1000);
        assertThat(oneTooLate.falsePositives()).containsExactly(1055);
        BeatMatch oneTooEarly = BeatMatcher.match(beats(1000), new long[] {945}, FS, LEN);
        assertThat(oneTooEarly.fn()).isEqualTo(1);
        assertThat(oneTooEarly.fp()).isEqualTo(1);
    }

    @Test
    void countsTruePositivesMissesAndExtras() {
        BeatMatch m = BeatMatcher.match(beats(1000, 1300, 1600, 1900), new long[] {1003, 1450, 1598, 1905, 2500},
                FS, LEN);
        assertThat(m.referenceBeats()).isEqualTo(4);
        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falseNegatives()).containsExactly(1300);
        assertThat(m.falsePositives()).containsExactly(1450, 2500);
        assertThat(m.sensitivity()).isEqualTo(75.0);
        assertThat(m.positivePredictivity()).isEqualTo(60.0);
    }

    @Test
    void eachBeatPairsOnceWithTheCloserCandidate() {
        // two detections around one reference beat: the closer one matches, the other is extra
        BeatMatch m = BeatMatcher.match(beats(1000), new long[] {960, 1010}, FS, LEN);
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.falsePositives()).containsExactly(960);
        // two reference beats around one detection: the closer one matches, the other is missed
        BeatMatch r = BeatMatcher.match(beats(1000, 1060), new long[] {1050}, FS, LEN);
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falseNegatives()).containsExactly(1000);
    }

    @Test
    void onlyBeatAnnotationsAreReference() {
        List<Annotation> ref = new ArrayList<>(beats(1000));
        ref.add(ann(2000, "+"));
        ref.add(ann(3000, "~"));
        ref.add(ann(4000, "|")); // isolated QRS-like artifact: not a beat
        ref.add(ann(5000, "x")); // blocked P wave: not a beat
        ref.add(ann(6000, "V"));
        ref.add(ann(7000, "Q"));
        BeatMatch m = BeatMatcher.match(ref, new long[] {1000, 4000, 6000, 7000}, FS, LEN);
        assertThat(m.referenceBeats()).isEqualTo(3);
        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falsePositives()).containsExactly(4000);
    }

    @Test
    void ventricularFlutterEpisodesAreExcluded() {
        List<Annotation> ref = new ArrayList<>(beats(1000));
        ref.add(ann(2000, "["));
        ref.add(ann(2100, "!"));
        ref.add(ann(2200, "N")); // inside VF: skipped, as bxb does
        ref.add(ann(2400, "]"));
        ref.add(ann(3000, "N"));
        BeatMatch m = BeatMatcher.match(ref, new long[] {1000, 2000, 2150, 2400, 3000}, FS, LEN);
        assertThat(m.referenceBeats()).isEqualTo(2);
        assertThat(m.truePositives()).isEqualTo(2);
        assertThat(m.fp()).isZero();
        assertThat(m.ignoredInVf()).isEqualTo(3); // 2000 and 2400 are inside (inclusive)
        // just outside the episode counts again
        BeatMatch edge = BeatMatcher.match(ref, new long[] {1000, 2401, 3000}, FS, LEN);
        assertThat(edge.falsePositives()).containsExactly(2401);
    }

    @Test
    void anUnterminatedEpisodeRunsToTheEnd() {
        List<Annotation> ref = new ArrayList<>(beats(1000));
        ref.add(ann(2000, "["));
        ref.add(ann(5000, "N"));
        BeatMatch m = BeatMatcher.match(ref, new long[] {1000, 6000}, FS, LEN);
        assertThat(m.referenceBeats()).isEqualTo(1);
        assertThat(m.fp()).isZero();
    }

    @Test
    void unreadableSegmentsStillCountAsBxbDoes() {
        List<Annotation> ref = new ArrayList<>(beats(1000));
        ref.add(new Annotation(1500, AnnotationCodes.NOISE, -1, 0, 0, "")); // both signals unreadable
        ref.add(ann(2000, "N"));
        ref.add(new Annotation(2500, AnnotationCodes.NOISE, 0, 0, 0, ""));
        BeatMatch m = BeatMatcher.match(ref, new long[] {1000, 1800}, FS, LEN);
        assertThat(m.falseNegatives()).containsExactly(2000);
        assertThat(m.falsePositives()).containsExactly(1800);
    }

    @Test
    void detectionsBeyondTheRecordAndEmptyInputs() {
        BeatMatch m = BeatMatcher.match(beats(100), new long[] {100, 5000}, FS, 1000);
        assertThat(m.fp()).isZero();
        BeatMatch none = BeatMatcher.match(List.of(), new long[0], FS, LEN);
        assertThat(none.sensitivity()).isEqualTo(100.0);
        assertThat(none.positivePredictivity()).isEqualTo(100.0);
        BeatMatch unsorted = BeatMatcher.match(beats(100, 400), new long[] {402, 99}, FS, LEN);
        assertThat(unsorted.truePositives()).isEqualTo(2);
    }
}
