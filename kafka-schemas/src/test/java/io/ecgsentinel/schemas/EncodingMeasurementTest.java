package io.ecgsentinel.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the size claims in the EcgFrame schema doc true (timings are only printed by
 * {@link EncodingMeasurement#main}, never asserted: the build machines are shared).
 */
class EncodingMeasurementTest {

    @Test
    void int16FramesAreHalfTheSizeOfFloatFramesAndCompressFarBetter() throws Exception {
        List<float[][]> frames = EncodingMeasurement.frames();
        List<EncodingMeasurement.Codec> codecs = EncodingMeasurement.codecs(200f);
        EncodingMeasurement.Row shipped = EncodingMeasurement.sizes(codecs.get(0), frames);
        EncodingMeasurement.Row int16 = EncodingMeasurement.sizes(codecs.get(1), frames);
        EncodingMeasurement.Row floatArray = EncodingMeasurement.sizes(codecs.get(2), frames);
        EncodingMeasurement.Row float32 = EncodingMeasurement.sizes(codecs.get(3), frames);

        assertThat(shipped.bytesPerFrame()).isEqualTo(int16.bytesPerFrame());
        // 600 samples: 1,200 bytes of int16 plus about 170 bytes of header and metadata.
        assertThat(shipped.bytesPerFrame()).isBetween(1_300.0, 1_400.0);
        assertThat(float32.bytesPerFrame()).isBetween(2_400.0, 2_600.0);
        assertThat(floatArray.bytesPerFrame()).isGreaterThan(float32.bytesPerFrame());
        assertThat(shipped.deflatedBytesPerFrame()).isLessThan(float32.deflatedBytesPerFrame() / 3);
        assertThat(shipped.maxErrorMicrovolts()).isLessThanOrEqualTo(0.5 / 200 * 1000 * 1.0001);
    }
}
