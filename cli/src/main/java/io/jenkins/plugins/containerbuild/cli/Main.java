package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code container-build} command line. */
@Command(
        name = "container-build",
        mixinStandardHelpOptions = true,
        version = "container-build 0.1.0",
        description = "Builds container images through the Docker Engine API (BuildKit or classic).",
        subcommands = {
            BuildCommand.class,
            BatchCommand.class,
            PruneCommand.class,
            StatsCommand.class,
            HistoryCommand.class,
            MetaCommand.class,
            ValidateCommand.class,
            ExportCommand.class,
            ReportCommand.class
        })
public final class Main {
    /** Exit code: the build ran and failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit code: bad input (the message names the option). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code: the daemon could not be reached. */
    public static final int EXIT_UNREACHABLE = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InvalidBuildContextException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof DaemonUnreachableException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_UNREACHABLE;
            }
            if (ex instanceof BuildFailedException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_FAILED;
            }
            cmd.getErr().println("error: " + ex);
            return EXIT_FAILED;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }
}
