package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.bench.BenchFrames;
import io.ecgsentinel.flink.functions.DecodeAndValidate;
import io.ecgsentinel.flink.io.RawFrameDeserializer;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.DecodeException;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame decode: one 100 ms frame of 12 leads at 500 Hz as the simulator encodes it. The job decodes
 * every frame twice: in the Kafka source (for its event time, {@link RawFrameDeserializer}) and in
 * {@link DecodeAndValidate}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FrameDecodeBench {

    private AvroSerde<EcgFrame> serde;
    private byte[] bytes;
    private EcgFrame frame;
    private RawFrame raw;
    private ConsumerRecord<byte[], byte[]> record;
    private RawFrameDeserializer source;

    @Setup
    public void setUp() throws DecodeException {
        serde = AvroSerde.of(EcgFrame.class);
        bytes = BenchFrames.encodedFrames(1, 0, 1, 1_700_000_000_000_000L).get(0);
        frame = serde.deserialize(bytes);
        raw = new RawFrame("ecg.frames.v1", 0, 0, 0L, bytes);
        record = new ConsumerRecord<>("ecg.frames.v1", 0, 0L, new byte[8], bytes);
        source = new RawFrameDeserializer();
    }

    /** Avro single-object decoding of the frame into its generated record. */
    @Benchmark
    public EcgFrame avroDeserialize() throws DecodeException {
        return serde.deserialize(bytes);
    }

    /** int16 samples to millivolts, all leads. */
    @Benchmark
    public float[][] decodeMillivolts() {
        return EcgFrames.decodeMillivolts(frame);
    }

    /** The job's first operator without Flink: decode, validate, convert, range check. */
    @Benchmark
    public Frame decodeAndValidate() {
        return DecodeAndValidate.decode(raw, serde, (r, m) -> {
            throw new IllegalStateException(r + " " + m);
        });
    }

    /** The Kafka source's deserializer (reads the frame's event time from the bytes). */
    @Benchmark
    public void sourceDeserializer(Blackhole bh) throws Exception {
        source.deserialize(record, new Collector<>() {
            @Override
            public void collect(RawFrame r) {
                bh.consume(r);
            }

            @Override
            public void close() {}
        });
    }
}
