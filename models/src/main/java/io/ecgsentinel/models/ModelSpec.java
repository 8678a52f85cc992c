package io.ecgsentinel.models;

import java.util.List;

/**
 * The input/output contract of the ECG beat model, shared by training, export, evaluation and the
 * DJL inference wrapper so that none of them can drift from the others.
 *
 * <p>One example is one detected beat: a window of {@link #WINDOW} samples at {@link #FS} Hz of the
 * preprocessed signal in the 12 standard leads (absent leads zero, with a 0 in the lead mask),
 * starting {@link #PRE} samples before the beat's fiducial point, plus {@link #RR_FEATURES} RR
 * interval features. Output columns are named by {@link #SCORE_NAMES}.
 */
public final class ModelSpec {

    private ModelSpec() {}

    /** Model sampling rate in Hz (every input is resampled to it by ecg-core's chain). */
    public static final int FS = 100;
    /** Samples before the beat in a window (1.5 s). */
    public static final int PRE = 150;
    /** Samples after the beat in a window (1.0 s, the beat itself included in PRE..). */
    public static final int POST = 100;
    /** Window length in samples. */
    public static final int WINDOW = PRE + POST;
    /** The 12 standard leads, in channel order. */
    public static final List<String> LEADS =
            List.of("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6");
    public static final int N_LEADS = 12;
    /**
     * Channels of the {@code ecg} input: 0-11 the beat's window in the 12 leads, 12-23 the same
     * window minus the median of the windows of the previous {@link #TEMPLATE_BEATS} beats (the
     * patient's own recent beat template), which makes morphology patient-relative.
     */
    public static final int ECG_CHANNELS = 2 * N_LEADS;
    /** Previous beats whose median window forms the template. */
    public static final int TEMPLATE_BEATS = 8;
    /** RR features per beat, see {@code BeatWindowExtractor#rrFeatures}. */
    public static final int RR_FEATURES = 6;
    public static final List<String> RR_FEATURE_NAMES =
            List.of("pre_rr_s", "post_rr_s", "local_avg_rr_s", "pre_rr_ratio", "post_rr_ratio",
                    "rr_irregularity");
    /** Time steps after the convolutional front end (stride 2 three times, SAME padding). */
    public static final int STEPS = 32;

    /** Beat classes of the beat head (softmax), AAMI style. */
    public static final List<String> BEAT_CLASSES = List.of("N", "S", "V", "F");
    /** Diagnostic superclasses of the morphology head (independent sigmoids), PTB-XL style. */
    public static final List<String> SUPERCLASSES = List.of("NORM", "MI", "STTC", "CD", "HYP");
    /** Columns of the {@code scores} output. */
    public static final List<String> SCORE_NAMES =
            List.of("normal", "supraventricular_ectopy", "ventricular_ectopy", "fusion",
                    "atrial_fibrillation", "abnormal_morphology");

    // Signature names (op names contain no '/').
    public static final String IN_ECG = "ecg";
    public static final String IN_MASK = "lead_mask";
    public static final String IN_RR = "rr";
    public static final String OUT_SCORES = "scores";
    public static final String OUT_SUPERCLASS = "superclass_probs";
    public static final String OUT_ANOMALY = "anomaly_score";
    public static final String OUT_ATTENTION = "attention";
    public static final List<String> OUTPUTS =
            List.of(OUT_SCORES, OUT_SUPERCLASS, OUT_ANOMALY, OUT_ATTENTION);

