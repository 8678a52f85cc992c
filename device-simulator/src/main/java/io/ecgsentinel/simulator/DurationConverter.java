package io.ecgsentinel.simulator;

import io.ecgsentinel.core.synth.Durations;
import java.util.Locale;
import picocli.CommandLine;

/** picocli converter for durations: {@code 60s}, {@code 5m}, {@code 1h}; {@code 0} or {@code forever} for unbounded (0). */
public final class DurationConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("forever") || v.equals("inf") || v.equals("unbounded")) {
            return 0.0;
        }
        try {
            return Durations.parseSeconds(v);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
