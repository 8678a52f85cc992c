package io.ecgsentinel.flink.functions;

import io.ecgsentinel.core.io.StateIO;
import io.ecgsentinel.flink.records.AnalysisWindow;
import io.ecgsentinel.flink.records.DeadLetterEvent;
import io.ecgsentinel.flink.records.Frame;
import io.ecgsentinel.schemas.EcgFrames;
import io.ecgsentinel.schemas.avro.DeadLetterReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by patient: assembles validated frames into one continuous signal in keyed state and emits
 * sliding {@link AnalysisWindow}s of {@code windowSeconds}, one every {@code hopSeconds}, in event time.
 *
 * <ul>
 *   <li>Frames are placed by their sample clock, not by arrival order, so out-of-order frames land
 *       where they belong as long as they arrive before the watermark passes their window.
 *   <li>A window goes out as soon as all of its new samples (those no earlier window carried) have
 *       arrived, so in-order devices do not wait for the watermark's out-of-orderness; a window with
 *       missing samples goes out when the watermark passes its end, its gaps marked.
 *   <li>Samples no frame delivered stay NaN and are counted as missing: gaps are marked, never
 *       interpolated.
 *   <li>Per device, a repeated sequence number is a DUPLICATE_SEQUENCE dead letter; one more than 64
 *       behind the highest seen is REGRESSING_SEQUENCE (unless its time moves forward: a device
 *       reset). A frame whose samples were all handed downstream already is TOO_LATE.
 *   <li>State lives in hop-sized blocks ({@code MapState}), so a frame touches one or two blocks,
 *       which keeps RocksDB reads small; blocks older than the next window are removed as it slides.
 *   <li>When the watermark passes {@code quietSeconds} after the patient's last frame, every piece of
 *       state of the patient is cleared, so state cannot leak when a device leaves.
 * </ul>
 */
public class FrameBuffer extends KeyedProcessFunction<String, Frame, AnalysisWindow> {

    private static final long serialVersionUID = 1L;

    static final String FRAMES_ACCEPTED = "frames-accepted";
    private static final int SEQ_WINDOW = 64;

    private final double windowSeconds;
    private final double hopSeconds;
    private final double quietSeconds;
    private final double reorderSeconds;

    private transient ValueState<StreamMeta> meta;
    private transient MapState<Long, SampleBlock> blocks;
    private transient MapState<String, long[]> sequences;
    private transient DeadLetterCounters deadLetters;
    private transient Counter accepted;
    private transient LongCounter acceptedAcc;
    private transient Counter windowsOut;
    private transient Counter lateSamples;
    private transient Counter cleared;

