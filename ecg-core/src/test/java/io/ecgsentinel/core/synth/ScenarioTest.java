package io.ecgsentinel.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void parsesAndPrintsTheTextFormat() {
        Scenario s = Scenario.parse("""
                # a comment
                hr 72
                at 20s PVC
                at 1m VT for 15s rate=180   # trailing comment
                at 2m30s LEAD_OFF for 5s leads=V1,V2 mode=rail
                at 90 AF for 20s
                """);
        assertThat(s.heartRate()).isEqualTo(72);
        assertThat(s.events()).extracting(ScheduledEvent::type)
                .containsExactly(EventType.PVC, EventType.VT, EventType.AFIB, EventType.LEAD_OFF);
        ScheduledEvent vt = s.events().get(1);
        assertThat(vt.startSeconds()).isEqualTo(60);
        assertThat(vt.durationSeconds()).isEqualTo(15);
        assertThat(vt.rate()).isEqualTo(180);
        assertThat(s.events().get(3).leads(null)).containsExactly(StandardLead.V1, StandardLead.V2);
        assertThat(Scenario.parse(s.toText())).isEqualTo(s);
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> Scenario.parse("at 5s PVC\nat 10s VT for 5s rate=90"))
                .hasMessageContaining("line 2").hasMessageContaining("rate 90");
        assertThatThrownBy(() -> Scenario.parse("at 10s VT"))
                .hasMessageContaining("needs a duration");
        assertThatThrownBy(() -> Scenario.parse("at 10s WOBBLE for 5s"))
                .hasMessageContaining("unknown event type 'WOBBLE'");
        assertThatThrownBy(() -> Scenario.parse("at 10s VT for 5s colour=red"))
                .hasMessageContaining("unknown parameter 'colour'");
        assertThatThrownBy(() -> Scenario.parse("at 10s VT for 20s\nat 20s AFIB for 5s"))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> Scenario.parse("at soon PVC")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void durations() {
        assertThat(Durations.parseSeconds("60s")).isEqualTo(60);
        assertThat(Durations.parseSeconds("5m")).isEqualTo(300);
        assertThat(Durations.parseSeconds("1h30m")).isEqualTo(5400);
        assertThat(Durations.parseSeconds("250ms")).isEqualTo(0.25);
        assertThat(Durations.parseSeconds("12.5")).isEqualTo(12.5);
        assertThat(Durations.format(300)).isEqualTo("5m");
        assertThat(Durations.format(0.25)).isEqualTo("250ms");
        assertThat(Durations.format(12.5)).isEqualTo("12.5s");
        assertThatThrownBy(() -> Durations.parseSeconds("5 parsecs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parseSeconds("-3s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPresetBuildsAndRuns() {
        for (String name : Scenarios.NAMES) {
            for (long seed = 0; seed < 5; seed++) {
                Scenario s = Scenarios.preset(name, 120, seed);
                assertThat(s.lastEventEnd()).as(name).isLessThanOrEqualTo(120 + 60);
                EcgSynthesizer g = EcgSynthesizer.builder().seed(seed).sampleRate(250).scenario(s).build();
                float[][] x = g.next(250 * 120);
                for (float[] lead : x) {
                    for (float v : lead) {
                        assertThat(Float.isFinite(v)).isTrue();
                    }
                }
            }
        }
        assertThatThrownBy(() -> Scenarios.preset("disco", 60, 1)).hasMessageContaining("unknown preset 'disco'")
                .hasMessageContaining("vt");
    }

    @Test
    void leadLists() {
        assertThat(StandardLead.parseList("all")).hasSize(12);
        assertThat(StandardLead.parseList("II, avf ,V6")).containsExactly(StandardLead.II, StandardLead.AVF, StandardLead.V6);
        assertThatThrownBy(() -> StandardLead.parseList("II,V7")).hasMessageContaining("unknown lead 'V7'");
    }
}
