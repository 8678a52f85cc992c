package io.ecgsentinel.flink.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.models.serve.DefaultModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator replay must wire its harnesses as the job wires its operators: the decider sees the
 * watermark the model scorer emits, which the scorer holds back while windows wait for a batch. When
 * the replay handed the decider the frames' watermark directly, it ran up to a minute ahead of the
 * windows the scorer still held, the decider's quiet timer took the patient for gone, closed its open
 * alarms with "Monitoring stopped" and forgot its storm counts, and the replay reported alarms the
 * job does not raise (MIT-BIH 203: 11 VT false alarms against the demo's 6).
 */
class ReplayScoreTest {

    @Test
    void theDeciderKeepsAPatientWhoseWindowsWaitInTheScorer() throws Exception {
        EcgSignal full = EcgSignal.read(DataDirs.resolve("mitdb").resolve("203.hea"));
        int n = (int) Math.round(240 * full.samplingFrequency());
        float[][] mv = Arrays.stream(full.millivolts()).map(l -> Arrays.copyOf(l, n)).toArray(float[][]::new);
        EcgSignal sig = new EcgSignal(full.name(), full.samplingFrequency(), full.leadNames(), mv);
        ModelInfo model = ModelInfo.resolve(JobConfig.fromMap(Map.of("model.dir", DefaultModel.path().toString())));

        List<AlertEvent> alerts = ReplayScore.run(JobConfig.fromMap(Map.of()), model, "203", sig);

        // 203 opens with atrial fibrillation: its alarm is raised within the first 30 s and stays open
        assertThat(alerts).anyMatch(a -> a.type().equals("ATRIAL_FIBRILLATION") && a.state().equals("RAISED"));
        assertThat(alerts).noneMatch(a -> a.text().startsWith("Monitoring stopped"));
    }
}
