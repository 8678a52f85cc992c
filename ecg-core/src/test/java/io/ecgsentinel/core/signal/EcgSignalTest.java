package io.ecgsentinel.core.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.wfdb.WfdbRecord;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

class EcgSignalTest {

    @Test
    void fromWfdbRecordKeepsNamesRateAndMillivolts() throws IOException {
        WfdbRecord r = WfdbRecord.read(DataDirs.resolve("mitdb").resolve("101.hea"));
        EcgSignal s = EcgSignal.from(r);

        assertThat(s.name()).isEqualTo("101");
        assertThat(s.samplingFrequency()).isEqualTo(360.0);
        assertThat(s.leadNames()).containsExactly("MLII", "V1");
        assertThat(s.length()).isEqualTo(r.length());
        assertThat(s.durationSeconds()).isEqualTo(r.length() / 360.0);
        // Arrays.mismatch, not AssertJ's containsExactly, which is quadratic on 650,000 samples
        assertThat(Arrays.mismatch(s.lead(1), r.millivolts(1))).isEqualTo(-1);
        assertThat(s.lead(0)).hasSize(650_000);
    }

    @Test
    void leadLookupIsTolerantOfCaseAndAliasesAndReturnsTheSharedArray() {
        float[] mlii = {1, 2};
        float[] avr = {3, 4};
        float[] v1 = {5, 6};
        EcgSignal s =
                new EcgSignal(
                        "x", 360, List.of("MLII", "AVR", "V1"), new float[][] {mlii, avr, v1});

        assertThat(s.lead("II")).isSameAs(mlii);
        assertThat(s.lead("mlii")).isSameAs(mlii);
        assertThat(s.lead("Lead II")).isSameAs(mlii);
        assertThat(s.lead("aVR")).isSameAs(avr);
        assertThat(s.lead("v1")).isSameAs(v1);
        assertThat(s.hasLead("III")).isFalse();
        assertThat(s.indexOf("V2")).isEqualTo(-1);
        assertThatThrownBy(() -> s.lead("V2"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("[MLII, AVR, V1]");
    }

    @Test
    void anExactNameWinsOverAnAlias() {
        float[] ii = {1};
        float[] mlii = {2};
        EcgSignal s = new EcgSignal("x", 250, List.of("MLII", "II"), new float[][] {mlii, ii});
        assertThat(s.lead("II")).isSameAs(ii);
        assertThat(s.lead("MLII")).isSameAs(mlii);
    }

    @Test
    void ptbxlAndCincSpellingsMeetThroughTheCanonicalName() throws IOException {
        EcgSignal ptbxl =
                EcgSignal.read(DataDirs.resolve("ptbxl").resolve("records100/00000/00001_lr.hea"));
        EcgSignal cinc = EcgSignal.read(DataDirs.resolve("cinc2021").resolve("E07500.hea"));
        assertThat(ptbxl.leadNames()).contains("AVR");
        assertThat(cinc.leadNames()).contains("aVR");
        assertThat(ptbxl.indexOf("aVR")).isEqualTo(cinc.indexOf("AVR")).isEqualTo(3);
        assertThat(EcgSignal.canonicalLeadName("D2")).isEqualTo("II");
        assertThat(EcgSignal.canonicalLeadName(" ml2 ")).isEqualTo("II");
    }

    @Test
    void inconsistentInputIsRejected() {
        assertThatThrownBy(
                        () ->
                                new EcgSignal(
                                        "x", 250, List.of("I", "II"), new float[][] {{1, 2}, {1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("II");
        assertThatThrownBy(() -> new EcgSignal("x", 250, List.of("I"), new float[][] {{1}, {1}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EcgSignal("x", 0, List.of("I"), new float[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampling frequency");
    }

    @Test
    void equalityComparesSamplesAndToStringOmitsThem() {
        EcgSignal a = new EcgSignal("x", 250, List.of("I"), new float[][] {{1, 2, 3}});
        EcgSignal b = new EcgSignal("x", 250, List.of("I"), new float[][] {{1, 2, 3}});
        EcgSignal c = new EcgSignal("x", 250, List.of("I"), new float[][] {{1, 2, 4}});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.toString()).contains("3 samples").doesNotContain("1.0");
    }
}
