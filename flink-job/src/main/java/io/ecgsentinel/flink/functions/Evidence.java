package io.ecgsentinel.flink.functions;

import io.ecgsentinel.schemas.avro.AlertType;

/**
 * What one rule concluded for one window: whether its condition holds, since when (the onset that
 * becomes part of the alert id), and the facts for the alert's explanation.
 */
record Evidence(
        AlertType type,
        boolean present,
        long onsetMicros,
        float heartRateBpm,
        float score,
        String[] leads,
        long spanStartMicros,
        long spanEndMicros,
        String text,
        boolean fromModel) {

    static Evidence absent(AlertType type) {
        return new Evidence(type, false, 0, Float.NaN, Float.NaN, new String[0], 0, 0, "", false);
    }
}
