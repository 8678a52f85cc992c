/**
 * Real-time QRS detection, RR intervals / heart rate, and EC57-style beat-by-beat scoring.
 *
 * <p>Streaming use (one detector per patient, e.g. in Flink keyed state):
 *
 * <pre>{@code
 * QrsDetector detector = new QrsDetector(fs, leadCount);     // once per patient/stream
 * // for every frame batch, samples[lead][i] in mV, NaN where a lead is off:
 * detector.process(samples, (sample, decidedAt) -> emitBeat(firstSampleTime + sample / fs));
 * double bpm = detector.rr().smoothedBpm();                  // median of the last 8 RR intervals
 * double inst = detector.rr().instantaneousBpm();            // 60 / last RR
 * // a gap in the stream: detector.skip(missingSamples, sink); end of a record: detector.flush(sink)
 * }</pre>
 *
 * <p>Sample indexes count from the first sample the detector received, so event time is the
 * stream's first-sample timestamp plus {@code sample / fs}. Beats arrive in increasing order, about
 * 0.27 s after the R peak (see {@link io.ecgsentinel.core.qrs.QrsDetector} for the bounds).
 * {@link io.ecgsentinel.core.qrs.BeatMatcher} scores beats against reference annotations and
 * {@link io.ecgsentinel.core.qrs.QrsEvalCommand} is {@code ./ecg qrs-eval}.
 */
package io.ecgsentinel.core.qrs;
