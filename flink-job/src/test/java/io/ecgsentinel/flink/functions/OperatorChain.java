package io.ecgsentinel.flink.functions;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.job.EcgPipeline;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The keyed part of the pipeline as three operator harnesses in a row (buffer, analyzer, decider),
 * fed frame by frame with a watermark after each, for rule and decider tests without a cluster.
 */
final class OperatorChain implements AutoCloseable {

    final KeyedOneInputStreamOperatorTestHarness<String, Frame, AnalysisWindow> buffer;
    final KeyedOneInputStreamOperatorTestHarness<String, AnalysisWindow, WindowAnalysis> analyzer;
    final KeyedOneInputStreamOperatorTestHarness<String, WindowAnalysis, AlertEvent> decider;
    final List<WindowAnalysis> analyses = new ArrayList<>();
    final List<AlertEvent> alerts = new ArrayList<>();
    private int windowsSeen;
    private int analysesSeen;
    private int alertsSeen;

    OperatorChain() throws Exception {
        this(null);
    }

    OperatorChain(java.util.Map<String, String> preprocessing) throws Exception {
        buffer = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FrameBuffer(10, 1, 60, 3),
                new EcgPipeline.FramePatient(), Types.STRING);
        analyzer = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WindowAnalyzer(preprocessing, 60,
                JobConfig.defaultConfig().qualityIntervalSeconds()),
                new EcgPipeline.WindowPatient(), Types.STRING);
        decider = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new AlertDecider(1, 6, 600, 60, null, null),
                new EcgPipeline.AnalysisPatient(), Types.STRING);
        buffer.open();
        analyzer.open();
        decider.open();
    }

    static Frame toFrame(EcgFrame f) {
        float[][] mv = EcgFrames.decodeMillivolts(f);
        boolean[] off = new boolean[f.getLeads().size()];
        for (int k = 0; k < off.length; k++) {
            off[k] = f.getLeadOff().get(k);
        }
        return new Frame(f.getPatientId(), f.getDeviceId(), f.getSequence(), f.getFirstSampleTimeMicros(),
                f.getSampleRateHz(), f.getLeads().toArray(new String[0]), mv, off, 0L, "t", 0, f.getSequence(),
                new byte[0]);
    }

    void push(Frame f) throws Exception {
        long ts = Math.floorDiv(f.endTimeMicros(), 1000);
        buffer.processElement(f, ts);
        buffer.processWatermark(ts - 1);
        drain(ts - 1);
    }

    void finish(long watermark) throws Exception {
        buffer.processWatermark(watermark);
        drain(watermark);
    }

    private void drain(long wm) throws Exception {
        List<AnalysisWindow> w = buffer.extractOutputValues();
        for (int i = windowsSeen; i < w.size(); i++) {
            analyzer.processElement(w.get(i), w.get(i).endMicros() / 1000);
        }
        windowsSeen = w.size();
        List<WindowAnalysis> a = analyzer.extractOutputValues();
        for (int i = analysesSeen; i < a.size(); i++) {
            decider.processElement(a.get(i), a.get(i).windowEndMicros() / 1000);
            analyses.add(a.get(i));
        }
        analysesSeen = a.size();
        analyzer.processWatermark(wm);
        decider.processWatermark(wm);
        List<AlertEvent> al = decider.extractOutputValues();
        for (int i = alertsSeen; i < al.size(); i++) {
            alerts.add(al.get(i));
        }
        alertsSeen = al.size();
    }

    /** Runs a synthetic patient for {@code seconds}. */
    void run(SyntheticPatient p, double seconds) throws Exception {
        long total = Math.round(seconds * p.sampleRate());
        while (p.position() < total) {
            push(toFrame(p.nextFrame()));
        }
    }

    @Override
    public void close() throws Exception {
        buffer.close();
        analyzer.close();
        decider.close();
    }
}
