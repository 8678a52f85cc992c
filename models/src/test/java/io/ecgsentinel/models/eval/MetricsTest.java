package io.ecgsentinel.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rocAucMatchesPairCounting() {
        double[] s = {0.1, 0.4, 0.35, 0.8, 0.5, 0.5};
        boolean[] y = {false, false, true, true, true, false};
        // pairs (pos, neg): 0.35>0.1 yes, 0.35>0.4 no, 0.35>0.5 no; 0.8 beats all 3; 0.5 vs 0.1 yes, 0.4 yes, 0.5 tie
        assertThat(Metrics.rocAuc(s, y)).isCloseTo((1 + 3 + 2.5) / 9.0, within(1e-12));
    }

    @Test
    void perfectAndInvertedRankings() {
        double[] s = {0.1, 0.2, 0.8, 0.9};
        assertThat(Metrics.rocAuc(s, new boolean[] {false, false, true, true})).isEqualTo(1.0);
        assertThat(Metrics.rocAuc(s, new boolean[] {true, true, false, false})).isEqualTo(0.0);
        assertThat(Metrics.prAuc(s, new boolean[] {false, false, true, true})).isEqualTo(1.0);
        assertThat(Metrics.rocAuc(s, new boolean[] {false, false, false, false})).isNaN();
    }

    @Test
    void binaryCounts() {
        Metrics.Binary b = Metrics.binary(new double[] {0.9, 0.6, 0.4, 0.2}, new boolean[] {true, false, true, false}, 0.5);
        assertThat(b.tp()).isEqualTo(1);
        assertThat(b.fp()).isEqualTo(1);
        assertThat(b.fn()).isEqualTo(1);
        assertThat(b.tn()).isEqualTo(1);
        assertThat(b.f1()).isCloseTo(0.5, within(1e-12));
    }
}
