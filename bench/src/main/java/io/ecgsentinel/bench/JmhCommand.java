package io.ecgsentinel.bench;

import io.ecgsentinel.core.cli.EcgSubcommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./ecg jmh [JMH options] [regexp]}: the JMH microbenchmarks of the hot paths (frame decode,
 * filters, QRS detector, window assembly). Arguments go to JMH unchanged ({@code -f}, {@code -wi},
 * {@code -i}, {@code -prof gc}, ...); without a regexp every benchmark of this module runs. Each
 * benchmark's defaults are short (1 fork, 2 warm-up and 3 measured iterations of 1 s).
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = {"Run the JMH microbenchmarks of the hot paths: frame decode, filters, QRS detector, window"
                + " assembly. Arguments are JMH's own (e.g. '-f 2 -i 5 Qrs', '-prof gc', '-l' to list)."},
        footer = {"%nExamples:", "  ecg jmh", "  ecg jmh FrameDecode -prof gc", "  ecg jmh -l"})
public final class JmhCommand implements Callable<Integer>, EcgSubcommand {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public int helpOrder() {
        return 91;
    }

    @Override
    public Integer call() throws Exception {
        CommandLineOptions cl = new CommandLineOptions(args.toArray(new String[0]));
        if (cl.shouldHelp()) {
            cl.showHelp();
            return 0;
        }
        // without a pattern, this module's benchmarks (not JMH's own samples or other jars' ones)
        Options opts = cl.getIncludes().isEmpty()
                ? new OptionsBuilder().parent(cl).include("io\\.ecgsentinel\\.bench\\.jmh\\..*").build() : cl;
        Runner runner = new Runner(opts);
        if (cl.shouldList()) {
            runner.list();
        } else if (cl.shouldListProfilers()) {
            cl.listProfilers();
        } else {
            runner.run();
        }
        return 0;
    }
}
