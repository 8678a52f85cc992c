package io.ecgsentinel.flink.functions;

import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.DecodeException;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.Optional;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw Kafka records into validated {@link Frame}s. Anything that cannot be used goes to the
 * {@link #DEAD_LETTERS} side output with its bytes, coordinates and a reason code: undecodable bytes,
 * an unknown schema, and every check of {@link EcgFrames#validate} (sample rate, lead and sample
 * counts, invalid values), plus samples beyond {@value #MAX_ABS_MV} mV, which no ECG produces.
 * Decoding happens here rather than in the source because a source can only drop a bad record or
 * fail the job. Per-device sequence checks and lateness need keyed state and live in {@link FrameBuffer}.
 */
public class DecodeAndValidate extends ProcessFunction<RawFrame, Frame> {

    private static final long serialVersionUID = 1L;

    /** Side output of records that cannot be used. */
    public static final OutputTag<DeadLetterEvent> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    /** Decoded amplitudes beyond this (mV) are not physiological: the gain or baseline is wrong. */
    public static final float MAX_ABS_MV = 40f;

    static final String FRAMES_IN = "frames-in";

    private transient AvroSerde<EcgFrame> serde;
    private transient Counter framesIn;
    private transient LongCounter framesInAcc;
    private transient DeadLetterCounters deadLetters;

    @Override
    public void open(OpenContext openContext) {
        serde = AvroSerde.of(EcgFrame.class);
        framesIn = getRuntimeContext().getMetricGroup().counter("framesIn");
        framesInAcc = getRuntimeContext().getLongCounter(FRAMES_IN);
        deadLetters = new DeadLetterCounters(getRuntimeContext());
    }

    @Override
    public void processElement(RawFrame in, Context ctx, Collector<Frame> out) {
        framesIn.inc();
        framesInAcc.add(1L);
        Frame f = decode(in, serde, (reason, message) -> reject(in, reason, message, ctx));
        if (f != null) {
            out.collect(f);
        }
    }

    /** Where {@link #decode} reports why a record cannot be used. */
    @FunctionalInterface
    public interface Rejection {
        void reject(DeadLetterReason reason, String message);
    }

    /**
     * The whole decode-and-validate step of one record without Flink (the bench measures it too):
     * the validated frame, or null after telling {@code rejection} why the record is unusable.
     */
    public static Frame decode(RawFrame in, AvroSerde<EcgFrame> serde, Rejection rejection) {
        EcgFrame frame;
        try {
            frame = serde.deserialize(in.value());
        } catch (DecodeException e) {
            rejection.reject(e.reason(), e.getMessage());
            return null;
        }
        Optional<EcgFrames.Problem> problem = EcgFrames.validate(frame);
        if (problem.isPresent()) {
            rejection.reject(problem.get().reason(), problem.get().message());
            return null;
        }
        int leadCount = frame.getLeads().size();
        int n = frame.getSamplesPerLead();
        short[][] adc = new short[leadCount][n];
        float[] scale = new float[leadCount];
        int[] baseline = new int[leadCount];
        for (int k = 0; k < leadCount; k++) {
            EcgFrames.adcLead(frame, k, adc[k], 0);
            scale[k] = EcgFrames.scale(frame, k);
            baseline[k] = frame.getBaseline().get(k);
            for (short a : adc[k]) {
                float v = EcgFrames.millivolts(a, baseline[k], scale[k]);
                if (Float.isInfinite(v) || Math.abs(v) > MAX_ABS_MV) {
                    rejection.reject(DeadLetterReason.INVALID_VALUES, "lead " + frame.getLeads().get(k)
                            + " has a sample of " + v + " mV (limit " + MAX_ABS_MV + " mV)");
                    return null;
                }
            }
        }
        String[] leads = frame.getLeads().toArray(new String[0]);
        boolean[] leadOff = new boolean[leadCount];
        for (int k = 0; k < leadCount; k++) {
            leadOff[k] = frame.getLeadOff().get(k);
        }
        return new Frame(frame.getPatientId(), frame.getDeviceId(), frame.getSequence(),
                frame.getFirstSampleTimeMicros(), frame.getSampleRateHz(), leads, adc, scale, baseline, null,
                leadOff, in.kafkaTimestampMillis(), in.topic(), in.partition(), in.offset(), in.value());
    }

    private void reject(RawFrame in, DeadLetterReason reason, String message, Context ctx) {
        deadLetters.inc(reason);
        ctx.output(DEAD_LETTERS, DeadLetterEvent.of(in, reason, message));
    }
}
