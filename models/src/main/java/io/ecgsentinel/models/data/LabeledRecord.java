package io.ecgsentinel.models.data;

import io.ecgsentinel.models.input.RecordPipeline;

/**
 * One processed record with per-beat training labels.
 *
 * @param source dataset name (mitdb, ptbxl, cpsc2021)
 * @param patient patient identity used for splitting
 * @param beatClass per detected beat: 0..3 = N/S/V/F of the matched reference beat, -1 = no label
 * @param beatWeight loss weight multiplier of this record's beat labels
 * @param af per detected beat: 1 = inside an AF episode, 0 = not, -1 = unknown
 * @param superclass multi-hot NORM/MI/STTC/CD/HYP of the record, or null when unknown
 */
public record LabeledRecord(
        String source,
        String patient,
        RecordPipeline.Processed rec,
        byte[] beatClass,
        float beatWeight,
        byte[] af,
        float[] superclass) {

    public int beats() {
        return rec.beats().length;
    }
}