    /**
     * @param reorderSeconds how much earlier than the first frame of a stream a frame may start and
     *     still be used (at least the watermark's out-of-orderness)
     */
    public FrameBuffer(double windowSeconds, double hopSeconds, double quietSeconds, double reorderSeconds) {
        if (!(hopSeconds > 0) || !(windowSeconds >= 2 * hopSeconds) || !(quietSeconds >= windowSeconds)) {
            throw new IllegalArgumentException("need 0 < 2 * hop <= window <= quiet, got window=" + windowSeconds
                    + " hop=" + hopSeconds + " quiet=" + quietSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.hopSeconds = hopSeconds;
        this.quietSeconds = quietSeconds;
        this.reorderSeconds = reorderSeconds;
    }

    @Override
    public void open(OpenContext openContext) {
        meta = getRuntimeContext().getState(new ValueStateDescriptor<>("stream-meta", StreamMeta.class));
        blocks = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("blocks", LongSerializer.INSTANCE, SampleBlockSerializer.INSTANCE));
        sequences = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("device-sequences", Types.STRING,
                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        deadLetters = new DeadLetterCounters(getRuntimeContext());
        accepted = getRuntimeContext().getMetricGroup().counter("framesAccepted");
        acceptedAcc = getRuntimeContext().getLongCounter(FRAMES_ACCEPTED);
        windowsOut = getRuntimeContext().getMetricGroup().counter("windowsOut");
        lateSamples = getRuntimeContext().getMetricGroup().counter("lateSamplesDropped");
        cleared = getRuntimeContext().getMetricGroup().counter("patientsCleared");
    }

    @Override
    public void processElement(Frame f, Context ctx, Collector<AnalysisWindow> out) throws Exception {
        DeadLetterReason seqProblem = checkSequence(f);
        if (seqProblem != null) {
            reject(f, seqProblem, "sequence " + f.sequence() + " of device " + f.deviceId()
                    + (seqProblem == DeadLetterReason.DUPLICATE_SEQUENCE ? " seen before" : " regresses"), ctx);
            return;
        }
        StreamMeta m = meta.value();
        if (m != null && (m.sampleRateHz != f.sampleRateHz() || !Arrays.equals(m.leads, f.leads()))) {
            // a different device configuration: close the old stream, start a new one
            flushAll(m, ctx, out);
            clearBlocks();
            m = null;
        }
        if (m == null) {
            m = newStream(f, 0);
        }
        long idx = m.indexOf(f.firstSampleTimeMicros());
        int n = f.length();
        if (idx + n <= m.emittedUpTo) {
            reject(f, DeadLetterReason.TOO_LATE, "frame ends " + (m.emittedUpTo - idx - n)
                    + " samples before the analysed part of the stream", ctx);
            return;
        }
        long reorder = Math.round(reorderSeconds * m.sampleRateHz);
        if (m.lastFrameEndMicros != 0 && idx >= m.highestWritten + m.windowSamples + reorder) {
            // a silence of at least a window: finish the old stream and restart at this frame
            flushAll(m, ctx, out);
            clearBlocks();
            m = restart(m, idx);
        }
        accepted.inc();
        acceptedAcc.add(1L);
        write(m, f, idx, n);
        m.lastArrivalMillis = Math.max(m.lastArrivalMillis, f.arrivalMillis());
        m.lastFrameEndMicros = Math.max(m.lastFrameEndMicros, f.endTimeMicros());
        m.deviceId = f.deviceId();
        // a window whose new samples have all arrived cannot change any more: it goes out now instead
        // of waiting out the watermark's out-of-orderness. Windows with missing samples still wait
        // for the watermark, so a frame that is only late (not lost) still lands in its window.
        while (m.nextWindowEnd <= m.highestWritten && newSamplesComplete(m)) {
            emit(m, ctx, out);
        }
        ctx.timerService().registerEventTimeTimer(m.timeMillisCeil(m.nextWindowEnd));
        long quietAt = Math.floorDiv(m.lastFrameEndMicros, 1000) + (long) (quietSeconds * 1000);
        if (m.quietTimerMillis == Long.MIN_VALUE || quietAt - m.quietTimerMillis > 5_000) {
            if (m.quietTimerMillis != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(m.quietTimerMillis);
            }
            m.quietTimerMillis = quietAt;
            ctx.timerService().registerEventTimeTimer(quietAt);
        }
        meta.update(m);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnalysisWindow> out) throws Exception {
        StreamMeta m = meta.value();
        if (m == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (timestamp == m.quietTimerMillis) {
            long quietAt = Math.floorDiv(m.lastFrameEndMicros, 1000) + (long) (quietSeconds * 1000);
            if (watermark >= quietAt) {
                // the patient went quiet: emit what is left, then drop every piece of state
                flushAll(m, ctx, out);
                clearBlocks();
                sequences.clear();
                meta.clear();
                cleared.inc();
                return;
            }
            m.quietTimerMillis = quietAt;
            ctx.timerService().registerEventTimeTimer(quietAt);
        }
        while (m.nextWindowEnd - m.blockSamples < m.highestWritten
                && m.timeMillisCeil(m.nextWindowEnd) <= watermark) {
            emit(m, ctx, out);
        }
        if (m.nextWindowEnd - m.blockSamples < m.highestWritten) {
            ctx.timerService().registerEventTimeTimer(m.timeMillisCeil(m.nextWindowEnd));
        }
        meta.update(m);
    }

    private StreamMeta newStream(Frame f, int epoch) {
        StreamMeta m = new StreamMeta();
        m.sampleRateHz = f.sampleRateHz();
        m.leads = f.leads().clone();
        m.deviceId = f.deviceId();
        m.epoch = epoch;
        m.blockSamples = Math.max(1, (int) Math.round(hopSeconds * f.sampleRateHz()));
        // stream index 0 lies reorderSeconds before the first frame (earlier frames still fit), on the
        // device's sample grid and as close as it gets to a multiple of the hop in absolute time, so the
        // windows do not depend on which frame happened to arrive first
        long hopMicros = Math.round(hopSeconds * 1e6);
        long grid = Math.floorDiv(f.firstSampleTimeMicros() - Math.round(reorderSeconds * 1e6), hopMicros) * hopMicros;
        long k = Math.round((f.firstSampleTimeMicros() - grid) * (double) f.sampleRateHz() / 1e6);
        m.originMicros = f.firstSampleTimeMicros() - k * 1_000_000L / f.sampleRateHz();
        m.windowSamples = Math.max(2 * m.blockSamples, (int) Math.round(windowSeconds * f.sampleRateHz()));
        m.nextWindowEnd = m.windowSamples;
        m.emittedUpTo = 0;
        m.highestWritten = 0;
        m.lowestBlock = 0;
        return m;
    }

    private static StreamMeta restart(StreamMeta m, long idx) {
        m.epoch++;
        m.emittedUpTo = idx;
        m.nextWindowEnd = idx + m.windowSamples;
        m.highestWritten = idx;
        m.lowestBlock = Math.floorDiv(idx, m.blockSamples);
        return m;
    }

    /** Emits every window that still holds unsent data, whatever the watermark (stream ends). */
    private void flushAll(StreamMeta m, Context ctx, Collector<AnalysisWindow> out) throws Exception {
        while (m.nextWindowEnd - m.blockSamples < m.highestWritten) {
            emit(m, ctx, out);
        }
    }

    private void write(StreamMeta m, Frame f, long idx, int n) throws Exception {
        int leads = m.leads.length;
        int offMask = 0;
        for (int k = 0; k < leads && k < 32; k++) {
            if (f.leadOff()[k]) {
                offMask |= 1 << k;
            }
        }
        int B = m.blockSamples;
        long from = Math.max(idx, m.emittedUpTo);
        if (from > idx) {
            lateSamples.inc(from - idx);
        }
        long end = idx + n;
        long j = from;
        while (j < end) {
            long b = Math.floorDiv(j, B);
            long blockEnd = Math.min(end, (b + 1) * B);
            SampleBlock block = blocks.get(b);
            if (block == null) {
                block = SampleBlock.empty(leads, B);
            }
            int off = (int) (j - b * B);
            int len = (int) (blockEnd - j);
            int src = (int) (j - idx);
            writeSamples(f, block, B, src, off, len);
            if (offMask != 0 && block.leadOffMask == null) {
                block.leadOffMask = new int[B]; // the first lead-off flag in this block
            }
            for (int i = 0; i < len; i++) {
                block.written[off + i] = true;
                if (block.leadOffMask != null) {
                    block.leadOffMask[off + i] = offMask;
                }
            }
            blocks.put(b, block);
            j = blockEnd;
        }
        m.highestWritten = Math.max(m.highestWritten, end);
    }

    /** Copies samples {@code src ..} of every lead of {@code f} to {@code off ..} of the block. */
    private static void writeSamples(Frame f, SampleBlock block, int B, int src, int off, int len) {
        int leads = f.leads().length;
        boolean adc = f.hasAdc();
        for (int k = 0; adc && k < leads; k++) {
            adc = block.accepts(k, f.scale()[k], f.baseline()[k]);
        }
        if (adc) {
            for (int k = 0; k < leads; k++) {
                block.scale[k] = f.scale()[k];
                block.baseline[k] = f.baseline()[k];
                System.arraycopy(f.adc()[k], src, block.adc, k * B + off, len);
            }
            return;
        }
        block.toFloats(B);
        if (f.hasAdc()) {
            for (int k = 0; k < leads; k++) {
                short[] a = f.adc()[k];
                for (int i = 0; i < len; i++) {
                    block.samples[k * B + off + i] = EcgFrames.millivolts(a[src + i], f.baseline()[k], f.scale()[k]);
                }
            }
        } else {
            for (int k = 0; k < leads; k++) {
                System.arraycopy(f.millivolts()[k], src, block.samples, k * B + off, len);
            }
        }
    }

    /** Whether every sample of the next window that no earlier window carried has been written. */
    private boolean newSamplesComplete(StreamMeta m) throws Exception {
        int B = m.blockSamples;
        long from = Math.max(m.emittedUpTo, m.nextWindowEnd - m.windowSamples);
        for (long b = Math.floorDiv(from, B); b * B < m.nextWindowEnd; b++) {
            SampleBlock block = blocks.get(b);
            if (block == null) {
                return false;
            }
            int lo = (int) (Math.max(from, b * B) - b * B);
            int hi = (int) (Math.min(m.nextWindowEnd, (b + 1) * B) - b * B);
            for (int i = lo; i < hi; i++) {
                if (!block.written[i]) {
                    return false;
                }
            }
        }
        return true;
    }

    private void emit(StreamMeta m, Context ctx, Collector<AnalysisWindow> out) throws Exception {
        int leads = m.leads.length;
        int W = m.windowSamples;
        int B = m.blockSamples;
        long start = m.nextWindowEnd - W;
        float[][] x = new float[leads][W]; // every sample is written below: from a block, or NaN
        int missing = 0;
        int newFrom = (int) Math.max(0, m.emittedUpTo - start);
        int offMask = 0;
        for (long b = Math.floorDiv(start, B); b * B < start + W; b++) {
            SampleBlock block = blocks.get(b);
            long bs = b * B;
            long lo = Math.max(bs, start);
            long hi = Math.min(bs + B, start + W);
            int i0 = (int) (lo - bs);
            int w0 = (int) (lo - start);
            int n = (int) (hi - lo);
            if (block == null) {
                missing += n;
                for (float[] row : x) {
                    Arrays.fill(row, w0, w0 + n, Float.NaN);
                }
                continue;
            }
            int written = 0;
            for (int i = i0; i < i0 + n; i++) {
                if (block.written[i]) {
                    written++;
                    if (i - i0 + w0 >= newFrom) {
                        offMask |= block.leadOffMask == null ? 0 : block.leadOffMask[i];
                    }
                }
            }
            missing += n - written;
            copyLeads(block, B, i0, x, w0, n, written == n);
        }
        boolean[] leadOff = new boolean[leads];
        for (int k = 0; k < leads && k < 32; k++) {
            leadOff[k] = (offMask & (1 << k)) != 0;
        }
        if (missing < W) { // a window without any sample carries no information: skip it
            out.collect(new AnalysisWindow(ctx.getCurrentKey(), m.deviceId, m.leads, m.sampleRateHz, start,
                    m.timeMicros(start), x, W - newFrom, missing, leadOff, m.epoch, m.lastArrivalMillis));
            windowsOut.inc();
        }
        m.emittedUpTo = m.nextWindowEnd;
        m.nextWindowEnd += B;
        // blocks entirely before the next window are no longer needed
        long keepFrom = Math.floorDiv(m.nextWindowEnd - W, B);
        for (long b = m.lowestBlock; b < keepFrom; b++) {
            blocks.remove(b);
        }
        m.lowestBlock = Math.max(m.lowestBlock, keepFrom);
    }

    /**
     * Samples {@code i0 .. i0 + n - 1} of every lead of the block into {@code x[lead][w0 ..]} in
     * millivolts, NaN where no frame wrote one. Lead by lead, so each row is one run.
     */
    private static void copyLeads(SampleBlock block, int B, int i0, float[][] x, int w0, int n, boolean all) {
        for (int k = 0; k < x.length; k++) {
            float[] row = x[k];
            if (block.adc == null) {
                for (int i = 0; i < n; i++) {
                    row[w0 + i] = all || block.written[i0 + i] ? block.samples[k * B + i0 + i] : Float.NaN;
                }
                continue;
            }
            short[] a = block.adc;
            int base = block.baseline[k];
            float scale = block.scale[k];
            for (int i = 0; i < n; i++) {
                row[w0 + i] = all || block.written[i0 + i] ? EcgFrames.millivolts(a[k * B + i0 + i], base, scale) : Float.NaN;
            }
        }
    }

    private void clearBlocks() throws Exception {
        blocks.clear();
    }

    /** Null when the frame's sequence is acceptable (and records it), else the reason to reject. */
    private DeadLetterReason checkSequence(Frame f) throws Exception {
        long[] s = sequences.get(f.deviceId());
        long seq = f.sequence();
        if (s == null) {
            sequences.put(f.deviceId(), new long[] {seq, 1L, f.endTimeMicros()});
            return null;
        }
        long max = s[0];
        long mask = s[1];
        long d = seq - max;
        if (d > 0) {
            mask = d >= SEQ_WINDOW ? 1L : (mask << d) | 1L;
            max = seq;
        } else if (-d < SEQ_WINDOW) {
            long bit = 1L << (-d);
            if ((mask & bit) != 0) {
                return DeadLetterReason.DUPLICATE_SEQUENCE;
            }
            mask |= bit;
        } else if (f.firstSampleTimeMicros() >= s[2]) {
            // far behind but later in time: the device restarted its counter
            max = seq;
            mask = 1L;
        } else {
            return DeadLetterReason.REGRESSING_SEQUENCE;
        }
        sequences.put(f.deviceId(), new long[] {max, mask, Math.max(s[2], f.endTimeMicros())});
        return null;
    }

    private void reject(Frame f, DeadLetterReason reason, String message, Context ctx) {
        deadLetters.inc(reason);
        ctx.output(DecodeAndValidate.DEAD_LETTERS, DeadLetterEvent.of(f, reason, message));
    }

    /** Number of blocks currently held (tests). */
    int heldBlocks() throws Exception {
        int n = 0;
        for (Iterator<Map.Entry<Long, SampleBlock>> it = blocks.iterator(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /**
     * Serializer of the buffered blocks: each array in one bulk write ({@code StateIO}). Flink's POJO
     * serializer writes an array element by element, and with the heap state backend every checkpoint
     * writes every block of every patient: that per-element path was a measurable share of the job's
     * CPU in {@code ./ecg bench}. A block of 12 leads x 1 s at 500 Hz is about 12.5 KB in ADC form
     * (24.5 KB as floats; 2 KB more for the lead-off masks of a block that saw a lead off).
     *
     * <p>Format: {@link #FORMAT} (negative), then the form (0 ADC, 1 float) and the arrays. Blocks
     * written before the ADC form (no marker: they start with the float array's length, at least -1)
     * are still read, as float-form blocks, so a savepoint taken before it restores.
     */
    public static final class SampleBlockSerializer extends MutableStateSerializer<SampleBlock> {
        private static final long serialVersionUID = 1L;
        public static final SampleBlockSerializer INSTANCE = new SampleBlockSerializer();
        /** Marks the current format; the earlier one began with a length >= -1. */
        static final int FORMAT = 0xEC5B_0002;

        @Override
        public SampleBlock createInstance() {
            return new SampleBlock();
        }

        @Override
        public SampleBlock copy(SampleBlock from) {
            SampleBlock b = new SampleBlock();
            b.adc = from.adc == null ? null : from.adc.clone();
            b.scale = from.scale == null ? null : from.scale.clone();
            b.baseline = from.baseline == null ? null : from.baseline.clone();
            b.samples = from.samples == null ? null : from.samples.clone();
            b.written = from.written == null ? null : from.written.clone();
            b.leadOffMask = from.leadOffMask == null ? null : from.leadOffMask.clone();
            return b;
        }

        @Override
        public void serialize(SampleBlock b, DataOutputView out) throws IOException {
            out.writeInt(FORMAT);
            if (b.adc != null) {
                out.writeByte(0);
                StateIO.writeShorts(out, b.adc);
                StateIO.writeFloats(out, b.scale);
                StateIO.writeInts(out, b.baseline);
            } else {
                out.writeByte(1);
                StateIO.writeFloats(out, b.samples);
            }
            StateIO.writeBooleans(out, b.written);
            StateIO.writeInts(out, b.leadOffMask);
        }

        @Override
        public SampleBlock deserialize(DataInputView in) throws IOException {
            int head = in.readInt();
            if (head != FORMAT) {
                return deserializeFloatFormat(head, in);
            }
            SampleBlock b = new SampleBlock();
            int form = in.readByte();
            if (form == 0) {
                b.adc = StateIO.readShorts(in);
                b.scale = StateIO.readFloats(in);
                b.baseline = StateIO.readInts(in);
            } else if (form == 1) {
                b.samples = StateIO.readFloats(in);
            } else {
                throw new IOException("sample block of unknown form " + form + ": corrupt state");
            }
            b.written = StateIO.readBooleans(in);
            b.leadOffMask = StateIO.readInts(in);
            return b;
        }

        /** A block in the format before the ADC form; {@code n} (the float count) is already read. */
        private static SampleBlock deserializeFloatFormat(int n, DataInputView in) throws IOException {
            if (n < -1) {
                throw new IOException("sample block starts with " + n + ": neither a known format nor a length");
            }
            int m = in.readInt();
            int k = in.readInt();
            byte[] bytes = new byte[4 * Math.max(0, n) + Math.max(0, m) + 4 * Math.max(0, k)];
            in.readFully(bytes);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            SampleBlock b = new SampleBlock();
            if (n >= 0) {
                b.samples = new float[n];
                buf.asFloatBuffer().get(b.samples);
                buf.position(4 * n);
            }
            if (m >= 0) {
                b.written = new boolean[m];
                for (int i = 0; i < m; i++) {
                    b.written[i] = buf.get() != 0;
                }
            }
            if (k >= 0) {
                b.leadOffMask = new int[k];
                buf.asIntBuffer().get(b.leadOffMask);
            }
            return b;
        }

        @Override
        public TypeSerializerSnapshot<SampleBlock> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Snapshot of the stateless serializer (needs a public no-arg constructor). */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<SampleBlock> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
