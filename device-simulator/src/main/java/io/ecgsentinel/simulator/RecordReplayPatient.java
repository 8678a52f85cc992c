package io.ecgsentinel.simulator;

import java.util.List;

/**
 * A replayed record as a live patient: the record's samples in order (looping if asked, with the
 * device clock running on), and its annotations as truth at the samples they point to, shifted by
 * one record length per loop.
 */
public final class RecordReplayPatient implements PatientStream {

    private final ReplayRecord record;
    private final String patientId;
    private final String deviceId;
    private final boolean loop;
    private final long startOffset;
    private long pos;
    private int truthIdx;
    private long truthPass;

    /**
     * @param startOffset where in the record to start (samples; 0 for its beginning), so several
     *     patients replaying one record are not in lockstep
     */
    public RecordReplayPatient(ReplayRecord record, String patientId, String deviceId, boolean loop,
            long startOffset) {
        if (record.length() == 0) {
            throw new IllegalArgumentException(record.source() + " has no samples");
        }
        this.record = record;
        this.patientId = patientId;
        this.deviceId = deviceId;
        this.loop = loop;
        this.startOffset = Math.floorMod(startOffset, record.length());
        // skip the truth of the part before the start offset
        List<TruthEvent> t = record.truth();
        while (truthIdx < t.size() && t.get(truthIdx).onsetSample() < this.startOffset) {
            truthIdx++;
        }
    }

    @Override
    public String patientId() {
        return patientId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String source() {
        return record.source();
    }

    @Override
    public int sampleRateHz() {
        return record.sampleRateHz();
    }

    @Override
    public List<String> leads() {
        return record.leads();
    }

    @Override
    public float[] gains() {
        return record.gains();
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public boolean finished() {
        return !loop && startOffset + pos >= record.length();
    }

    @Override
    public int next(float[][] out, int n, boolean[] leadOff, List<Integer> pacingMarks, List<TruthEvent> truth) {
        int len = record.length();
        int done = 0;
        while (done < n && !finished()) {
            long abs = startOffset + pos; // position on the record's own timeline, all passes
            int within = (int) (abs % len);
            int m = (int) Math.min(n - done, len - within);
            record.copyMillivolts(within, m, out, done);
            emitTruth(abs, abs + m, truth);
            pos += m;
            done += m;
        }
        return done;
    }

    /** Emits the truth with onsets in [from, to) of the record timeline, as patient samples. */
    private void emitTruth(long from, long to, List<TruthEvent> out) {
        List<TruthEvent> t = record.truth();
        int len = record.length();
        while (true) {
            if (truthIdx >= t.size()) {
                if (!loop) {
                    return;
                }
                // next pass: its truth starts again at index 0, one record length later
                long nextPass = truthPass + 1;
                if ((long) nextPass * len >= to) {
                    return;
                }
                truthPass = nextPass;
                truthIdx = 0;
                continue;
            }
            TruthEvent e = t.get(truthIdx);
            long onset = truthPass * len + e.onsetSample();
            if (onset >= to) {
                return;
            }
            truthIdx++;
            if (onset >= from) {
                long shift = truthPass * len - startOffset;
                out.add(new TruthEvent(e.eventType(), e.onsetSample() + shift, e.endSample() + shift,
                        e.detail(), e.deviceScoped()));
            }
        }
    }
}
