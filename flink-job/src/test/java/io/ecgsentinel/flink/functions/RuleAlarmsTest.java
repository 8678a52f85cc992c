package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.records.AlertEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule alarms end to end through the keyed operators (buffer, analyzer, decider) on synthetic patients
 * with exactly known events: the right alarm within 10 s of onset (event time), and nothing else.
 */
class RuleAlarmsTest {

    static final long T0 = 1_750_000_000_000_000L;

    static List<AlertEvent> run(String scenario, long seed, double seconds, int fs) throws Exception {
        SyntheticPatient p = new SyntheticPatient("patient-" + seed, "bedside-1", seed, Scenario.parse(scenario), fs,
                StandardLead.ALL, T0, fs / 4);
        try (OperatorChain c = new OperatorChain()) {
            c.run(p, seconds);
            return c.alerts;
        }
    }

    static List<AlertEvent> raised(List<AlertEvent> a) {
        return a.stream().filter(x -> x.state().equals("RAISED")).toList();
    }

    static void print(String what, List<AlertEvent> alerts) {
        for (AlertEvent a : alerts) {
            System.out.printf("%s: %s %s %s onset=%.1f span=[%.1f, %.1f] %s%n", what, a.state(), a.type(), a.priority(),
                    (a.onsetTimeMicros() - T0) / 1e6, (a.spanStartMicros() - T0) / 1e6, (a.spanEndMicros() - T0) / 1e6,
                    a.text());
        }
    }

    static void assertRaisedWithin(List<AlertEvent> alerts, String type, double onsetSeconds, double maxDelay) {
        List<AlertEvent> r = raised(alerts).stream().filter(a -> a.type().equals(type)).toList();
        assertThat(r).as(type + " raised").isNotEmpty();
        double at = (r.get(0).spanEndMicros() - T0) / 1e6;
        assertThat(at - onsetSeconds).as(type + " delay (s)").isLessThanOrEqualTo(maxDelay).isGreaterThan(-1.0);
    }

    @Test
    void ventricularTachycardiaIsRaisedWithinTenSeconds() throws Exception {
        List<AlertEvent> a = run("at 40s VT for 15s rate=170", 11, 70, 250);
        print("vt", a);
        assertRaisedWithin(a, "VENTRICULAR_TACHYCARDIA", 40, 10);
        assertThat(raised(a)).extracting(AlertEvent::type).isSubsetOf("VENTRICULAR_TACHYCARDIA", "VENTRICULAR_RUN");
        assertThat(a).filteredOn(x -> x.type().equals("VENTRICULAR_TACHYCARDIA")).extracting(AlertEvent::state)
                .contains("CLEARED");
    }

    @Test
    void asystoleIsRaisedWithinTenSeconds() throws Exception {
        List<AlertEvent> a = run("at 40s ASYSTOLE for 10s pwaves=on", 12, 70, 250);
        print("asys", a);
        assertRaisedWithin(a, "ASYSTOLE", 40, 10);
        assertThat(raised(a)).extracting(AlertEvent::type).containsOnly("ASYSTOLE");
    }

    @Test
    void extremeBradycardiaIsRaisedWithinTenSeconds() throws Exception {
        List<AlertEvent> a = run("at 40s BRADY for 30s rate=33", 13, 80, 250);
        print("brady", a);
        assertRaisedWithin(a, "EXTREME_BRADYCARDIA", 40, 10);
        assertThat(raised(a)).extracting(AlertEvent::type).containsOnly("EXTREME_BRADYCARDIA");
    }

    @Test
    void normalSinusRhythmRaisesNothingOverTenMinutes() throws Exception {
        List<AlertEvent> a = run("", 14, 600, 250);
        print("normal", a);
        assertThat(a).isEmpty();
    }
}
