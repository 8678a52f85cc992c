package io.ecgsentinel.core.wfdb;

import io.ecgsentinel.core.signal.EcgSignal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes single-segment WFDB records: a format-16 {@code .dat} file with the leads interleaved and
 * a {@code .hea} header whose initial values and checksums match the samples, so that any WFDB
 * reader (ours, wfdb-python, the WFDB tools) accepts the record and {@link WfdbRecord#verify()}
 * finds nothing to report.
 *
 * <p>Format 16 at a caller-chosen gain keeps the writer simple and lossless enough for ECG (gain
 * 1000/mV stores microvolts, like PTB-XL). Millivolts are rounded to the nearest ADC unit; values
 * beyond the 16-bit range saturate at +-32767 as a real ADC would, and NaN is stored as WFDB's
 * invalid sample (-32768) so a gap survives the round trip. Other formats are written only by the
 * package-private {@link #writeAdc} that the format tests use.
 */
public final class WfdbWriter {

    private WfdbWriter() {}

    /**
     * Writes {@code <dir>/<recordName>.hea} and {@code .dat}.
     *
     * @param fs sampling frequency in Hz
     * @param leads lead names, stored as signal descriptions
     * @param mv one array of millivolts per lead, all of the same length
     * @param gain ADC units per millivolt (200 as MIT-BIH, 1000 as PTB-XL)
     * @param comments header comment lines (without {@code #}); may be empty
     * @return the header path
     */
    public static Path write(
            Path dir,
            String recordName,
            double fs,
            List<String> leads,
            float[][] mv,
            double gain,
            List<String> comments)
            throws IOException {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain must be positive, got " + gain);
        }
        if (leads.size() != mv.length) {
            throw new IllegalArgumentException(
                    leads.size() + " lead names but " + mv.length + " leads");
        }
        int[][] adc = new int[mv.length][];
        for (int i = 0; i < mv.length; i++) {
            if (mv[i].length != mv[0].length) {
                throw new IllegalArgumentException(
                        "lead "
                                + leads.get(i)
                                + " has "
                                + mv[i].length
                                + " samples, lead "
                                + leads.get(0)
                                + " "
                                + mv[0].length);
            }
            float[] x = mv[i];
            int[] a = new int[x.length];
            for (int s = 0; s < x.length; s++) {
                float v = x[s];
                if (Float.isNaN(v)) {
                    a[s] = WfdbRecord.INVALID_SAMPLE;
                } else {
                    // saturate; -32768 stays reserved for invalid samples
                    a[s] = (int) Math.max(-32767, Math.min(32767, Math.round(v * gain)));
                }
            }
            adc[i] = a;
        }
        double[] gains = new double[mv.length];
        Arrays.fill(gains, gain);
        return writeAdc(
                dir, recordName, fs, 16, 0, leads, adc, gains, new int[mv.length], "mV", comments);
    }

    /** Writes an {@link EcgSignal} under its own name. */
    public static Path write(Path dir, EcgSignal signal, double gain, List<String> comments)
            throws IOException {
        return write(
                dir,
                signal.name(),
                signal.samplingFrequency(),
                signal.leadNames(),
                signal.millivolts(),
                gain,
                comments);
    }

    /**
     * Writes ADC samples in any supported format, optionally after {@code byteOffset} zero bytes
     * (declared as {@code +offset} in the header, as CinC's {@code .mat} files do). Format 8 is
     * written as first differences starting from the initial value, and rejects steps larger than
     * 127.
     */
    static Path writeAdc(
            Path dir,
            String recordName,
            double fs,
            int format,
            long byteOffset,
            List<String> leads,
            int[][] adc,
            double[] gains,
            int[] baselines,
            String units,
            List<String> comments)
            throws IOException {
        Objects.requireNonNull(recordName, "recordName");
        if (recordName.isEmpty() || !recordName.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException(
                    "record name must be letters, digits, '_', '-' or '.', got '"
                            + recordName
                            + "'");
        }
        if (!(fs > 0) || Double.isInfinite(fs)) {
            throw new IllegalArgumentException("sampling frequency must be positive, got " + fs);
        }
        int nsig = adc.length;
        int frames = nsig == 0 ? 0 : adc[0].length;
        for (int i = 0; i < nsig; i++) {
            String lead = leads.get(i);
            if (lead == null || lead.isBlank() || lead.contains("\n") || lead.contains("\r")) {
                throw new IllegalArgumentException(
                        "lead name " + i + " must be a non-blank single line");
            }
            if (adc[i].length != frames) {
                throw new IllegalArgumentException(
                        "signal "
                                + i
                                + " has "
                                + adc[i].length
                                + " samples, signal 0 has "
                                + frames);
            }
        }
        if ((long) frames * nsig > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("record too large for one signal file");
        }
        int[] stream = new int[frames * nsig];
        for (int i = 0; i < nsig; i++) {
            int[] a = adc[i];
            for (int s = 0; s < frames; s++) {
                int v = a[s];
                if (format == 8) {
                    v = s == 0 ? 0 : a[s] - a[s - 1];
                    if (v < -128 || v > 127) {
                        throw new IllegalArgumentException(
                                "format 8 cannot store the step of "
                                        + v
                                        + " at sample "
                                        + s
                                        + " of signal "
                                        + i);
                    }
                }
                stream[s * nsig + i] = v;
            }
        }
        byte[] data = SampleCodec.encode(format, stream);
        byte[] file = new byte[(int) byteOffset + data.length];
        System.arraycopy(data, 0, file, (int) byteOffset, data.length);

        String datName = recordName + ".dat";
        StringBuilder hea = new StringBuilder();
        hea.append(recordName)
                .append(' ')
                .append(nsig)
                .append(' ')
                .append(number(fs))
                .append(' ')
                .append(frames)
                .append('\n');
        for (int i = 0; i < nsig; i++) {
            int[] a = adc[i];
            int sum = 0;
            for (int v : a) {
                sum += v;
            }
            hea.append(datName).append(' ').append(format);
            if (byteOffset > 0) {
                hea.append('+').append(byteOffset);
            }
            hea.append(' ')
                    .append(number(gains[i]))
                    .append('(')
                    .append(baselines[i])
                    .append(")/")
                    .append(units)
                    .append(' ')
                    .append(resolution(format))
                    .append(" 0 ")
                    .append(frames > 0 ? a[0] : 0)
                    .append(' ')
                    .append((short) sum)
                    .append(" 0 ")
                    .append(leads.get(i).strip())
                    .append('\n');
        }
        for (String c : comments) {
            for (String line : c.split("\\R", -1)) {
                hea.append("# ").append(line).append('\n');
            }
        }
        Files.createDirectories(dir);
        // the signal file first, so a header never points at a half-written .dat
        Files.write(dir.resolve(datName), file);
        Path header = dir.resolve(recordName + ".hea");
        Files.writeString(header, hea, StandardCharsets.ISO_8859_1);
        return header;
    }

    private static int resolution(int format) {
        return switch (format) {
            case 8, 80 -> 8;
            case 310, 311 -> 10;
            case 212 -> 12;
            case 24 -> 24;
            case 32 -> 32;
            default -> 16;
        };
    }

    /** Integral values without a fraction (as WFDB writes them), others in full precision. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
