package io.ecgsentinel.models.cli;

import java.util.List;
import picocli.CommandLine;

/** The arguments of a subcommand as typed (for the model card's "exact command" fields). */
final class CliArgs {
    private CliArgs() {}

    /** The original arguments without the leading subcommand name that picocli keeps in them. */
    static List<String> own(CommandLine.Model.CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int i = args.indexOf(spec.name());
        return i >= 0 ? args.subList(i + 1, args.size()) : args;
    }
}
