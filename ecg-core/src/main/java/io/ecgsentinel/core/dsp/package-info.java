/**
 * Streaming DSP shared by training, evaluation and the Flink job: chunk-invariant IIR filters
 * ({@link io.ecgsentinel.core.dsp.FilterDesign}), median baseline removal, a polyphase rational
 * resampler, per-window normalisation, and the {@link io.ecgsentinel.core.dsp.Preprocessor} chain
 * built from a {@link io.ecgsentinel.core.dsp.PreprocessingConfig} that model cards record.
 */
package io.ecgsentinel.core.dsp;
