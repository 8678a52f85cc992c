package io.ecgsentinel.flink.functions;

import io.ecgsentinel.core.dsp.MultiLeadPreprocessor;
import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.io.StateIO;
import io.ecgsentinel.core.qrs.QrsDetector;
import io.ecgsentinel.core.quality.BandPowerStream;
import io.ecgsentinel.core.quality.LeadQuality;
import io.ecgsentinel.core.quality.QualitySummary;
import io.ecgsentinel.core.quality.SignalQuality;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.WindowAnalysis;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.BeatWindowExtractor;
import io.ecgsentinel.models.input.BeatWindows;
import io.ecgsentinel.models.input.WindowStatsMemo;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed by patient: runs ecg-core on each analysis window. The real-time {@link QrsDetector} (the
 * one training uses, on the raw leads) is fed only the samples that are new in the window, so it
 * keeps its adaptive thresholds across windows; its state lives in keyed state as an object that is
 * Java-serialized only at checkpoints ({@link DetectorStateSerializer}; it is ecg-core's own {@code
 * Serializable} object). {@link SignalQuality} judges every lead of the window, afresh every {@code
 * quality.interval.seconds} (see {@link #judgeLeads}); leads that are off, flat or flagged by the
 * device are hidden from the detector. Its noise check's filters run on as one stream per lead
 * ({@link BandPowerStream}, in the same keyed state), fed at each verdict the samples that are new
 * since the last one, so each sample is filtered once rather than in each of the five verdict
 * windows that hold it.
 * Beats are reported once they are final ({@code readyLagSeconds} behind the window end), each with
 * its QRS width ({@link QrsWidth}); with the model enabled, the model input of each reported beat is
 * cut by the models module's {@link BeatWindowExtractor} from the output of ecg-core's {@link
 * MultiLeadPreprocessor} (configured from the model card), the same code training runs. Like the
 * detector, the preprocessing chain is one continuous stream per patient: it is fed only the samples
 * that are new in each window (its filter state is kept in keyed state between windows), and as much
 * of its output as the beat windows and templates need ({@link #keepSamples}, about 15 s) is kept. Training
 * filters whole records the same causal way, so a live beat sees the same filter history as a
 * training beat instead of a filter start-up at every window's start.
 */
public class WindowAnalyzer extends KeyedProcessFunction<String, AnalysisWindow, WindowAnalysis> {

    private static final long serialVersionUID = 1L;

    /** Seconds analysed for the VF spectrum at the end of each window. */
    static final double VF_SECONDS = 4.0;

    /** Seconds of signal a beat needs after it before its model window can be cut. */
    static final double MODEL_LAG_SECONDS = 1.4;

    /**
     * Seconds after a beat past which no next beat means the post-RR interval is at least the
     * extractor's cap ({@code BeatWindowExtractor.MAX_RR_SECONDS}): the cap plus the detector's
     * ready lag and a margin. A beat whose next beat is not known yet waits for one until then, so it
     * gets the post-RR training gave it instead of the local-average stand-in.
     */
    static final double NEXT_BEAT_WAIT_SECONDS = BeatWindowExtractor.MAX_RR_SECONDS + 0.8;

    /** A QRS complex is at least this large (mV, peak to peak on the best usable leads). */
    static final double MIN_QRS_MV = 0.2;

    /** ... and at least this share of the patient's running QRS amplitude. */
    static final double MIN_QRS_FRACTION = 0.08;

    /** Two detections closer than this are one beat (the detector's own refractory period). */
    static final double REFRACTORY_SECONDS = 0.2;

    /** Seconds of gap-free signal a window needs for a quality verdict. */
    static final double QUALITY_MIN_SECONDS = 3.0;

    /**
     * Quality is judged on (up to) the newest seconds of each window. Judging only the newest 5 s
     * would halve the job's largest cost, but it was tried and judges an asystolic ECG (P waves, no
     * QRS) as flat, which suppresses the asystole alarm ({@code RuleAlarmsTest} fails): the whole
     * 10 s window it is.
     */
    static final double QUALITY_SECONDS = 10.0;
    /** Patients per subtask whose drift memos are kept (about 11 KB each for 12 leads). */
    static final int MEMO_PATIENTS = 4096;

    private final Map<String, String> preprocessing;
    private final double readyLagSeconds;
    private final long quietMillis;
    /** A fresh quality verdict at least this often (see {@link #judgeLeads}). */
    private final long qualityIntervalMicros;

    private transient ValueState<DetectorState> detectorState;
    private transient Map<Integer, SignalQuality> quality;
    /**
     * Per patient (the key), per lead: the drift check's block medians, reused by the next verdict
     * ({@link SignalQuality.DriftMemo}; same verdicts, less work). A cache outside keyed state: not
     * checkpointed, least recently used patients dropped beyond {@link #MEMO_PATIENTS}.
     */
    private transient Map<String, SignalQuality.DriftMemo[]> driftMemos;
    private transient BeatWindowExtractor extractor;
    /**
     * Per patient: the normalisation statistics of its recent beat windows ({@link WindowStatsMemo},
     * the same model inputs with a ninth of the normalisations). A cache like {@link #driftMemos}.
     */
    private transient Map<String, WindowStatsMemo> windowMemos;
    /** Preprocessing chains by input rate and row count; a patient's state is restored into one. */
    private transient Map<Long, MultiLeadPreprocessor> chains;
    private transient Counter windowsAnalysed;
    private transient Counter beatsOut;

    /**
     * @param preprocessing the model card's preprocessing map, or null when the model is off (then no
     *     model inputs are cut)
     */
    public WindowAnalyzer(Map<String, String> preprocessing, double quietSeconds, double qualityIntervalSeconds) {
        if (!(qualityIntervalSeconds > 0)) {
            throw new IllegalArgumentException("quality interval must be > 0 s, was " + qualityIntervalSeconds);
        }
        this.qualityIntervalMicros = Math.round(qualityIntervalSeconds * 1e6);
        this.quietMillis = (long) (quietSeconds * 1000);
        this.preprocessing = preprocessing == null ? null : new HashMap<>(preprocessing);
        this.readyLagSeconds = 0.6;
    }

    /** State of one patient's detector between windows (in keyed state, see {@link DetectorStateSerializer}). */
    static final class DetectorState implements Serializable {
        private static final long serialVersionUID = 1L;
        int epoch;
        int fs;
        int leads;
        long origin;
        QrsDetector detector;
        long processedUpTo;
        long[] pending = new long[0];
        long[] history = new long[0];
        long[] unscored = new long[0];
        long lastWindowEndMillis;
        long lastGap = Long.MIN_VALUE;
        long lastReported = Long.MIN_VALUE / 2;
        double amplitudeEma = Double.NaN;
        /** The latest per-lead quality verdicts (null entries: no verdict), null before the first. */
        LeadQuality[] quality;
        /** End (µs) of the window they were judged on, and the device's lead-off flags of that window. */
        long qualityAtMicros;
        boolean[] qualityDeviceOff;
        /**
         * Per lead, the noise check's running filters and block powers, at stream positions relative
         * to {@link #origin} (a window start, so the blocks lie on the windows' hop grid whatever index
         * the frame buffer's stream restarted at); null before the first verdict, and after a restore
         * from format 2, which did not have them (the next verdict starts them).
         */
        BandPowerStream[] bandPower;
        /** Window lead index of each preprocessing row (the model's leads, first occurrence). */
        int[] preRows;
        /** The chain's state ({@link MultiLeadPreprocessor#state()}), null before the first window. */
        double[] preState;
        /** Stream index of the chain's first input sample, and of the next one it expects. */
        long preOrigin;
        long preFed;
        /** The chain's latest output, [row][sample]; {@code proc[r][0]} is chain output {@code procStart}. */
        float[][] proc;
        long procStart;
    }

    @Override
    public void open(OpenContext openContext) {
        detectorState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("analyzer-state", DetectorStateSerializer.INSTANCE));
        quality = new HashMap<>();
        driftMemos = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SignalQuality.DriftMemo[]> eldest) {
                return size() > MEMO_PATIENTS;
            }
        };
        windowMemos = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WindowStatsMemo> eldest) {
                return size() > MEMO_PATIENTS;
            }
        };
        extractor = new BeatWindowExtractor();
        chains = new HashMap<>();
        windowsAnalysed = getRuntimeContext().getMetricGroup().counter("windowsAnalysed");
        beatsOut = getRuntimeContext().getMetricGroup().counter("beatsDetected");
    }

    /** One window's lead verdicts: which leads the detector and the model may see. */
    private record Leads(QualitySummary summary, boolean[] hide, String[] off, String[] usable, float qualityIndex) {}

    /** The window's beats made final, with their widths. */
    private record Beats(long readyUpTo, long[] reported, long[] micros, float[] width, boolean[] wide) {}

    /** The model inputs of the beats scored in this window (empty arrays when none). */
    private record ModelInputs(long[] micros, float[] ecg, float[] mask, float[] rr) {
        static final ModelInputs NONE = new ModelInputs(new long[0], new float[0], new float[0], new float[0]);
    }

    @Override
    public void processElement(AnalysisWindow w, Context ctx, Collector<WindowAnalysis> out) throws Exception {
        int fs = w.sampleRateHz();
        int leads = w.leads().length;
        int len = w.length();
        DetectorState st = load();
        if (st == null || st.epoch != w.streamEpoch() || st.fs != fs || st.leads != leads
                || w.startSample() > st.processedUpTo + len || w.endSample() <= st.processedUpTo - len) {
            st = new DetectorState();
            st.epoch = w.streamEpoch();
            st.fs = fs;
            st.leads = leads;
            st.origin = w.startSample();
            st.processedUpTo = w.startSample();
            st.detector = new QrsDetector(fs, leads);
        }
        SignalQuality.DriftMemo[] memo = driftMemos.get(ctx.getCurrentKey());
        if (memo == null || memo.length != leads) {
            memo = new SignalQuality.DriftMemo[leads];
            for (int k = 0; k < leads; k++) {
                memo[k] = new SignalQuality.DriftMemo();
            }
            driftMemos.put(ctx.getCurrentKey(), memo);
        }
        Leads lq = judgeLeads(st, w, memo);
        List<Long> found = detect(st, w, lq);
        Beats beats = finalBeats(st, w, lq, found);
        ModelInputs model = preprocessing == null ? ModelInputs.NONE
                : modelInputs(st, w, lq, beats.reported(), windowMemos.computeIfAbsent(ctx.getCurrentKey(),
                        k -> new WindowStatsMemo()));
        float[] vf = vfFeatures(w, lq);

        // state is cleared by a timer once the patient's windows stop (one timer per 10 s of stream)
        long endMillis = w.endMicros() / 1000;
        long bucket = Math.floorDiv(endMillis, 10_000) * 10_000 + 10_000 + quietMillis;
        if (Math.floorDiv(st.lastWindowEndMillis, 10_000) != Math.floorDiv(endMillis, 10_000)) {
            ctx.timerService().registerEventTimeTimer(bucket);
        }
        st.lastWindowEndMillis = endMillis;
        save(st);
        windowsAnalysed.inc();
        beatsOut.inc(beats.reported().length);
        float[] nan = new float[model.micros().length];
        Arrays.fill(nan, Float.NaN);
        double hr = st.detector.rr().smoothedBpm();
        out.collect(new WindowAnalysis(w.patientId(), w.deviceId(), w.streamEpoch(), w.startMicros(), w.endMicros(),
                w.sampleMicros(beats.readyUpTo()),
                st.lastGap == Long.MIN_VALUE ? Long.MIN_VALUE : w.sampleMicros(st.lastGap),
                w.latestArrivalMillis(), beats.micros(), beats.width(), beats.wide(), model.micros(), nan,
                nan.clone(), nan.clone(), nan.clone(),
                (float) hr, lq.usable().length, leads, lq.off(), lq.usable(), lq.qualityIndex(),
                vf[0] > 0, vf[1], vf[2], vf[3], vf[4],
                model.ecg(), model.mask(), model.rr()));
    }

    /**
     * Signal quality of every lead, over the window's newest {@link #QUALITY_SECONDS} after its last
     * gap (a gap is missing data, not a lead problem); with less than {@link #QUALITY_MIN_SECONDS}
     * there is no verdict. Leads that are off or flat, by the verdict or the device's flag, are hidden.
     *
     * <p>Judging 12 leads over 10 s is most of the analyzer's cost, and a window shares 9 of its 10 s
     * with the one before, so a fresh verdict is taken at the first window at least {@code
     * quality.interval.seconds} (default 2: every other 1 s hop) after the last one, and at once when
     * the window is missing samples (a gap starts or ends) or the device's lead-off flags change; in
     * between the latest verdict stands. The device's flags always
     * apply to the window at hand. A lead that fails is thus judged within the interval, well inside
     * the 4 s an asystole alarm needs.
     */
    private Leads judgeLeads(DetectorState st, AnalysisWindow w, SignalQuality.DriftMemo[] memo) {
        int leads = w.leads().length;
        boolean due = st.quality == null || w.endMicros() - st.qualityAtMicros >= qualityIntervalMicros - 1000
                || w.endMicros() < st.qualityAtMicros || w.missingSamples() > 0
                || !Arrays.equals(w.leadOff(), st.qualityDeviceOff);
        if (due) {
            st.quality = assessLeads(st, w, memo);
            st.qualityAtMicros = w.endMicros();
            st.qualityDeviceOff = w.leadOff().clone();
        }
        List<LeadQuality> lqs = Arrays.asList(st.quality);
        boolean judged = st.quality.length == 0 || st.quality[0] != null; // assessLeads: all or none
        QualitySummary q = judged ? QualitySummary.of(lqs) : null;
        boolean[] hide = new boolean[leads];
        List<String> off = new ArrayList<>();
        List<String> usable = new ArrayList<>();
        double indexSum = 0;
        for (int k = 0; k < leads; k++) {
            LeadQuality lq = lqs.get(k);
            boolean qOff = lq != null && (lq.leadOff() || lq.flat());
            hide[k] = qOff || w.leadOff()[k];
            if ((lq != null && lq.leadOff()) || w.leadOff()[k]) {
                off.add(w.leads()[k]);
            }
            if (lq != null && lq.usable() && !hide[k]) {
                usable.add(w.leads()[k]);
            }
            indexSum += lq == null ? 0 : lq.index();
        }
        return new Leads(q, hide, off.toArray(new String[0]), usable.toArray(new String[0]),
                judged ? (float) (indexSum / Math.max(1, leads)) : Float.NaN);
    }

    /**
     * Fresh verdicts for every lead of the window, or all null when it has too little gap-free signal.
     * Each lead's band-power stream is fed the samples since the previous verdict, which the window
     * holds (a 10 s window, a verdict at least every 4 s); after a gap, missing samples or a window
     * without a verdict in between, {@link SignalQuality} restarts it at this window.
     */
    private LeadQuality[] assessLeads(DetectorState st, AnalysisWindow w, SignalQuality.DriftMemo[] memo) {
        int fs = w.sampleRateHz();
        int leads = w.leads().length;
        int len = w.length();
        int qualityFrom = (int) Math.max(0, len - Math.round(QUALITY_SECONDS * fs));
        int validFrom = qualityFrom;
        for (int i = len - 1; i >= qualityFrom; i--) {
            boolean any = false;
            for (int k = 0; k < leads && !any; k++) {
                any = !Float.isNaN(w.samples()[k][i]);
            }
            if (!any) {
                validFrom = i + 1;
                break;
            }
        }
        LeadQuality[] out = new LeadQuality[leads];
        if (len - validFrom >= QUALITY_MIN_SECONDS * fs) {
            SignalQuality sq = quality.computeIfAbsent(fs, SignalQuality::new);
            if (st.bandPower == null || st.bandPower.length != leads) {
                st.bandPower = new BandPowerStream[leads];
                for (int k = 0; k < leads; k++) {
                    st.bandPower[k] = new BandPowerStream();
                }
            }
            long at = w.startSample() - st.origin + validFrom;
            for (int k = 0; k < leads; k++) {
                out[k] = sq.assess(w.samples()[k], validFrom, len - validFrom, w.leadOff()[k], Double.NaN, Double.NaN,
                        at, memo[k], st.bandPower[k]);
            }
        }
        return out;
    }

    /**
     * Feeds the samples that are new in this window to the detector (hidden leads as NaN: a gap on
     * that lead only; samples no window delivered as a gap on every lead); returns its detections.
     */
    private static List<Long> detect(DetectorState st, AnalysisWindow w, Leads lq) {
        int leads = w.leads().length;
        int len = w.length();
        boolean[] hide = lq.hide();
        List<Long> found = new ArrayList<>();
        long origin = st.origin;
        if (w.startSample() > st.processedUpTo) { // samples never delivered between windows: a gap
            float[][] gap = new float[leads][(int) (w.startSample() - st.processedUpTo)];
            for (float[] g : gap) {
                Arrays.fill(g, Float.NaN);
            }
            st.detector.process(gap, (s, d) -> found.add(origin + s));
            st.lastGap = w.startSample() - 1;
            st.processedUpTo = w.startSample();
        }
        int from = (int) (st.processedUpTo - w.startSample());
        if (from < len) {
            float[][] feed = new float[leads][];
            for (int k = 0; k < leads; k++) {
                if (hide[k]) {
                    feed[k] = new float[len];
                    Arrays.fill(feed[k], Float.NaN);
                } else {
                    feed[k] = w.samples()[k];
                }
            }
            st.detector.process(feed, from, len, (s, d) -> found.add(origin + s));
            for (int i = from; i < len; i++) {
                boolean any = false;
                for (int k = 0; k < leads && !any; k++) {
                    any = !Float.isNaN(feed[k][i]);
                }
                if (!any) {
                    st.lastGap = w.startSample() + i;
                }
            }
            if (lq.usable().length == 0) {
                st.lastGap = Math.max(st.lastGap, w.endSample() - 1);
            }
            st.processedUpTo = w.endSample();
        }
        return found;
    }

    /**
     * Beats become final readyLag behind the window end. The detector's search-back can accept a
     * candidate (a P or T wave) within the refractory period of a beat it already emitted, and even
     * before it: two beats closer than REFRACTORY_SECONDS are one beat, and the steeper one is kept.
     */
    private Beats finalBeats(DetectorState st, AnalysisWindow w, Leads lq, List<Long> found) {
        int fs = w.sampleRateHz();
        int len = w.length();
        QualitySummary q = lq.summary();
        boolean[] hide = lq.hide();
        int[] slopeLeads = q == null ? new int[0] : measureLeads(q, hide);
        int[] ampLeads = visibleLeads(hide, q != null);
        long refr = Math.round(REFRACTORY_SECONDS * fs);
        List<Long> cand = new ArrayList<>();
        for (long b : st.pending) {
            cand.add(b);
        }
        for (long b : found) {
            if (b > st.lastReported + refr) {
                cand.add(b);
            }
        }
        cand.sort(null);
        List<Long> kept = new ArrayList<>();
        for (long b : cand) {
            // a detection much smaller than the patient's QRS complexes is noise or a P wave (asystole)
            double amp = amplitude(w, ampLeads, b, fs);
            if (!Double.isNaN(amp) && amp < Math.max(MIN_QRS_MV,
                    Double.isNaN(st.amplitudeEma) ? 0 : MIN_QRS_FRACTION * st.amplitudeEma)) {
                continue;
            }
            if (!kept.isEmpty() && b - kept.get(kept.size() - 1) < refr) {
                long prev = kept.get(kept.size() - 1);
                if (slope(w, slopeLeads, b, fs) > slope(w, slopeLeads, prev, fs)) {
                    kept.set(kept.size() - 1, b);
                }
                continue;
            }
            if (!kept.isEmpty() && kept.get(kept.size() - 1).equals(b)) {
                continue;
            }
            kept.add(b);
        }
        long readyUpTo = w.endSample() - Math.round(readyLagSeconds * fs);
        long[] pending = kept.stream().mapToLong(Long::longValue).toArray();
        int ready = 0;
        while (ready < pending.length && pending[ready] < readyUpTo) {
            ready++;
        }
        long[] reported = Arrays.copyOf(pending, ready);
        st.pending = Arrays.copyOfRange(pending, ready, pending.length);
        if (ready > 0) {
            st.lastReported = reported[ready - 1];
        }
        for (long b : reported) {
            double amp = amplitude(w, ampLeads, b, fs);
            if (!Double.isNaN(amp) && amp > 0) {
                st.amplitudeEma = Double.isNaN(st.amplitudeEma) ? amp : 0.9 * st.amplitudeEma + 0.1 * amp;
            }
        }
        int[] measureLeads = slopeLeads;
        float[] width = new float[ready];
        boolean[] wide = new boolean[ready];
        long[] beatMicros = new long[ready];
        for (int i = 0; i < ready; i++) {
            beatMicros[i] = w.sampleMicros(reported[i]);
            long c = reported[i] - w.startSample();
            double wm = c >= 0 && c < len ? QrsWidth.widthMs(w.samples(), measureLeads, (int) c, fs) : Double.NaN;
            width[i] = (float) wm;
            wide[i] = wm >= QrsWidth.WIDE_MS;
        }
        return new Beats(readyUpTo, reported, beatMicros, width, wide);
    }

    /**
     * The model input of every reported beat that has {@link #MODEL_LAG_SECONDS} of signal after it
     * (the model needs POST samples, 1 s, after a beat plus the chain's delay: it lags the rules)
     * and a known next beat for its post-RR, or {@link #NEXT_BEAT_WAIT_SECONDS} of signal after it
     * without one (a pause: post-RR is then the cap, as a whole record gives it).
     */
    private ModelInputs modelInputs(DetectorState st, AnalysisWindow w, Leads lq, long[] reported,
            WindowStatsMemo memo) {
        int fs = w.sampleRateHz();
        long[] unscored = concat(st.unscored, toList(reported));
        long scoreUpTo = w.endSample() - Math.round(MODEL_LAG_SECONDS * fs);
        long pauseUpTo = w.endSample() - Math.round(NEXT_BEAT_WAIT_SECONDS * fs);
        int n = 0;
        while (n < unscored.length && unscored[n] < scoreUpTo) {
            n++;
        }
        boolean nextKnown = n < unscored.length || st.pending.length > 0;
        if (n > 0 && !nextKnown && unscored[n - 1] >= pauseUpTo) {
            n--; // the last one waits for its next beat
        }
        long[] toScore = Arrays.copyOf(unscored, n);
        st.unscored = Arrays.copyOfRange(unscored, n, unscored.length);
        long[] after = concat(st.unscored, toList(st.pending));
        if (n > 0 && after.length == 0) {
            // no beat within the wait: a stand-in next beat just past the cap gives post-RR = the cap
            after = new long[] {toScore[n - 1] + (long) Math.ceil((BeatWindowExtractor.MAX_RR_SECONDS + 0.05) * fs)};
        }
        // beats older than the window cannot be cut any more: drop them unscored
        int keep = 0;
        while (keep < toScore.length && toScore[keep] - w.startSample() < ModelSpec.PRE * (long) fs / ModelSpec.FS) {
            keep++;
        }
        long[] history = concat(st.history, toList(Arrays.copyOf(toScore, keep)));
        toScore = Arrays.copyOfRange(toScore, keep, toScore.length);
        preprocess(st, w);
        ModelInputs result = ModelInputs.NONE;
        if (toScore.length > 0) {
            BeatWindows bw = cut(st, w, lq.hide(), history, toScore, after, memo);
            long[] micros = new long[toScore.length];
            for (int i = 0; i < toScore.length; i++) {
                micros[i] = w.sampleMicros(toScore[i]);
            }
            result = new ModelInputs(micros, Arrays.copyOf(bw.ecg, bw.size * ModelSpec.WINDOW * ModelSpec.ECG_CHANNELS),
                    Arrays.copyOf(bw.mask, bw.size * ModelSpec.N_LEADS),
                    Arrays.copyOf(bw.rr, bw.size * ModelSpec.RR_FEATURES));
        }
        long[] hist = concat(history, toList(toScore));
        st.history = Arrays.copyOfRange(hist, Math.max(0, hist.length - BeatWindowExtractor.HISTORY_BEATS),
                hist.length);
        return result;
    }

    /**
     * VF signature and periodicity on the best usable lead over the last {@link #VF_SECONDS} of the
     * window: {vfLike (1 or 0), dominant Hz, std mV, periodic bpm, periodicity strength}.
     */
    private static float[] vfFeatures(AnalysisWindow w, Leads lq) {
        QualitySummary q = lq.summary();
        boolean[] hide = lq.hide();
        int best = -1;
        for (int k : q == null ? new int[0] : q.ranking()) {
            if (!hide[k] && q.leads().get(k).usable()) {
                best = k;
                break;
            }
        }
        if (best < 0 && q != null) {
            for (int k : q.ranking()) {
                if (!hide[k]) {
                    best = k;
                    break;
                }
            }
        }
        VfFeatures.Result vf = new VfFeatures.Result(Double.NaN, 0, 0);
        Periodicity.Result period = new Periodicity.Result(Double.NaN, 0);
        if (best >= 0) {
            int len = w.length();
            int fs = w.sampleRateHz();
            int span = (int) Math.min(len, Math.round(VF_SECONDS * fs));
            vf = VfFeatures.of(w.samples()[best], len - span, len, fs);
            period = Periodicity.of(w.samples()[best], len - span, len, fs);
        }
        return new float[] {vf.vfLike() ? 1f : 0f, (float) vf.dominantHz(), (float) vf.stdMv(), (float) period.bpm(),
                (float) period.strength()};
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowAnalysis> out) throws Exception {
        DetectorState st = load();
        if (st != null && timestamp >= st.lastWindowEndMillis + quietMillis) {
            detectorState.clear();
            driftMemos.remove(ctx.getCurrentKey());
            windowMemos.remove(ctx.getCurrentKey());
        }
    }

    /** Peak-to-peak QRS amplitude around a beat, NaN when it is outside the window or no lead is usable. */
    private static double amplitude(AnalysisWindow w, int[] leads, long beat, int fs) {
        long c = beat - w.startSample();
        return c >= 0 && c < w.length() && leads.length > 0 ? QrsWidth.amplitude(w.samples(), leads, (int) c, fs)
                : Double.NaN;
    }

    private static double slope(AnalysisWindow w, int[] leads, long beat, int fs) {
        long c = beat - w.startSample();
        return c >= 0 && c < w.length() && leads.length > 0 ? QrsWidth.peakSlope(w.samples(), leads, (int) c, fs) : 0;
    }

    private static int[] visibleLeads(boolean[] hide, boolean judged) {
        if (!judged) {
            return new int[0];
        }
        int[] out = new int[hide.length];
        int n = 0;
        for (int k = 0; k < hide.length; k++) {
            if (!hide[k]) {
                out[n++] = k;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Up to three best leads that are not hidden, for the width measurement. */
    private static int[] measureLeads(QualitySummary q, boolean[] hide) {
        int[] out = new int[3];
        int n = 0;
        for (int k : q.ranking()) {
            if (!hide[k] && q.leads().get(k).usable() && n < 3) {
                out[n++] = k;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The (shared) chain for this rate and row count; it holds whichever patient's state was restored last. */
    private MultiLeadPreprocessor chainOf(DetectorState st, int fs) {
        return chains.computeIfAbsent(((long) fs << 8) | st.preRows.length,
                k -> new MultiLeadPreprocessor(PreprocessingConfig.fromMap(preprocessing).withInputFs(fs),
                        st.preRows.length));
    }

    /** The patient's chain for this window's rate and rows, holding the patient's state. */
    private MultiLeadPreprocessor chain(DetectorState st, int fs) {
        MultiLeadPreprocessor pre = chainOf(st, fs);
        if (st.preState == null) {
            pre.reset();
        } else {
            pre.restore(st.preState);
        }
        return pre;
    }

    /**
     * Feeds the window's new samples (after a gap between windows, the gap as missing samples, which
     * the chain holds) to the patient's preprocessing chain and keeps the newest {@link #keepSamples}
     * of its output in {@code st.proc}.
     */
    private void preprocess(DetectorState st, AnalysisWindow w) {
        if (st.preRows == null) {
            boolean[] taken = new boolean[ModelSpec.N_LEADS];
            int[] rows = new int[w.leads().length];
            int n = 0;
            for (int k = 0; k < w.leads().length; k++) {
                int c = ModelSpec.leadIndex(w.leads()[k]);
                if (c >= 0 && !taken[c]) {
                    taken[c] = true;
                    rows[n++] = k;
                }
            }
            st.preRows = Arrays.copyOf(rows, n);
            st.preOrigin = w.startSample();
            st.preFed = w.startSample();
            st.proc = new float[n][0];
            st.procStart = 0;
        }
        int rows = st.preRows.length;
        if (rows == 0 || st.preFed >= w.endSample()) {
            return;
        }
        MultiLeadPreprocessor pre = chain(st, w.sampleRateHz());
        int gap = (int) Math.max(0, w.startSample() - st.preFed);
        int from = (int) Math.max(0, st.preFed - w.startSample());
        int fresh = w.length() - from;
        float[][] in = new float[rows][];
        float[][] out = new float[rows][pre.maxOutput(gap) + pre.maxOutput(fresh)];
        int produced = 0;
        if (gap > 0) {
            float[] missing = new float[gap];
            Arrays.fill(missing, Float.NaN);
            Arrays.fill(in, missing);
            produced = pre.process(in, 0, gap, out, 0);
        }
        for (int r = 0; r < rows; r++) {
            in[r] = w.samples()[st.preRows[r]];
        }
        produced += pre.process(in, from, fresh, out, produced);
        st.preFed = w.endSample();
        st.preState = pre.state();

        int outFs = (int) Math.round(pre.config().outputFs());
        int cap = keepSamples(outFs, produced);
        int old = st.proc[0].length;
        int keepOld = Math.max(0, Math.min(old, cap - produced));
        int skipNew = Math.max(0, produced - cap);
        float[][] next = new float[rows][keepOld + produced - skipNew];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(st.proc[r], old - keepOld, next[r], 0, keepOld);
            System.arraycopy(out[r], skipNew, next[r], keepOld, produced - skipNew);
        }
        st.procStart += old - keepOld + skipNew;
        st.proc = next;
    }

    /**
     * Chain output (at {@code outFs}) to keep after a window that produced {@code produced} samples:
     * the beats it can score lie at most {@link #NEXT_BEAT_WAIT_SECONDS} plus its new span before its end,
     * and each needs its template beats' windows, {@code BeatWindowExtractor.LOOKBACK_SAMPLES} (at
     * the model rate) before it; half a second of margin.
     */
    static int keepSamples(int outFs, int produced) {
        return (int) ((long) BeatWindowExtractor.LOOKBACK_SAMPLES * outFs / ModelSpec.FS)
                + (int) Math.ceil((NEXT_BEAT_WAIT_SECONDS + 0.5) * outFs) + produced;
    }

    private BeatWindows cut(DetectorState st, AnalysisWindow w, boolean[] hide, long[] history,
            long[] reported, long[] pending, WindowStatsMemo memo) {
        BeatWindows out = new BeatWindows(reported.length);
        float[][] channels = new float[ModelSpec.N_LEADS][];
        boolean any = false;
        for (int r = 0; r < st.preRows.length; r++) {
            int k = st.preRows[r];
            if (!hide[k]) {
                channels[ModelSpec.leadIndex(w.leads()[k])] = st.proc[r];
                any = true;
            }
        }
        if (!any) {
            out.size = reported.length; // all-zero rows with an empty lead mask
            return out;
        }
        MultiLeadPreprocessor pre = chainOf(st, w.sampleRateHz()); // positions only: no state needed
        long[] all = new long[history.length + reported.length + pending.length];
        int n = 0;
        for (long b : history) {
            all[n++] = pre.outputIndexOf(b - st.preOrigin);
        }
        int first = n;
        for (long b : reported) {
            all[n++] = pre.outputIndexOf(b - st.preOrigin);
        }
        for (long b : pending) {
            all[n++] = pre.outputIndexOf(b - st.preOrigin);
        }
        for (int i = 0; i < reported.length; i++) {
            extractor.append(channels, st.procStart, all, first + i, out, memo);
        }
        return out;
    }

    private DetectorState load() throws IOException {
        return detectorState.value();
    }

    private void save(DetectorState st) throws IOException {
        detectorState.update(st);
    }

    /**
     * Keyed-state serializer of {@link DetectorState}, a compact binary form with every array in one
     * bulk copy ({@code StateIO}, {@link QrsDetector#writeTo}). With the heap state backend the
     * state object stays on the heap between windows and is written only at checkpoints (and
     * deep-copied when a window touches it while a snapshot is running). Java serialization of the
     * same object was the largest cost of a checkpoint (9 % of all samples at 350 patients in
     * {@code ./ecg bench}, against 2 % for the frame buffer's 2.5 times larger bulk-written blocks).
     * The bytes start with {@link #MAGIC}, so state written by the earlier Java-serialized form fails
     * to restore with a message instead of being misread. Format 3 adds the band-power streams at the
     * end; format 2 ({@link #MAGIC_2}, the job before them) still restores, its streams starting
     * afresh at the next verdict.
     */
    public static final class DetectorStateSerializer extends MutableStateSerializer<DetectorState> {
        private static final long serialVersionUID = 1L;
        public static final DetectorStateSerializer INSTANCE = new DetectorStateSerializer();
        /** "ECA3": analyzer state, binary format 3 (format 2 plus the band-power streams). */
        static final int MAGIC = 0x45434133;
        /** "ECA2": format 2, still read. */
        static final int MAGIC_2 = 0x45434132;

        @Override
        public DetectorState createInstance() {
            return new DetectorState();
        }

        @Override
        public DetectorState copy(DetectorState from) {
            try {
                org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(64 * 1024);
                serialize(from, out);
                return deserialize(new org.apache.flink.core.memory.DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot copy the analyzer state", e);
            }
        }

        @Override
        public void serialize(DetectorState st, DataOutputView out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(st.epoch);
            out.writeInt(st.fs);
            out.writeInt(st.leads);
            out.writeLong(st.origin);
            out.writeBoolean(st.detector != null);
            if (st.detector != null) {
                st.detector.writeTo(out);
            }
            out.writeLong(st.processedUpTo);
            StateIO.writeLongs(out, st.pending);
            StateIO.writeLongs(out, st.history);
            StateIO.writeLongs(out, st.unscored);
            out.writeLong(st.lastWindowEndMillis);
            out.writeLong(st.lastGap);
            out.writeLong(st.lastReported);
            out.writeDouble(st.amplitudeEma);
            out.writeInt(st.quality == null ? -1 : st.quality.length);
            if (st.quality != null) {
                for (LeadQuality q : st.quality) {
                    writeQuality(q, out);
                }
            }
            out.writeLong(st.qualityAtMicros);
            StateIO.writeBooleans(out, st.qualityDeviceOff);
            StateIO.writeInts(out, st.preRows);
            StateIO.writeDoubles(out, st.preState);
            out.writeLong(st.preOrigin);
            out.writeLong(st.preFed);
            out.writeInt(st.proc == null ? -1 : st.proc.length);
            if (st.proc != null) {
                for (float[] row : st.proc) {
                    StateIO.writeFloats(out, row);
                }
            }
            out.writeLong(st.procStart);
            out.writeInt(st.bandPower == null ? -1 : st.bandPower.length);
            if (st.bandPower != null) {
                for (BandPowerStream b : st.bandPower) {
                    b.writeTo(out);
                }
            }
        }

        @Override
        public DetectorState deserialize(DataInputView in) throws IOException {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_2) {
                throw new IOException("the analyzer state was written by another version of the job (format 0x"
                        + Integer.toHexString(magic) + "); restore without the state of operator 'qrs, quality, features'");
            }
            DetectorState st = new DetectorState();
            st.epoch = in.readInt();
            st.fs = in.readInt();
            st.leads = in.readInt();
            st.origin = in.readLong();
            st.detector = in.readBoolean() ? QrsDetector.readFrom(in) : null;
            st.processedUpTo = in.readLong();
            st.pending = StateIO.readLongs(in);
            st.history = StateIO.readLongs(in);
            st.unscored = StateIO.readLongs(in);
            st.lastWindowEndMillis = in.readLong();
            st.lastGap = in.readLong();
            st.lastReported = in.readLong();
            st.amplitudeEma = in.readDouble();
            int nq = in.readInt();
            if (nq >= 0) {
                st.quality = new LeadQuality[nq];
                for (int k = 0; k < nq; k++) {
                    st.quality[k] = readQuality(in);
                }
            } else {
                st.quality = null;
            }
            st.qualityAtMicros = in.readLong();
            st.qualityDeviceOff = StateIO.readBooleans(in);
            st.preRows = StateIO.readInts(in);
            st.preState = StateIO.readDoubles(in);
            st.preOrigin = in.readLong();
            st.preFed = in.readLong();
            int rows = in.readInt();
            if (rows >= 0) {
                st.proc = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    st.proc[r] = StateIO.readFloats(in);
                }
            } else {
                st.proc = null;
            }
            st.procStart = in.readLong();
            int bands = magic == MAGIC_2 ? -1 : in.readInt();
            if (bands > 1024) {
                throw new IOException("corrupt state: " + bands + " band-power streams");
            }
            if (bands >= 0) {
                st.bandPower = new BandPowerStream[bands];
                for (int k = 0; k < bands; k++) {
                    st.bandPower[k] = BandPowerStream.readFrom(in);
                }
            }
            return st;
        }

        private static void writeQuality(LeadQuality q, DataOutputView out) throws IOException {
            out.writeBoolean(q != null);
            if (q == null) {
                return;
            }
            out.writeBoolean(q.flat());
            out.writeBoolean(q.clipped());
            out.writeBoolean(q.leadOff());
            out.writeBoolean(q.noisy());
            out.writeBoolean(q.baselineDrift());
            out.writeDouble(q.index());
            out.writeBoolean(q.usable());
            out.writeDouble(q.stdMv());
            out.writeDouble(q.dcOffsetMv());
            out.writeDouble(q.clippedFraction());
            out.writeDouble(q.nanFraction());
            out.writeDouble(q.hfNoiseRatio());
            out.writeDouble(q.driftMv());
            out.writeDouble(q.flatSeconds());
        }

        private static LeadQuality readQuality(DataInputView in) throws IOException {
            if (!in.readBoolean()) {
                return null;
            }
            return new LeadQuality(in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean(),
                    in.readBoolean(), in.readDouble(), in.readBoolean(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<DetectorState> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Snapshot of the stateless serializer (needs a public no-arg constructor). */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<DetectorState> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    private static long[] concat(long[] a, List<Long> b) {
        long[] out = Arrays.copyOf(a, a.length + b.size());
        for (int i = 0; i < b.size(); i++) {
            out[a.length + i] = b.get(i);
        }
        return out;
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }
}
