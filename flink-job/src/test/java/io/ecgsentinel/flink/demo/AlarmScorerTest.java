package io.ecgsentinel.flink.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.demo.AlarmScorer.Kind;
import io.ecgsentinel.flink.demo.AlarmScorer.Raised;
import io.ecgsentinel.flink.demo.AlarmScorer.Truth;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmScorerTest {

    static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void hitsMissesFalseAlarmsAndShortEpisodesFollowTheDefinitions() {
        List<Truth> truth = List.of(
                new Truth("a", Kind.VENTRICULAR_TACHYCARDIA, 100, 110, true, EnumSet.of(Kind.EXTREME_TACHYCARDIA), "VT"),
                new Truth("a", Kind.VENTRICULAR_TACHYCARDIA, 300, 301, false, EnumSet.noneOf(Kind.class), "VT 3 beats"),
                new Truth("b", Kind.ASYSTOLE, 50, 60, true, EnumSet.noneOf(Kind.class), "ASYS"),
                new Truth("c", Kind.ATRIAL_FIBRILLATION, 200, 400, true, EnumSet.noneOf(Kind.class), "AFIB"));
        List<Raised> alarms = List.of(
                new Raised("a", "VENTRICULAR_TACHYCARDIA", 103.5, 100, 115), // hit, 3.5 s
                new Raised("a", "EXTREME_TACHYCARDIA", 106, 100, 112), // inside VT: excused
                new Raised("a", "VENTRICULAR_TACHYCARDIA", 300.5, 300, 305), // short run: neither
                new Raised("a", "VENTRICULAR_TACHYCARDIA", 500, 499, 505), // false alarm
                new Raised("c", "ATRIAL_FIBRILLATION", 150, 140, INF), // active when the episode began: hit, 0 s
                new Raised("b", "VENTRICULAR_RUN", 55, 55, 56)); // informational, not scored
        AlarmScorer s = new AlarmScorer(truth, alarms);
        assertThat(s.tp()).isEqualTo(2);
        assertThat(s.fp()).isEqualTo(1);
        assertThat(s.fn()).isEqualTo(1); // the asystole
        assertThat(s.rows().get(Kind.VENTRICULAR_TACHYCARDIA).delays()).containsExactly(3.5);
        assertThat(s.alarmsLine()).isEqualTo("ALARMS TP=2 FP=1 FN=1 MEDIAN_DELAY_S=1.8 MAX_DELAY_S=3.5");
        String[] lines = s.table().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo(s.alarmsLine());
    }
}
