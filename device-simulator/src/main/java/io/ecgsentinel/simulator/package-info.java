/**
 * The device simulator: synthetic patients ({@link io.ecgsentinel.simulator.SyntheticPatient},
 * driven by ecg-core's {@code EcgSynthesizer}) and archived-record replay ({@link
 * io.ecgsentinel.simulator.RecordReplayPatient}) as live devices, paced against the wall clock by
 * {@link io.ecgsentinel.simulator.SimulationRunner} and published to Kafka with their ground truth
 * by {@link io.ecgsentinel.simulator.KafkaFramePublisher}. The {@code ./ecg simulate} and {@code
 * ./ecg replay} commands are {@link io.ecgsentinel.simulator.SimulateCommand} and {@link
 * io.ecgsentinel.simulator.ReplayCommand}.
 */
package io.ecgsentinel.simulator;
