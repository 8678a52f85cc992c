/**
 * Synthetic ECG: a deterministic, streaming 12-lead generator in the style of ECGSYN (McSharry et
 * al. 2003), made three-dimensional (a vectorcardiogram dipole whose x, y and z components each
 * carry their own Gaussian waves) and projected to the standard leads, with heart-rate
 * variability, realistic noise and scheduled arrhythmia events whose ground truth (every beat,
 * every episode) is known exactly.
 *
 * <p>Start at {@link io.ecgsentinel.core.synth.EcgSynthesizer}; scenarios are {@link
 * io.ecgsentinel.core.synth.Scenario}s (text format) or {@link
 * io.ecgsentinel.core.synth.Scenarios} presets.
 */
package io.ecgsentinel.core.synth;
