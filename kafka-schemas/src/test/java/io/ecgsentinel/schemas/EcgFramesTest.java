package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.schemas.avro.DeadLetterReason;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcgFramesTest {

    private static final List<String> LEADS = SyntheticEcg.LEADS_12;

    @ParameterizedTest
    @ValueSource(floats = {200f, 1000f, 2.5f, 36.5f})
    void roundTripThroughTheWireStaysWithinHalfAnAdcStep(float gain) throws Exception {
        float[][] mv = SyntheticEcg.twelveLead(3, 500, 0.1);
        EcgFrame frame = EcgFrames.builder("p", "d", 0, TestRecords.T0, 500, LEADS, mv,
                TestRecords.gains(12, gain)).build();
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);

        float[][] back = EcgFrames.decodeMillivolts(serde.deserialize(serde.serialize(frame)));

        double tolerance = 0.5 / gain * 1.0001; // half a step, plus float rounding
        assertThat(back.length).isEqualTo(12);
        for (int k = 0; k < 12; k++) {
            assertThat(back[k]).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat((double) back[k][i]).isCloseTo(mv[k][i], within(tolerance));
            }
        }
    }

    @Test
    void baselineIsSubtracted() {
        float[][] mv = {{-1f, 0f, 1.25f}};
        int[] baseline = {1024};
        ByteBuffer samples = EcgFrames.encodeSamples(mv, new float[] {200f}, baseline);
        EcgFrame frame = EcgFrames.builder("p", "d", 0, 0, 500, List.of("II"), mv, new float[] {200f})
                .setBaseline(List.of(1024))
                .setSamples(samples)
                .build();

        assertThat(samples.getShort(0)).isEqualTo((short) 824);
        assertThat(EcgFrames.decodeMillivolts(frame)[0]).containsExactly(-1f, 0f, 1.25f);
    }

    @Test
    void layoutIsLeadMajorLittleEndianInt16() {
        // The wire contract for non-Java consumers: sample i of lead k at byte 2 * (k * n + i).
        float[][] mv = {{0.005f, -0.005f, 1f}, {2f, 0f, -163.835f}};
        ByteBuffer b = EcgFrames.encodeSamples(mv, new float[] {200f, 200f}, new int[] {0, 0});

        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        assertThat(bytes).containsExactly(
                0x01, 0x00, 0xFF, 0xFF, 0xC8, 0x00, // lead 0: 1, -1, 200
                0x90, 0x01, 0x00, 0x00, 0x01, 0x80); // lead 1: 400, 0, -32767
    }

    @Test
    void missingSamplesBecomeNaNAndLargeValuesSaturate() {
        float[][] mv = {{Float.NaN, Float.POSITIVE_INFINITY, 1000f, -1000f, 0.5f}};
        EcgFrame frame = EcgFrames.builder("p", "d", 0, 0, 500, List.of("II"), mv, new float[] {200f})
                .build();

        float[] back = EcgFrames.decodeMillivolts(frame)[0];

        assertThat(back[0]).isNaN();
        assertThat(back[1]).isNaN();
        assertThat(back[2]).isCloseTo(163.835f, within(1e-4f));
        assertThat(back[3]).isCloseTo(-163.835f, within(1e-4f));
        assertThat(back[4]).isEqualTo(0.5f);
    }

    @Test
    void decodeLeadWritesAtAnOffset() {
        EcgFrame frame = TestRecords.frame(1);
        float[] dst = new float[120];

        EcgFrames.decodeLead(frame, 4, dst, 70);

        assertThat(dst).startsWith(new float[70]);
        float[] expected = EcgFrames.decodeMillivolts(frame)[4];
        for (int i = 0; i < 50; i++) {
            assertThat(dst[70 + i]).isEqualTo(expected[i]);
        }
        assertThatThrownBy(() -> EcgFrames.decodeLead(frame, 4, dst, 71))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> EcgFrames.decodeLead(frame, 12, dst, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void builderRejectsInconsistentInput() {
        float[][] ragged = {new float[50], new float[49]};
        assertThatThrownBy(() -> EcgFrames.builder("p", "d", 0, 0, 500, List.of("I", "II"), ragged,
                        new float[] {200f, 200f}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcgFrames.builder("p", "d", 0, 0, 500, List.of("I"), ragged,
                        new float[] {200f, 200f}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcgFrames.encodeSamples(new float[][] {{1f}}, new float[] {0f}, new int[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sampleTimesFollowTheRate() {
        EcgFrame frame = TestRecords.frame(0);
        assertThat(EcgFrames.sampleTimeMicros(frame, 1)).isEqualTo(TestRecords.T0 + 2_000);
        assertThat(EcgFrames.endTimeMicros(frame)).isEqualTo(TestRecords.T0 + 100_000);
        EcgFrame incart = EcgFrame.newBuilder(frame).setSampleRateHz(257).build();
        assertThat(EcgFrames.sampleTimeMicros(incart, 257)).isEqualTo(TestRecords.T0 + 1_000_000);
    }

    @Test
    void aConsistentFrameValidates() {
        assertThat(EcgFrames.validate(TestRecords.frame(3))).isEmpty();
    }

    @Test
    void eachInconsistencyHasItsReason() {
        assertProblem(b -> b.setSampleRateHz(20), DeadLetterReason.BAD_SAMPLE_RATE);
        assertProblem(b -> b.setSampleRateHz(20_000), DeadLetterReason.BAD_SAMPLE_RATE);
        assertProblem(b -> b.setLeads(List.of()), DeadLetterReason.LEAD_COUNT_MISMATCH);
        assertProblem(b -> b.setGain(b.getGain().subList(0, 11)), DeadLetterReason.LEAD_COUNT_MISMATCH);
        assertProblem(b -> b.setBaseline(List.of(0)), DeadLetterReason.LEAD_COUNT_MISMATCH);
        assertProblem(b -> b.setLeadOff(List.of()), DeadLetterReason.LEAD_COUNT_MISMATCH);
        assertProblem(b -> b.setSamplesPerLead(49), DeadLetterReason.SAMPLE_COUNT_MISMATCH);
        assertProblem(b -> b.setSamples(ByteBuffer.wrap(new byte[1199])), DeadLetterReason.SAMPLE_COUNT_MISMATCH);
        assertProblem(b -> b.setSamplesPerLead(0).setSamples(ByteBuffer.allocate(0)),
                DeadLetterReason.SAMPLE_COUNT_MISMATCH);
        assertProblem(b -> b.setGain(withFirst(b.getGain(), 0f)), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setGain(withFirst(b.getGain(), Float.NaN)), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setBaseline(withFirst(b.getBaseline(), 40_000)), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setLeads(withFirst(b.getLeads(), "V6")), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setPacingMarks(List.of(50)), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setPacingMarks(List.of(7, 7)), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setSequence(-1), DeadLetterReason.INVALID_VALUES);
        assertProblem(b -> b.setDeviceId(""), DeadLetterReason.INVALID_VALUES);
    }

    private static void assertProblem(UnaryOperator<EcgFrame.Builder> breakIt, DeadLetterReason reason) {
        EcgFrame frame = breakIt.apply(EcgFrame.newBuilder(TestRecords.frame(3))).build();
        Optional<EcgFrames.Problem> problem = EcgFrames.validate(frame);
        assertThat(problem).as("problem of %s", frame.toString().substring(0, 80)).isPresent();
        assertThat(problem.get().reason()).isEqualTo(reason);
        assertThat(problem.get().message()).doesNotContain("patient-0001");
    }

    private static <E> List<E> withFirst(List<E> list, E first) {
        List<E> copy = new ArrayList<>(list);
        copy.set(0, first);
        return copy;
    }
}
