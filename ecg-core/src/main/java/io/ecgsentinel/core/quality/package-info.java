/**
 * Per-lead signal quality over an analysis window: flat line, clipping, lead-off, high-frequency
 * noise and baseline drift flags, a 0..1 quality index, and a multi-lead summary that ranks the
 * leads ({@link io.ecgsentinel.core.quality.SignalQuality}).
 */
package io.ecgsentinel.core.quality;
