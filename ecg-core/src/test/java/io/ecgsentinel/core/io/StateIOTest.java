package io.ecgsentinel.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StateIOTest {

    @Test
    void shortArraysRoundTripWithNullAndEmptyAndExtremes() throws IOException {
        short[] values = {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE, 1234, -4321};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            StateIO.writeShorts(out, values);
            StateIO.writeShorts(out, null);
            StateIO.writeShorts(out, new short[0]);
            out.writeInt(42); // what follows must still be where it belongs
        }
        // a length plus two bytes per value, no per-element framing
        assertThat(bytes.size()).isEqualTo(4 + 2 * values.length + 4 + 4 + 4);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(StateIO.readShorts(in)).containsExactly(values);
            assertThat(StateIO.readShorts(in)).isNull();
            assertThat(StateIO.readShorts(in)).isEmpty();
            assertThat(in.readInt()).isEqualTo(42);
        }
    }
}