    /**
     * P(AF) at or above which a beat is not called S: in AF there is no supraventricular ectopy to
     * speak of (AAMI labels beats conducted in AF as N), and irregular RR in AF otherwise looks
     * premature.
     */
    public static final float AF_GATE = 0.9f;
    /**
     * A beat is premature when pre-RR / local average RR (RR feature 3) is below this. Patient
     * adaptive: the local average is the mean of the patient's previous 10 RR intervals.
     */
    public static final float PREMATURE_RATIO = 0.85f;
    /**
     * A beat is also premature for the S step when pre-RR / the patient's longer-term RR ({@code
     * BeatWindowExtractor.preLongRatio}: the median of up to {@link #LONG_RR} previous intervals) is below this:
     * the beats of a supraventricular tachycardia run, which the 10-interval local average follows
     * within a few beats. Not used by the V step.
     */
    public static final float LONG_PREMATURE_RATIO = 0.7f;
    /** Previous RR intervals whose median is the longer-term RR of {@link #LONG_PREMATURE_RATIO}. */
    public static final int LONG_RR = 128;
    /**
     * Irregular rhythm (AF-like) when the rhythm irregularity ({@code BeatWindowExtractor.rrIrregularity}:
     * median absolute successive difference of the previous RR intervals / their median) is at or
     * above this; no S is called then. The median, unlike the mean of RR feature 5, is not moved by
     * pauses or by the ectopic beats themselves (sick sinus with frequent atrial premature beats).
     */
    public static final float RR_IRREGULAR = 0.1f;
    /**
     * A beat whose QRS differs from the patient's dominant beat by less than this ({@code
     * BeatWindowExtractor.templateResidual}: RMS of beat minus template over RMS of the beat, over
     * the QRS span of the z-scored windows) is never V: it is shaped like the patient's own
     * conducted beat, which a ventricular beat is not. It is what keeps the premature beats of a
     * patient with a wide QRS (bundle branch block) from being called V. Unless the model is sure
     * ({@link #V_SURE}): inside a long ventricular run the template itself becomes the run's beats.
     */
    public static final float TEMPLATE_LIKE = 0.4f;
    /**
     * P(V) at or above which a beat is V even when shaped like its template ({@link #TEMPLATE_LIKE}).
     * 0.99 until model 6: the mean of 5 networks reaches 0.99 on fewer beats than the mean of 3, and
     * inside the slow VT of MIT-BIH 205 at 1466-1474 s (a template made of the run's own beats) beats
     * at P(V) 0.98 stopped counting as V, which broke the run and missed its alarm. On the fold
     * ensembles every value from 0.95 to 0.99 gives the same held-out VEB figures within 0.1 point.
     */
    public static final float V_SURE = 0.97f;
    /** P(V) at or above which a beat is V whatever its timing. */
    public static final float V_THRESHOLD = 0.8f;
    /**
     * P(V) at or above which a PREMATURE beat is V. 0.2 until model 6 (chosen on single networks):
     * averaging 5 networks pulls the P(V) of beats the networks disagree on towards the middle, and on
     * the patient-held-out fold ensembles of models/ecg-lstm-cv6 premature beats at P(V) 0.1-0.2 were
     * mostly ventricular (BeatRuleSweep, then {@code ecg evaluate --fold-model}: VEB Se 83.10 -> 87.25
     * at +P 87.88 -> 87.60; fold A 92.90 -> 93.13, fold B 78.01 -> 84.19, most in 223, 109, 215, 106;
     * SVEB 50.32 / 76.86 -> 49.68 / 78.56). The operator replay of MIT-BIH kept every true alarm.
     */
    public static final float V_THRESHOLD_PREMATURE = 0.1f;

