package io.ecgsentinel.core.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code ./ecg} launcher: one picocli root command whose subcommands are
 * discovered from the modules on the class path (see {@link EcgSubcommand}).
 *
 * <p>Errors in arguments or configuration print a message naming the bad option and exit with
 * code 2; a failure while running a command prints its message and exits with 1.
 */
@Command(
        name = "ecg",
        mixinStandardHelpOptions = true,
        version = "ECG Sentinel 0.1.0",
        description = "ECG Sentinel: real-time ECG monitoring. Run a subcommand with --help for details.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n")
public final class EcgCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the root command line with every discovered subcommand attached. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EcgCli());
        List<EcgSubcommand> found = new ArrayList<>();
        ServiceLoader.load(EcgSubcommand.class).forEach(found::add);
        found.sort(Comparator.comparingInt(EcgSubcommand::helpOrder)
                .thenComparing(c -> new CommandLine(c).getCommandName()));
        for (EcgSubcommand sub : found) {
            cli.addSubcommand(sub);
        }
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
            if (Boolean.getBoolean("ecg.debug")) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(run with ECG_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
