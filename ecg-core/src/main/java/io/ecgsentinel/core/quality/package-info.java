/**
 * Per-lead signal quality over an analysis window: flat line, clipping, lead-off, high-frequency
 * noise and baseline drift flags, a 0..1 quality index, and a multi-lead summary that ranks the
 * leads ({@link io.ecgsentinel.core.quality.SignalQuality}); for overlapping windows of a stream,
 * the noise check's filters can run on per lead ({@link io.ecgsentinel.core.quality.BandPowerStream}).
 */
package io.ecgsentinel.core.quality;
