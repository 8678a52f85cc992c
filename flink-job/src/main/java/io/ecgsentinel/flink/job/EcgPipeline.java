package io.ecgsentinel.flink.job;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.functions.AlertDecider;
import io.ecgsentinel.flink.functions.DecodeAndValidate;
import io.ecgsentinel.flink.functions.FrameBuffer;
import io.ecgsentinel.flink.functions.ModelScorer;
import io.ecgsentinel.flink.functions.WindowAnalyzer;
import io.ecgsentinel.flink.records.AlertEvent;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.flink.records.WindowAnalysis;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Assembles the job: source, decode+validate, event-time watermarks, keyed frame buffer, window
 * analysis (ecg-core), the LSTM scorer (optional), the alert decider, and the sinks. It takes the
 * source and one consumer per output, so tests pass a bounded source and collecting sinks while
 * {@link EcgAnomalyJob} passes Kafka. Every stateful operator has a stable uid.
 */
public final class EcgPipeline {

    public static final String UID_SOURCE = "frames-source";
    public static final String UID_DECODE = "decode-validate";
    public static final String UID_BUFFER = "frame-buffer";
    public static final String UID_ANALYZER = "window-analyzer";
    public static final String UID_MODEL = "lstm-scorer";
    public static final String UID_DECIDER = "alert-decider";
    public static final String UID_DEAD_LETTERS = "dead-letters-union";

    private EcgPipeline() {}

    /**
     * Builds the pipeline on {@code env}.
     *
     * @param model the model to serve, or null for rule alarms only ({@code model.enabled=false})
     */
    public static void build(StreamExecutionEnvironment env, JobConfig cfg, ModelInfo model,
            Source<RawFrame, ?, ?> frames, Consumer<DataStream<AlertEvent>> alerts,
            Consumer<DataStream<DeadLetterEvent>> deadLetters) {
        build(env, cfg, model, frames, alerts, deadLetters, null);
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, JobConfig, ModelInfo, Source, Consumer, Consumer)},
     * and hands the stream of analysed (and, with a model, scored) windows, one per patient and hop,
     * to {@code scoredWindows} when it is not null (the bench measures end-to-end latency on it).
     */
    public static void build(StreamExecutionEnvironment env, JobConfig cfg, ModelInfo model,
            Source<RawFrame, ?, ?> frames, Consumer<DataStream<AlertEvent>> alerts,
            Consumer<DataStream<DeadLetterEvent>> deadLetters, Consumer<DataStream<WindowAnalysis>> scoredWindows) {
        // event time = the device's sample clock (a frame's timestamp is the time just after its last
        // sample), assigned in the source so that watermarks are tracked per Kafka partition
        WatermarkStrategy<RawFrame> wm = WatermarkStrategy
                .<RawFrame>forBoundedOutOfOrderness(Duration.ofMillis(cfg.outOfOrdernessMillis()))
                .withTimestampAssigner(new RawFrameTimestamps())
                .withIdleness(Duration.ofMillis(cfg.idlenessMillis()));
        DataStream<RawFrame> raw = env.fromSource(frames, wm, "frames").uid(UID_SOURCE);

        SingleOutputStreamOperator<Frame> decoded = raw.process(new DecodeAndValidate())
                .uid(UID_DECODE).name("decode and validate");
        DataStream<Frame> timed = decoded;

        SingleOutputStreamOperator<AnalysisWindow> windows = timed.keyBy(new FramePatient())
                .process(new FrameBuffer(cfg.windowSeconds(), cfg.hopSeconds(), cfg.quietSeconds(),
                        cfg.outOfOrdernessMillis() / 1000.0 + cfg.hopSeconds()))
                .uid(UID_BUFFER).name("frame buffer");

        // the frame buffer's output is already partitioned by patient: re-keying it would ship every
        // 10 s window through the network stack (serialized) for nothing. Reinterpreting keeps the
        // buffer, analyzer, scorer and decider in one chained task (measured with ./ecg bench)
        DataStream<WindowAnalysis> analysed = DataStreamUtils.reinterpretAsKeyedStream(windows, new WindowPatient())
                .process(new WindowAnalyzer(model == null ? null : model.preprocessing(), cfg.quietSeconds(),
                        cfg.qualityIntervalSeconds()))
                .uid(UID_ANALYZER).name("qrs, quality, features");

        if (model != null) {
            analysed = analysed.transform("lstm scorer", TypeInformation.of(WindowAnalysis.class),
                    new ModelScorer(model.directory(), cfg.modelBatchSize(), cfg.modelMaxWaitMillis()))
                    .uid(UID_MODEL);
        }

        DataStream<AlertEvent> decided = DataStreamUtils.reinterpretAsKeyedStream(analysed, new AnalysisPatient())
                .process(new AlertDecider(cfg.hopSeconds(), cfg.stormMaxRaises(), cfg.stormWindowSeconds(),
                        cfg.quietSeconds(), model == null ? null : model.name(), model == null ? null : model.version()))
                .uid(UID_DECIDER).name("alert decider");

        alerts.accept(decided);
        if (scoredWindows != null) {
            scoredWindows.accept(analysed);
        }
        deadLetters.accept(decoded.getSideOutput(DecodeAndValidate.DEAD_LETTERS)
                .union(windows.getSideOutput(DecodeAndValidate.DEAD_LETTERS)));
    }

    /** Event time of a frame: just after its last sample, in epoch milliseconds. */
    public static final class FrameTimestamps implements SerializableTimestampAssigner<Frame> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(Frame f, long recordTimestamp) {
            return Math.floorDiv(f.endTimeMicros(), 1000);
        }
    }

    /** Event time of a raw frame from its header; bad bytes keep the record's own (they are dead-lettered). */
    public static final class RawFrameTimestamps implements SerializableTimestampAssigner<RawFrame> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(RawFrame f, long recordTimestamp) {
            return f.eventTimeMillis() == Long.MIN_VALUE ? Long.MIN_VALUE : f.eventTimeMillis();
        }
    }

    public static final class FramePatient implements KeySelector<Frame, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Frame f) {
            return f.patientId();
        }
    }

    public static final class WindowPatient implements KeySelector<AnalysisWindow, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(AnalysisWindow w) {
            return w.patientId();
        }
    }

    public static final class AnalysisPatient implements KeySelector<WindowAnalysis, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(WindowAnalysis a) {
            return a.patientId();
        }
    }
}
