package io.ecgsentinel.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.synth.Scenario;
import io.ecgsentinel.core.synth.StandardLead;
import io.ecgsentinel.flink.demo.SyntheticPatient;
import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.flink.records.RawFrame;
import io.ecgsentinel.schemas.AvroSerde;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.EcgFrame;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeAndValidateTest {

    @Test
    void goodFramesDecodeToMillivoltsAndBadOnesAreDeadLetteredWithReasons() throws Exception {
        SyntheticPatient p = new SyntheticPatient("p", "bedside-1", 3, Scenario.NORMAL, 250, StandardLead.ALL,
                1_700_000_000_000_000L, 50);
        EcgFrame f = p.nextFrame();
        AvroSerde<EcgFrame> serde = AvroSerde.of(EcgFrame.class);
        try (OneInputStreamOperatorTestHarness<RawFrame, Frame> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeAndValidate())) {
            h.processElement(new RawFrame("t", 0, 0, 1L, serde.serialize(f)), 0);
            h.processElement(new RawFrame("t", 0, 1, 1L, new byte[] {(byte) 0xC3, 1, 2}), 0);
            h.processElement(new RawFrame("t", 0, 2, 1L,
                    serde.serialize(EcgFrame.newBuilder(f).setSampleRateHz(5).build())), 0);
            h.processElement(new RawFrame("t", 0, 3, 1L, new byte[0]), 0);
            List<Frame> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            float[][] mv = EcgFrames.decodeMillivolts(f);
            assertThat(out.get(0).samples()).isDeepEqualTo(mv);
            assertThat(out.get(0).leads()).containsExactly("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3",
                    "V4", "V5", "V6");
            assertThat(h.getSideOutput(DecodeAndValidate.DEAD_LETTERS)).extracting(StreamRecord::getValue)
                    .extracting(DeadLetterEvent::reason, DeadLetterEvent::offset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("UNDECODABLE", 1L),
                            org.assertj.core.groups.Tuple.tuple("BAD_SAMPLE_RATE", 2L),
                            org.assertj.core.groups.Tuple.tuple("UNDECODABLE", 3L));
        }
    }
}