    /**
     * The beat decision rule, used by training-time validation, evaluation and {@code ecg predict}
     * (the Flink job uses its V step, {@link #isVentricular}). Returns 0..3 = N, S, V, F for row
     * {@code row} of the {@code scores} output ([n, 6]), of the model's RR input ([n,
     * {@link #RR_FEATURES}], as written by {@code BeatWindowExtractor}; {@code EcgModel.Scores.rr}
     * holds a copy), of the rhythm irregularity ([n], {@code BeatWindowExtractor.rrIrregularity},
     * not a model input), of pre-RR / longer-term RR ([n], {@code BeatWindowExtractor.preLongRatio},
     * not a model input) and of the QRS's difference from the dominant-beat template ([n], {@code
     * BeatWindowExtractor.templateResidual} of the model input; NaN without a template):
     * <ol>
     *   <li>V if P(V) >= {@link #V_THRESHOLD}, or the beat is premature (pre-RR / local average <
     *       {@link #PREMATURE_RATIO}) and P(V) >= {@link #V_THRESHOLD_PREMATURE}; but not when the
     *       template residual is below {@link #TEMPLATE_LIKE} and P(V) below {@link #V_SURE};
     *   <li>else S if the beat is premature (as in step 1, or pre-RR / longer-term RR <
     *       {@link #LONG_PREMATURE_RATIO}: inside a supraventricular run), the preceding rhythm is
     *       regular (rhythm irregularity < {@link #RR_IRREGULAR}) and P(AF) < {@link #AF_GATE}: a premature beat with a QRS the
     *       model does not find ventricular, outside AF (the model's own S column is not used: on
     *       patient-held-out data it generalised worse than prematurity);
     *   <li>else the larger of P(N) and P(F).
     * </ol>
     * The thresholds were chosen on the patient-held-out 2-fold cross-validation over MIT-BIH DS1
     * (round values on a plateau), see the model card.
     */
    public static int beatClass(float[] scores, float[] rr, float[] rrIrregularity, float[] preLongRatio,
            float[] templateResidual, int row) {
        if (isVentricular(scores, rr, templateResidual, row)) return 2;
        int off = row * SCORE_NAMES.size();
        boolean premature = rr[row * RR_FEATURES + 3] < PREMATURE_RATIO || preLongRatio[row] < LONG_PREMATURE_RATIO;
        if (premature && rrIrregularity[row] < RR_IRREGULAR && scores[off + 4] < AF_GATE) return 1;
        return scores[off + 3] > scores[off] ? 3 : 0;
    }

    /** Step 1 of {@link #beatClass}: whether row {@code row} is V. */
    public static boolean isVentricular(float[] scores, float[] rr, float[] templateResidual, int row) {
        float pV = scores[row * SCORE_NAMES.size() + 2];
        boolean premature = rr[row * RR_FEATURES + 3] < PREMATURE_RATIO;
        boolean likeTemplate = templateResidual[row] < TEMPLATE_LIKE && pV < V_SURE; // false for NaN (no template)
        return (pV >= V_THRESHOLD || (premature && pV >= V_THRESHOLD_PREMATURE)) && !likeTemplate;
    }

    /** Text of the rule for model cards and reports. */
    public static String beatClassRule() {
        return "V if (P(V) >= " + V_THRESHOLD + " or (premature and P(V) >= " + V_THRESHOLD_PREMATURE
                + ")) and (template residual >= " + TEMPLATE_LIKE + " or no template or P(V) >= " + V_SURE + "); else S if (premature or pre-RR / longer-term RR < " + LONG_PREMATURE_RATIO + ") and rhythm irregularity < "
                + RR_IRREGULAR + " and P(AF) < " + AF_GATE
                + "; else N or F, whichever scores higher. Premature: pre-RR / local average RR < " + PREMATURE_RATIO
                + " (RR feature 3 of the model input). Longer-term RR: median of up to " + 128
                + " previous RR intervals (BeatWindowExtractor.preLongRatio, not a model input). Template residual: RMS of the"
                + " template channels over RMS of the beat's channels, leads present, 80 ms before to 120 ms after the beat"
                + " (BeatWindowExtractor.templateResidual of the model input). Rhythm irregularity: median |successive difference| / median of"
                + " the same previous RR intervals (BeatWindowExtractor.rrIrregularity, not a model input). The S column"
                + " of scores is not used. ModelSpec.beatClass";
    }

    /** Index of a standard lead name (MLII maps to II; case-insensitive), or -1. */
    public static int leadIndex(String name) {
        String n = name.trim().toUpperCase();
        if (n.equals("MLII") || n.equals("ML2")) {
            n = "II";
        } else if (n.startsWith("ML") && n.length() > 2) {
            n = n.substring(2); // modified limb leads MLI, MLIII
        }
        if (n.equals("D1")) n = "I";
        if (n.equals("D2")) n = "II";
        if (n.equals("D3")) n = "III";
        for (int i = 0; i < LEADS.size(); i++) {
            if (LEADS.get(i).toUpperCase().equals(n)) {
                return i;
            }
        }
        return -1;
    }
}
