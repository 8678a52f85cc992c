package io.ecgsentinel.core.cli;

/**
 * A subcommand of the {@code ./ecg} launcher.
 *
 * <p>Each module owns its own commands (the launcher is only a front door): a module declares a
 * picocli {@code @Command} class that implements this interface and lists it in {@code
 * META-INF/services/io.ecgsentinel.core.cli.EcgSubcommand}. {@link EcgCli} finds every command on
 * the class path through {@link java.util.ServiceLoader}, so {@code ./ecg --help} lists exactly
 * the commands that exist.
 *
 * <p>Implementations must have a public no-argument constructor, carry {@code mixinStandardHelpOptions
 * = true} so that every subcommand answers {@code --help}, and implement {@link
 * java.util.concurrent.Callable Callable&lt;Integer&gt;} returning the process exit code.
 */
public interface EcgSubcommand {

    /** Order in the help listing; lower comes first. */
    default int helpOrder() {
        return 100;
    }
}
