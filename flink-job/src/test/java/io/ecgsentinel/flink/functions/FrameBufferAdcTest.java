package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The frame buffer keeps Kafka frames as int16 ADC values with their calibration: windows must hold
 * exactly the floats the decoder produces, whatever the calibration does, and blocks must survive
 * checkpoints in both forms and in the format written before the ADC form.
 */
class FrameBufferAdcTest {

    static final int FS = FrameBufferTest.FS;
    static final int N = FrameBufferTest.N;
    static final long T0 = FrameBufferTest.T0;
    static final List<String> LEADS = List.of("II", "V5");
    static final AvroSerde<EcgFrame> SERDE = AvroSerde.of(EcgFrame.class);

    /** Frame {@code seq} through the job's own decoder, with noisy samples, a gap and a given gain. */
    static EcgFrame avro(long seq, float gain, Random rnd) {
        float[][] mv = new float[2][N];
        for (int i = 0; i < N; i++) {
            mv[0][i] = (float) (Math.sin((seq * N + i) / 7.0) + 0.01 * rnd.nextGaussian());
            mv[1][i] = (float) (-0.5 * Math.cos((seq * N + i) / 5.0) + 0.01 * rnd.nextGaussian());
        }
        if (seq == 5) {
            mv[1][3] = Float.NaN; // a missing sample inside a frame
        }
        return EcgFrames.builder("p1", "bedside-7", seq, T0 + seq * N * 1_000_000L / FS, FS, LEADS, mv,
                new float[] {gain, gain * 2}).build();
    }

    static Frame decoded(EcgFrame f) {
        Frame out = DecodeAndValidate.decode(new RawFrame("t", 0, f.getSequence(), 0L, SERDE.serialize(f)), SERDE,
                (reason, message) -> {
                    throw new AssertionError(reason + ": " + message);
                });
        assertThat(out.hasAdc()).isTrue();
        return out;
    }

    /** The windows of these frames, and the same windows built from the decoder's floats. */
    static List<List<AnalysisWindow>> windowsBothWays(List<EcgFrame> frames) throws Exception {
        List<List<AnalysisWindow>> result = new ArrayList<>();
        for (boolean adc : new boolean[] {true, false}) {
            try (var h = FrameBufferTest.harness()) {
                h.open();
                for (EcgFrame e : frames) {
                    Frame f = decoded(e);
                    if (!adc) {
                        f = new Frame(f.patientId(), f.deviceId(), f.sequence(), f.firstSampleTimeMicros(),
                                f.sampleRateHz(), f.leads(), EcgFrames.decodeMillivolts(e), f.leadOff(), 0L, "t", 0,
                                f.offset(), f.raw());
                    }
                    FrameBufferTest.push(h, f);
                }
                h.processWatermark(T0 / 1000 + 20_000);
                result.add(h.extractOutputValues());
            }
        }
        return result;
    }

    @Test
    void adcFramesGiveExactlyTheDecodersFloatsEvenWhenTheGainChangesInsideABlock() throws Exception {
        Random rnd = new Random(3);
        List<EcgFrame> frames = new ArrayList<>();
        for (long s = 0; s < 24; s++) {
            // the gain changes at frame 9, the second half of a 0.5 s block (2 frames of 0.25 s each)
            frames.add(avro(s, s < 9 ? 200f : 1000f, rnd));
        }
        List<List<AnalysisWindow>> both = windowsBothWays(frames);
        List<AnalysisWindow> adc = both.get(0);
        List<AnalysisWindow> floats = both.get(1);
        assertThat(adc).hasSameSizeAs(floats).hasSizeGreaterThan(5);
        for (int w = 0; w < adc.size(); w++) {
            float[][] a = adc.get(w).samples();
            float[][] b = floats.get(w).samples();
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < a[k].length; i++) {
                    assertThat(Float.floatToIntBits(a[k][i])).as("window %d lead %d sample %d", w, k, i)
                            .isEqualTo(Float.floatToIntBits(b[k][i]));
                }
            }
            assertThat(adc.get(w).missingSamples()).isEqualTo(floats.get(w).missingSamples());
        }
        // the frame's own NaN survived as NaN; the signal is not all NaN
        float[][] last = adc.get(adc.size() - 1).samples();
        assertThat(last[0][last[0].length - 1]).isNotNaN();
    }

    @Test
    void blocksRoundTripInBothFormsAndTheAdcFormIsAboutHalfTheBytes() throws Exception {
        SampleBlock adc = SampleBlock.empty(12, 500);
        Random rnd = new Random(5);
        for (int k = 0; k < 12; k++) {
            adc.scale[k] = 1f / 200;
            adc.baseline[k] = k - 6;
        }
        for (int i = 0; i < adc.adc.length; i++) {
            adc.adc[i] = (short) rnd.nextInt(4000);
        }
        adc.leadOffMask = new int[500];
        for (int i = 0; i < 400; i++) {
            adc.written[i] = true;
            adc.leadOffMask[i] = i % 3;
        }
        SampleBlock floats = FrameBuffer.SampleBlockSerializer.INSTANCE.copy(adc);
        floats.toFloats(500);
        assertThat(floats.adc).isNull();
        for (int k = 0; k < 12; k++) {
            for (int i = 0; i < 500; i++) {
                assertThat(floats.value(k, 500, i)).isEqualTo(adc.value(k, 500, i));
            }
        }
        byte[] adcBytes = bytes(adc);
        byte[] floatBytes = bytes(floats);
        assertThat((double) adcBytes.length).isLessThan(0.6 * floatBytes.length);
        for (SampleBlock b : new SampleBlock[] {adc, floats}) {
            SampleBlock back = read(bytes(b));
            assertThat(back).usingRecursiveComparison().isEqualTo(b);
        }
    }

    @Test
    void blocksOfThePreviousFormatStillRestore() throws Exception {
        // the format before the ADC form: three lengths, then floats, booleans as bytes, ints
        float[] samples = {1.5f, Float.NaN, -2f, 0.25f};
        boolean[] written = {true, false};
        int[] mask = {0, 3};
        ByteBuffer buf = ByteBuffer.allocate(12 + 16 + 2 + 8);
        buf.putInt(4).putInt(2).putInt(2);
        for (float v : samples) buf.putFloat(v);
        buf.put((byte) 1).put((byte) 0);
        for (int v : mask) buf.putInt(v);
        SampleBlock old = read(buf.array());
        assertThat(old.adc).isNull();
        assertThat(old.samples).containsExactly(samples);
        assertThat(old.written).containsExactly(written);
        assertThat(old.leadOffMask).containsExactly(mask);
    }

    private static byte[] bytes(SampleBlock b) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        FrameBuffer.SampleBlockSerializer.INSTANCE.serialize(b, out);
        return out.getCopyOfBuffer();
    }

    private static SampleBlock read(byte[] bytes) throws IOException {
        return FrameBuffer.SampleBlockSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }
}
