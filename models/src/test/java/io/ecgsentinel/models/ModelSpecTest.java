package io.ecgsentinel.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelSpecTest {

    /** One beat: scores N, S, V, F, AF, abnormal; RR features with the given pre-RR ratio (RR feature 5, the
     * mean-based irregularity, is high and must not matter); the rhythm irregularity the rule gates on. */
    private static int cls(float pN, float pS, float pV, float pF, float pAf, float preRatio, float irr) {
        return cls(pN, pS, pV, pF, pAf, preRatio, irr, preRatio);
    }

    /** As above, with pre-RR / longer-term RR (BeatWindowExtractor.preLongRatio) given. */
    private static int cls(float pN, float pS, float pV, float pF, float pAf, float preRatio, float irr,
            float preLong) {
        return cls(pN, pS, pV, pF, pAf, preRatio, irr, preLong, Float.NaN);
    }

    /** As above, with the template residual (BeatWindowExtractor.templateResidual; NaN = no template) given. */
    private static int cls(float pN, float pS, float pV, float pF, float pAf, float preRatio, float irr,
            float preLong, float residual) {
        float[] scores = {0, 0, 0, 0, 0, 0, pN, pS, pV, pF, pAf, 0.1f};
        float[] rr = {0, 0, 0, 0, 0, 0, 0.8f * preRatio, 0.9f, 0.8f, preRatio, 1.1f, 0.5f};
        float[] irregularity = {0, irr};
        float[] longRatio = {0, preLong};
        float[] templateResidual = {0, residual};
        int c = ModelSpec.beatClass(scores, rr, irregularity, longRatio, templateResidual, 1);
        assertThat(ModelSpec.isVentricular(scores, rr, templateResidual, 1)).isEqualTo(c == 2);
        return c;
    }

    @Test
    void ventricularByProbabilityOrPrematureWithLowerProbability() {
        assertThat(cls(0.1f, 0f, 0.85f, 0.05f, 0f, 1.0f, 0.05f)).isEqualTo(2);
        assertThat(cls(0.6f, 0.1f, 0.3f, 0f, 0f, 1.0f, 0.05f)).isEqualTo(0);   // not premature: P(V) 0.3 is not enough
        assertThat(cls(0.6f, 0.1f, 0.3f, 0f, 0f, 0.7f, 0.05f)).isEqualTo(2);   // premature: it is
        // the premature threshold itself, and just below it the beat is supraventricular
        float vPre = ModelSpec.V_THRESHOLD_PREMATURE;
        assertThat(cls(0.9f - vPre, 0.1f, vPre, 0f, 0f, 0.7f, 0.05f)).isEqualTo(2);
        assertThat(cls(0.9f - vPre, 0.1f, Math.nextDown(vPre), 0f, 0f, 0.7f, 0.05f)).isEqualTo(1);
    }

    @Test
    void supraventricularIsPrematureNotVentricularRegularRhythmNoAf() {
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0f, 0.7f, 0.05f)).isEqualTo(1);
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0f, 0.7f, 0.15f)).isEqualTo(0);  // irregular (AF-like) rhythm
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0.95f, 0.7f, 0.05f)).isEqualTo(0); // P(AF) >= gate
        assertThat(cls(0.1f, 0.9f, 0f, 0f, 0f, 1.0f, 0.05f)).isEqualTo(0);    // S column alone does not make S
    }

    @Test
    void aBeatOnTimeLocallyButEarlyAgainstTheLongerTermRhythmIsSupraventricular() {
        // inside a supraventricular run: the local average has followed the run, the longer-term RR has not
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0f, 1.0f, 0.05f, 0.6f)).isEqualTo(1);
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0f, 1.0f, 0.05f, 0.75f)).isEqualTo(0); // not early enough
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0f, 1.0f, 0.15f, 0.6f)).isEqualTo(0);  // the gates still apply
        assertThat(cls(0.9f, 0.05f, 0.05f, 0f, 0.95f, 1.0f, 0.05f, 0.6f)).isEqualTo(0);
        // the V step does not use it: P(V) 0.3 on a beat early only against the longer-term RR is not V
        assertThat(cls(0.6f, 0.1f, 0.3f, 0f, 0f, 1.0f, 0.05f, 0.6f)).isEqualTo(1);
    }

    @Test
    void aBeatShapedLikeThePatientsDominantBeatIsNeverVentricular() {
        // a premature beat of a bundle branch block patient: the model finds it ventricular, but its QRS
        // is the patient's own conducted one
        assertThat(cls(0.3f, 0.05f, 0.6f, 0f, 0f, 0.7f, 0.05f, 0.7f, 0.2f)).isEqualTo(1);
        assertThat(cls(0.05f, 0.05f, 0.9f, 0f, 0f, 1.0f, 0.05f, 1.0f, 0.2f)).isEqualTo(0);
        // at or above the limit, or with no template (NaN), the model's P(V) decides as before
        assertThat(cls(0.3f, 0.05f, 0.6f, 0f, 0f, 0.7f, 0.05f, 0.7f, ModelSpec.TEMPLATE_LIKE)).isEqualTo(2);
        assertThat(cls(0.05f, 0.05f, 0.9f, 0f, 0f, 1.0f, 0.05f, 1.0f, 1.2f)).isEqualTo(2);
        assertThat(cls(0.05f, 0.05f, 0.9f, 0f, 0f, 1.0f, 0.05f, 1.0f, Float.NaN)).isEqualTo(2);
        // a model that is sure wins: in a long ventricular run the template becomes the run's own beats
        assertThat(cls(0f, 0f, ModelSpec.V_SURE, 0f, 0f, 1.0f, 0.05f, 1.0f, 0.2f)).isEqualTo(2);
    }

    @Test
    void otherwiseNormalOrFusion() {
        assertThat(cls(0.3f, 0f, 0.1f, 0.6f, 0f, 1.0f, 0.05f)).isEqualTo(3);
        assertThat(cls(0.7f, 0f, 0.1f, 0.2f, 0f, 1.0f, 0.05f)).isEqualTo(0);
    }
}
