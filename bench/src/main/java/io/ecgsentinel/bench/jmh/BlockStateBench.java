package io.ecgsentinel.bench.jmh;

import io.ecgsentinel.flink.functions.FrameBuffer;
import io.ecgsentinel.flink.functions.SampleBlock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checkpointing the frame buffer's state: one block (12 leads x 1 s at 500 Hz) written and read back
 * with Flink's POJO serializer (what {@code TypeInformation.of(SampleBlock.class)} gives) and with the
 * bulk {@link FrameBuffer.SampleBlockSerializer} the buffer uses, in both block forms: int16 ADC
 * values with their calibration (what frames from Kafka give) and floats (the fallback). With the
 * heap state backend every checkpoint writes every block of every patient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BlockStateBench {

    @Param({"adc", "float"})
    public String form;

    private SampleBlock block;
    private TypeSerializer<SampleBlock> pojo;
    private TypeSerializer<SampleBlock> bulk;
    private DataOutputSerializer out;
    private CheckpointLikeStream stream;
    private org.apache.flink.core.memory.DataOutputViewStreamWrapper view;

    /** Like Flink's file checkpoint stream: a buffer behind a per-byte write(int). */
    static final class CheckpointLikeStream extends java.io.OutputStream {
        final byte[] buf = new byte[64 * 1024];
        int pos;

        @Override
        public void write(int b) {
            if (pos == buf.length) {
                pos = 0;
            }
            buf[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i += buf.length) {
                int n = Math.min(buf.length, len - i);
                if (pos + n > buf.length) {
                    pos = 0;
                }
                System.arraycopy(b, off + i, buf, pos, n);
                pos += n;
            }
        }
    }

    @Setup
    public void setUp() {
        block = new SampleBlock();
        if (form.equals("adc")) {
            block.adc = new short[12 * 500];
            for (int i = 0; i < block.adc.length; i++) {
                block.adc[i] = (short) Math.round(200 * Math.sin(i * 0.01));
            }
            block.scale = new float[12];
            Arrays.fill(block.scale, 1f / 200);
            block.baseline = new int[12];
        } else {
            block.samples = new float[12 * 500];
            for (int i = 0; i < block.samples.length; i++) {
                block.samples[i] = (float) Math.sin(i * 0.01);
            }
        }
        block.written = new boolean[500];
        Arrays.fill(block.written, true);
        block.leadOffMask = new int[500];
        pojo = TypeInformation.of(SampleBlock.class).createSerializer(new SerializerConfigImpl());
        bulk = FrameBuffer.SampleBlockSerializer.INSTANCE;
        out = new DataOutputSerializer(64 * 1024);
        stream = new CheckpointLikeStream();
        view = new org.apache.flink.core.memory.DataOutputViewStreamWrapper(stream);
    }

    /** Writing one block to a checkpoint-like stream with the POJO serializer. */
    @Benchmark
    public int pojoCheckpointWrite() throws Exception {
        pojo.serialize(block, view);
        return stream.pos;
    }

    /** Writing one block to a checkpoint-like stream with the bulk serializer. */
    @Benchmark
    public int bulkCheckpointWrite() throws Exception {
        bulk.serialize(block, view);
        return stream.pos;
    }

    @Benchmark
    public SampleBlock pojoRoundTrip() throws Exception {
        out.clear();
        pojo.serialize(block, out);
        return pojo.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }

    @Benchmark
    public SampleBlock bulkRoundTrip() throws Exception {
        out.clear();
        bulk.serialize(block, out);
        return bulk.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }
}
