package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The analyzer takes a fresh signal-quality verdict only every {@code quality.interval.seconds}
 * (default 2 s), so a lead that fails must still be hidden within that interval of becoming
 * detectable, and the device's own lead-off flag must apply to the very window that carries it.
 */
class LeadQualityCadenceTest {

    private static final int FS = 250;
    private static final double FAIL_AT = 20.0;
    private static final double FLAG_AT = 30.0;

    @Test
    void aFailingLeadIsHiddenWithinTheIntervalAndADeviceFlagAtOnce() throws Exception {
        double interval = JobConfig.defaultConfig().qualityIntervalSeconds();
        assertThat(interval).isGreaterThan(1.0); // the cadence under test is not the every-hop one
        SyntheticPatient p = new SyntheticPatient("cadence", "bedside-1", 3, Scenario.parse(""), FS,
                StandardLead.ALL, 1_700_000_000_000_000L, 25);
        int ii = StandardLead.ALL.indexOf(StandardLead.II);
        int v1 = StandardLead.ALL.indexOf(StandardLead.V1);
        List<WindowAnalysis> analyses;
        try (OperatorChain c = new OperatorChain()) {
            while (p.position() < 40L * FS) {
                double t = (double) p.position() / FS;
                Frame f = OperatorChain.toFrame(p.nextFrame());
                if (t >= FAIL_AT) {
                    Arrays.fill(f.samples()[ii], 4.9f); // lead II stuck at one value (a lead at the rail)
                }
                if (t >= FLAG_AT) {
                    f.leadOff()[v1] = true; // the device reports V1 off
                }
                c.push(f);
            }
            analyses = c.analyses;
        }
        long t0 = p.startMicros();
        // a value held for 1 s (flatRunSeconds) is flat: detectable from FAIL_AT + 1 s
        double detectable = FAIL_AT + 1.0;
        for (WindowAnalysis a : analyses) {
            double end = (a.windowEndMicros() - t0) / 1e6;
            List<String> usable = List.of(a.usableLeadNames());
            if (end > 12 && end <= FAIL_AT) {
                assertThat(usable).as("window ending at %.1f s", end).contains("II", "V1");
            }
            if (end >= detectable + interval) {
                assertThat(usable).as("window ending at %.1f s", end).doesNotContain("II");
            }
            boolean flagged = end > FLAG_AT + 0.1;
            if (flagged) {
                assertThat(a.leadOffLeads()).as("window ending at %.1f s", end).contains("V1");
                assertThat(usable).doesNotContain("V1");
            } else {
                assertThat(a.leadOffLeads()).doesNotContain("V1");
            }
        }
        assertThat(analyses).hasSizeGreaterThan(30);
    }
}
