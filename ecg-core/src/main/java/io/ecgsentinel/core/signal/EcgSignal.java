package io.ecgsentinel.core.signal;

import io.ecgsentinel.core.wfdb.WfdbRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A multi-lead ECG in memory, in millivolts: the one signal type that record readers (WFDB, CSV),
 * the simulator, training and the streaming job pass around.
 *
 * <p>Every lead has the same length and sampling frequency; a missing sample is NaN. The arrays are
 * shared, not copied (construction and {@link #lead} are O(1), which matters in the hot paths of
 * the job), so treat them as read-only. Leads are looked up by name tolerantly: case-insensitive,
 * and with the usual aliases of the limb leads, so that code written for {@code II} also finds
 * MIT-BIH's {@code MLII} and {@code aVR} finds PTB-XL's {@code AVR}.
 *
 * @param name record name (for example {@code 101} or {@code 00001_lr}); not a patient id
 * @param samplingFrequency samples per second per lead
 * @param leadNames lead names in storage order
 * @param millivolts one array per lead, in the order of {@code leadNames}
 */
public record EcgSignal(
        String name, double samplingFrequency, List<String> leadNames, float[][] millivolts) {

    public EcgSignal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(leadNames, "leadNames");
        Objects.requireNonNull(millivolts, "millivolts");
        if (!(samplingFrequency > 0) || Double.isInfinite(samplingFrequency)) {
            throw new IllegalArgumentException(
                    "sampling frequency must be positive, got " + samplingFrequency);
        }
        leadNames = List.copyOf(leadNames);
        if (leadNames.size() != millivolts.length) {
            throw new IllegalArgumentException(
                    leadNames.size() + " lead names but " + millivolts.length + " lead arrays");
        }
        for (int i = 0; i < millivolts.length; i++) {
            Objects.requireNonNull(millivolts[i], "lead " + i);
            if (millivolts[i].length != millivolts[0].length) {
                throw new IllegalArgumentException(
                        "lead "
                                + leadNames.get(i)
                                + " has "
                                + millivolts[i].length
                                + " samples, lead "
                                + leadNames.get(0)
                                + " "
                                + millivolts[0].length);
            }
        }
    }

    /**
     * Converts a WFDB record to millivolts (invalid samples become NaN). Records whose signals have
     * different samples per frame (multi-rate records) are rejected: they have no single sampling
     * frequency.
     */
    public static EcgSignal from(WfdbRecord record) {
        int n = record.signalCount();
        for (int i = 1; i < n; i++) {
            if (record.adc(i).length != record.adc(0).length) {
                throw new IllegalArgumentException(
                        "record "
                                + record.name()
                                + " mixes sampling rates (signal "
                                + i
                                + " has "
                                + record.adc(i).length
                                + " samples, signal 0 has "
                                + record.adc(0).length
                                + "); resample it first");
            }
        }
        int spf = n == 0 ? 1 : record.header().signals().get(0).samplesPerFrame();
        return new EcgSignal(
                record.name(),
                record.samplingFrequency() * spf,
                record.signalNames(),
                record.millivolts());
    }

    /** Reads a WFDB record ({@code .hea} path or record path without extension). */
    public static EcgSignal read(Path header) throws IOException {
        return from(WfdbRecord.read(header));
    }

    /** Number of leads. */
    public int leadCount() {
        return millivolts.length;
    }

    /** Samples per lead. */
    public int length() {
        return millivolts.length == 0 ? 0 : millivolts[0].length;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return length() / samplingFrequency;
    }

    /** The samples of lead {@code index} (shared, not copied). */
    public float[] lead(int index) {
        return millivolts[index];
    }

    /**
     * The samples of the named lead (shared, not copied). An exact case-insensitive match wins;
     * otherwise aliases are tried (see {@link #canonicalLeadName}).
     *
     * @throws NoSuchElementException naming the leads the signal has
     */
    public float[] lead(String leadName) {
        int i = indexOf(leadName);
        if (i < 0) {
            throw new NoSuchElementException(
                    "record " + name + " has no lead " + leadName + " (leads: " + leadNames + ")");
        }
        return millivolts[i];
    }

    /** True when {@link #lead(String)} would find the lead. */
    public boolean hasLead(String leadName) {
        return indexOf(leadName) >= 0;
    }

    /** Index of the named lead (exact case-insensitive match first, then aliases), or -1. */
    public int indexOf(String leadName) {
        for (int i = 0; i < leadNames.size(); i++) {
            if (leadNames.get(i).equalsIgnoreCase(leadName.strip())) {
                return i;
            }
        }
        String wanted = canonicalLeadName(leadName);
        for (int i = 0; i < leadNames.size(); i++) {
            if (canonicalLeadName(leadNames.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The canonical spelling of a lead name: upper case without blanks or a {@code lead} prefix,
     * with the modified limb leads of Holter databases (MLII, ML2, ...) and the European D1/DII...
     * names mapped to I, II and III. So {@code "MLII"}, {@code "lead II"} and {@code "ii"} all give
     * {@code II}, and {@code "aVR"} gives {@code AVR}.
     */
    public static String canonicalLeadName(String leadName) {
        String s = leadName.strip().toUpperCase(Locale.ROOT).replace(" ", "").replace("_", "");
        if (s.startsWith("LEAD") && s.length() > 4) {
            s = s.substring(4);
        }
        return switch (s) {
            case "MLI", "ML1", "DI", "D1" -> "I";
            case "MLII", "ML2", "DII", "D2" -> "II";
            case "MLIII", "ML3", "DIII", "D3" -> "III";
            default -> s;
        };
    }

    // Arrays make the generated equals/hashCode identity-based; compare the samples instead so
    // that round-trip tests and caches behave as expected.
    @Override
    public boolean equals(Object o) {
        return o instanceof EcgSignal e
                && name.equals(e.name)
                && Double.compare(samplingFrequency, e.samplingFrequency) == 0
                && leadNames.equals(e.leadNames)
                && Arrays.deepEquals(millivolts, e.millivolts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, samplingFrequency, leadNames, Arrays.deepHashCode(millivolts));
    }

    /** Name, rate, leads and length; never the samples. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EcgSignal[%s, %s Hz, %s, %d samples]",
                name,
                samplingFrequency,
                leadNames,
                length());
    }
}
