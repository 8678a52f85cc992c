package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RrTrackerTest {

    @Test
    void instantaneousAndSmoothedRates() {
        RrTracker rr = new RrTracker(250);
        assertThat(rr.onBeat(1000)).isNaN();
        assertThat(rr.instantaneousBpm()).isNaN();
        assertThat(rr.smoothedBpm()).isNaN();
        assertThat(rr.onBeat(1250)).isCloseTo(1.0, within(1e-9));
        assertThat(rr.instantaneousBpm()).isCloseTo(60, within(1e-9));
        rr.onBeat(1450); // 0.8 s
        rr.onBeat(1700); // 1.0 s
        assertThat(rr.instantaneousBpm()).isCloseTo(60, within(1e-9));
        assertThat(rr.medianRrSeconds()).isCloseTo(1.0, within(1e-9));
        assertThat(rr.smoothedBpm()).isCloseTo(60, within(1e-9));
        assertThat(rr.beatCount()).isEqualTo(4);
        assertThat(rr.lastBeatSample()).isEqualTo(1700);
    }

    @Test
    void oneMissedBeatBarelyMovesTheSmoothedRate() {
        RrTracker rr = new RrTracker(100);
        long t = 0;
        for (int i = 0; i < 10; i++) {
            rr.onBeat(t);
            t += 75; // 80 bpm
        }
        rr.onBeat(t + 75); // a missed beat: one RR of 1.5 s
        assertThat(rr.instantaneousBpm()).isCloseTo(40, within(1e-9));
        assertThat(rr.smoothedBpm()).isCloseTo(80, within(1e-9));
    }

    @Test
    void noIntervalSpansABreakOrLeavesThePhysiologicalRange() {
        RrTracker rr = new RrTracker(360);
        rr.onBeat(0);
        rr.onBeat(360);
        rr.breakSequence();
        assertThat(rr.onBeat(36_000)).isNaN();
        assertThat(rr.onBeat(36_010)).isNaN(); // 28 ms: not a valid RR
        assertThat(rr.onBeat(36_010 + 360 * 7)).isNaN(); // 7 s: not a valid RR
        assertThat(rr.validIntervals()).isEqualTo(1);
        rr.reset();
        assertThat(rr.validIntervals()).isZero();
        assertThat(rr.beatCount()).isZero();
    }
}
