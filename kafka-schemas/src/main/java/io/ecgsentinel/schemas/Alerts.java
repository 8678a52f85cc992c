package io.ecgsentinel.schemas;

import io.ecgsentinel.schemas.avro.AlertType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Alert identity. An alarm episode's id is a pure function of (patient, alarm type, onset), so a replay,
 * a restart from a checkpoint or a second detector instance that sees the same evidence emits the same
 * id, and consumers of ecg.alerts.v1 can deduplicate and join RAISED/UPDATED/CLEARED messages on it.
 */
public final class Alerts {

    private Alerts() {}

    /**
     * A name-based UUID (version 3, MD5) of {@code "ecg-sentinel.alert.v1|" + type + "|" + onsetMicros +
     * "|" + patientId} in UTF-8. The patient id comes last and the other parts contain no {@code |}, so
     * different inputs never share a name; any language can recompute the id from this recipe.
     *
     * @param onsetMicros the event-time onset from the signal (UTC microseconds), never the wall clock
     */
    public static String deterministicId(String patientId, AlertType type, long onsetMicros) {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(type, "type");
        String name = "ecg-sentinel.alert.v1|" + type.name() + "|" + onsetMicros + "|" + patientId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
