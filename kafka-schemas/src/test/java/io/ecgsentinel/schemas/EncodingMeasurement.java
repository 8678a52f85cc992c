package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.EcgFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Measures how the EcgFrame sample encoding choice plays out: serialized size, size after deflate over a
 * 10 s run of frames (a stand-in for Kafka batch compression), quantisation error, and encode and decode
 * time per 100 ms frame of 12 leads at 500 Hz, from {@code float[][]} millivolts to single-object bytes and
 * back. Candidates: (a) int16 ADC units in {@code bytes} with per-lead gain and baseline (the schema as
 * shipped, generic and specific), (b1) float microvolts as {@code array<array<float>>}, (b2) float
 * microvolts as {@code bytes} of float32. All use the same Avro single-object encoder and decoder.
 *
 * <p>Run: {@code mvn -B -q -pl kafka-schemas test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=io.ecgsentinel.schemas.EncodingMeasurement -Dexec.classpathScope=test}
 * (optional {@code -Dexec.args="<gain ADC/mV> <rounds>"}, default 200 and 15).
 */
public final class EncodingMeasurement {

    static final int RATE_HZ = 500;
    static final int SAMPLES_PER_FRAME = 50; // 100 ms
    static final int FRAMES = 100; // 10 s

    /** One candidate encoding: float[][] mV to message bytes and back. */
    interface Codec {
        String name();

        byte[] encode(float[][] mv, long sequence);

        float[][] decode(byte[] message) throws Exception;
    }

    /** Size and accuracy of one candidate. */
    record Row(
            String name, double bytesPerFrame, double deflatedBytesPerFrame, double maxErrorMicrovolts) {}

