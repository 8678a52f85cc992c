package io.ecgsentinel.flink.job;

import io.ecgsentinel.flink.config.JobConfig;
import io.ecgsentinel.flink.config.ModelInfo;
import io.ecgsentinel.flink.io.KafkaIo;
import io.ecgsentinel.flink.records.AlertEvent;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the real pipeline with the real Kafka source and sinks, bounded at the topic's current end. */
final class PipelineItSupport {

    private PipelineItSupport() {}

    static JobConfig config(String bootstrap, String frames, String alerts, String dlq, String prefix) {
        return JobConfig.fromMap(Map.of(
                "bootstrap.servers", bootstrap,
                "frames.topic", frames,
                "alerts.topic", alerts,
                "deadletter.topic", dlq,
                "group.id", "it-" + prefix,
                "starting.offsets", "earliest",
                "checkpoint.interval.ms", "300",
                "transactional.id.prefix", prefix,
                "model.enabled", "false",
                // a bounded replay reads at full speed: a split that stalls on this busy machine must not be
                // declared idle (the watermark would overtake its patients and their frames come too late)
                "idleness.ms", "120000"));
    }

    static JobExecutionResult run(JobConfig cfg, ModelInfo model,
            Function<DataStream<AlertEvent>, DataStream<AlertEvent>> beforeSink, int restarts) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // a silent Kryo fallback fails loudly
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(50));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restarts > 0 ? "fixed-delay" : "none");
        if (restarts > 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        EcgAnomalyJob.configureLocal(env, cfg);
        EcgPipeline.build(env, cfg, model, KafkaIo.frameSource(cfg, true),
                alerts -> beforeSink.apply(alerts).sinkTo(KafkaIo.alertSink(cfg)).name("alerts"),
                dlq -> dlq.sinkTo(KafkaIo.deadLetterSink(cfg)).name("dead letters"));
        return env.execute("it");
    }
}