    public static void main(String[] args) throws Exception {
        float gain = args.length > 0 ? Float.parseFloat(args[0]) : 200f;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<float[][]> frames = frames();
        List<Codec> codecs = codecs(gain);
        List<Row> sizes = new ArrayList<>();
        List<List<byte[]>> messages = new ArrayList<>();
        for (Codec codec : codecs) {
            sizes.add(sizes(codec, frames));
            List<byte[]> m = new ArrayList<>();
            for (int f = 0; f < frames.size(); f++) {
                m.add(codec.encode(frames.get(f), f));
            }
            messages.add(m);
        }
        // Thread CPU time, not wall time: the machine is shared, and being descheduled is not codec cost.
        // Codecs are interleaved within each round so a busy period hits all of them alike.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[][] enc = new long[codecs.size()][rounds];
        long[][] dec = new long[codecs.size()][rounds];
        long sink = 0;
        for (int r = -5; r < rounds; r++) { // 5 warm-up rounds
            for (int c = 0; c < codecs.size(); c++) {
                Codec codec = codecs.get(c);
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int p = 0; p < PASSES; p++) {
                    for (int f = 0; f < frames.size(); f++) {
                        sink += codec.encode(frames.get(f), f).length;
                    }
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int p = 0; p < PASSES; p++) {
                    for (byte[] m : messages.get(c)) {
                        sink += Float.floatToRawIntBits(codec.decode(m)[11][SAMPLES_PER_FRAME - 1]);
                    }
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                if (r >= 0) {
                    enc[c][r] = t1 - t0;
                    dec[c][r] = t2 - t1;
                }
            }
        }
        System.out.printf(
                "EcgFrame encoding: %d frames of 12 leads x %d samples (%d Hz, 100 ms), gain %.0f ADC/mV;"
                        + " Java %s, %d CPUs; median of %d rounds x %d frames, thread CPU time (sink %d)%n",
                FRAMES, SAMPLES_PER_FRAME, RATE_HZ, gain, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), rounds, PASSES * FRAMES, sink & 1);
        System.out.printf(
                "%-36s %8s %13s %11s %10s %10s%n",
                "encoding", "bytes", "deflated/frm", "max err uV", "encode us", "decode us");
        double perOp = PASSES * FRAMES * 1000.0;
        for (int c = 0; c < codecs.size(); c++) {
            Row r = sizes.get(c);
            System.out.printf(
                    "%-36s %8.1f %13.1f %11.2f %10.2f %10.2f%n",
                    r.name(), r.bytesPerFrame(), r.deflatedBytesPerFrame(), r.maxErrorMicrovolts(),
                    median(enc[c]) / perOp, median(dec[c]) / perOp);
        }
    }

    static final int PASSES = 20;

    static List<float[][]> frames() {
        float[][] signal =
                SyntheticEcg.twelveLead(42, RATE_HZ, FRAMES * SAMPLES_PER_FRAME / (double) RATE_HZ);
        List<float[][]> frames = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            frames.add(SyntheticEcg.slice(signal, f * SAMPLES_PER_FRAME, SAMPLES_PER_FRAME));
        }
        return frames;
    }

    static List<Codec> codecs(float gain) {
        return List.of(
                new ShippedSpecific(gain),
                new Int16Generic(gain),
                new FloatArrayGeneric(),
                new Float32BytesGeneric());
    }

    /** Message size, deflated size of the whole run per frame, and the largest round-trip error. */
    static Row sizes(Codec codec, List<float[][]> frames) throws Exception {
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        double maxError = 0;
        for (int f = 0; f < frames.size(); f++) {
            byte[] m = codec.encode(frames.get(f), f);
            run.write(m);
            float[][] back = codec.decode(m);
            for (int k = 0; k < back.length; k++) {
                for (int i = 0; i < back[k].length; i++) {
                    maxError = Math.max(maxError, Math.abs(back[k][i] - frames.get(f)[k][i]) * 1000.0);
                }
            }
        }
        return new Row(
                codec.name(),
                run.size() / (double) frames.size(),
                deflatedSize(run.toByteArray()) / (double) frames.size(),
                maxError);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static int deflatedSize(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        byte[] buf = new byte[data.length + 64];
        int size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buf);
        }
        deflater.end();
        return size;
    }

    // ---- candidates ----

    /** (a) as shipped: EcgFrames + AvroSerde on the generated class. */
    static final class ShippedSpecific implements Codec {
        private final AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        private final float[] gain;

        ShippedSpecific(float gain) {
            this.gain = new float[12];
            Arrays.fill(this.gain, gain);
        }

        @Override
        public String name() {
            return "(a) int16 bytes, EcgFrame specific";
        }

        @Override
        public byte[] encode(float[][] mv, long sequence) {
            return serde.serialize(
                    EcgFrames.builder("patient-0001", "device-01", sequence, 1_700_000_000_000_000L,
                                    RATE_HZ, SyntheticEcg.LEADS_12, mv, gain)
                            .build());
        }

        @Override
        public float[][] decode(byte[] message) throws Exception {
            return EcgFrames.decodeMillivolts(serde.deserialize(message));
        }
    }

    /** Shared generic plumbing: header fields, encoder, decoder. */
    abstract static class GenericCodec implements Codec {
        final Schema schema;
        final BinaryMessageEncoder<GenericRecord> encoder;
        final BinaryMessageDecoder<GenericRecord> decoder;

        GenericCodec(Schema schema) {
            this.schema = schema;
            this.encoder = new BinaryMessageEncoder<>(GenericData.get(), schema);
            this.decoder = new BinaryMessageDecoder<>(GenericData.get(), schema);
        }

        GenericRecord header(long sequence, int leads) {
            GenericRecord r = new GenericData.Record(schema);
            r.put("patientId", "patient-0001");
            r.put("deviceId", "device-01");
            r.put("sequence", sequence);
            r.put("firstSampleTimeMicros", 1_700_000_000_000_000L);
            r.put("sampleRateHz", RATE_HZ);
            r.put("samplesPerLead", SAMPLES_PER_FRAME);
            r.put("leads", SyntheticEcg.LEADS_12);
            List<Boolean> off = new ArrayList<>();
            for (int k = 0; k < leads; k++) {
                off.add(false);
            }
            r.put("leadOff", off);
            r.put("pacingMarks", List.of());
            return r;
        }

        byte[] bytes(GenericRecord r) {
            try {
                return encoder.encode(r).array();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The EcgFrame schema with gain and baseline dropped and samples of another type. */
        static Schema variant(String name, Schema samplesType) {
            List<Schema.Field> fields = new ArrayList<>();
            for (Schema.Field f : EcgFrame.getClassSchema().getFields()) {
                if (f.name().equals("samples")) {
                    fields.add(new Schema.Field("samples", samplesType, "microvolts, lead-major"));
                } else if (!f.name().equals("gain") && !f.name().equals("baseline")) {
                    fields.add(new Schema.Field(f, f.schema()));
                }
            }
            return Schema.createRecord(name, null, "measurement", false, fields);
        }
    }

    /** (a) int16 in bytes, generic API, for a like-for-like comparison with (b1) and (b2). */
    static final class Int16Generic extends GenericCodec {
        private final List<Float> gains = new ArrayList<>();
        private final float[] gain = new float[12];
        private final int[] baseline = new int[12];

        Int16Generic(float gain) {
            super(EcgFrame.getClassSchema());
            Arrays.fill(this.gain, gain);
            for (int k = 0; k < 12; k++) {
                gains.add(gain);
            }
        }

        @Override
        public String name() {
            return "(a) int16 bytes, generic";
        }

        @Override
        public byte[] encode(float[][] mv, long sequence) {
            GenericRecord r = header(sequence, mv.length);
            r.put("gain", gains);
            r.put("baseline", List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            r.put("samples", EcgFrames.encodeSamples(mv, gain, baseline));
            return bytes(r);
        }

        @Override
        @SuppressWarnings("unchecked")
        public float[][] decode(byte[] message) throws Exception {
            GenericRecord r = decoder.decode(message);
            int n = (Integer) r.get("samplesPerLead");
            List<Float> g = (List<Float>) r.get("gain");
            List<Integer> b = (List<Integer>) r.get("baseline");
            ByteBuffer s = ((ByteBuffer) r.get("samples")).slice().order(ByteOrder.LITTLE_ENDIAN);
            float[][] out = new float[g.size()][n];
            for (int k = 0; k < out.length; k++) {
                float scale = 1f / g.get(k);
                int base = b.get(k);
                for (int i = 0, pos = 2 * k * n; i < n; i++, pos += 2) {
                    short adc = s.getShort(pos);
                    out[k][i] = adc == EcgFrames.MISSING_SAMPLE ? Float.NaN : (adc - base) * scale;
                }
            }
            return out;
        }
    }

    /** (b1) float microvolts, one array&lt;float&gt; per lead. */
    static final class FloatArrayGeneric extends GenericCodec {
        FloatArrayGeneric() {
            super(variant("FrameFloatArray",
                    Schema.createArray(Schema.createArray(Schema.create(Schema.Type.FLOAT)))));
        }

        @Override
        public String name() {
            return "(b1) float uV, array<array<float>>";
        }

        @Override
        public byte[] encode(float[][] mv, long sequence) {
            GenericRecord r = header(sequence, mv.length);
            Schema leadSchema = schema.getField("samples").schema().getElementType();
            List<Object> leads = new ArrayList<>(mv.length);
            for (float[] lead : mv) {
                PrimitivesArrays.FloatArray a = new PrimitivesArrays.FloatArray(lead.length, leadSchema);
                for (float v : lead) {
                    a.add(v * 1000f);
                }
                leads.add(a);
            }
            r.put("samples", leads);
            return bytes(r);
        }

        @Override
        @SuppressWarnings("unchecked")
        public float[][] decode(byte[] message) throws Exception {
            GenericRecord r = decoder.decode(message);
            List<List<Float>> leads = (List<List<Float>>) r.get("samples");
            float[][] out = new float[leads.size()][];
            for (int k = 0; k < out.length; k++) {
                List<Float> lead = leads.get(k);
                float[] row = new float[lead.size()];
                if (lead instanceof PrimitivesArrays.FloatArray fa) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = fa.getFloat(i) * 0.001f;
                    }
                } else {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = lead.get(i) * 0.001f;
                    }
                }
                out[k] = row;
            }
            return out;
        }
    }

    /** (b2) float microvolts as little-endian float32 in bytes, lead-major. */
    static final class Float32BytesGeneric extends GenericCodec {
        Float32BytesGeneric() {
            super(variant("FrameFloat32Bytes", Schema.create(Schema.Type.BYTES)));
        }

        @Override
        public String name() {
            return "(b2) float uV, bytes of float32";
        }

        @Override
        public byte[] encode(float[][] mv, long sequence) {
            GenericRecord r = header(sequence, mv.length);
            ByteBuffer b = ByteBuffer.allocate(4 * mv.length * mv[0].length).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] lead : mv) {
                for (float v : lead) {
                    b.putFloat(v * 1000f);
                }
            }
            r.put("samples", b.flip());
            return bytes(r);
        }

        @Override
        public float[][] decode(byte[] message) throws Exception {
            GenericRecord r = decoder.decode(message);
            int n = (Integer) r.get("samplesPerLead");
            ByteBuffer s = ((ByteBuffer) r.get("samples")).slice().order(ByteOrder.LITTLE_ENDIAN);
            int leads = s.remaining() / (4 * n);
            float[][] out = new float[leads][n];
            for (int k = 0; k < leads; k++) {
                for (int i = 0, pos = 4 * k * n; i < n; i++, pos += 4) {
                    out[k][i] = s.getFloat(pos) * 0.001f;
                }
            }
            return out;
        }
    }
}
