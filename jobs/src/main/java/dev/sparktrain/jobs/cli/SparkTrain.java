package dev.sparktrain.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point, for {@code bin/sparktrain} and {@code spark-submit --class dev.sparktrain.jobs.cli.SparkTrain}.
 * Bad input or config ends with one line on stderr and exit code 2; a fault of the machine (a file that cannot be
 * written) with one line and exit code 3; Ctrl-C with one line and 130; any other failure with exit code 1.
 */
@Command(name = "sparktrain", mixinStandardHelpOptions = true, version = "sparktrain 0.1.0",
        description = "Data-parallel neural-network training on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                InspectCommand.class, ExportCommand.class, GradcheckCommand.class, SanityCommand.class, BenchCommand.class})
public final class SparkTrain implements Runnable {

    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_FAILURE = 1;
    /** A fault of the machine, not of the input: a full disk, a file that cannot be written. */
    public static final int EXIT_ENVIRONMENT = 3;
    /** Ctrl-C (128 + SIGINT, as shells report it). */
    public static final int EXIT_INTERRUPTED = 130;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkTrain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof RunStopped stopped) {
                commandLine.getErr().println(stopped.getMessage());
                return stopped.exitCode();
            }
            if (e instanceof java.io.UncheckedIOException io) {
                commandLine.getErr().println("error: " + io.getMessage());
                return EXIT_ENVIRONMENT;
            }
            Throwable cause = rootOfUserError(e);
            if (cause instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + cause.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("failed: " + (cause.getMessage() == null ? cause : cause.getMessage()));
            if (!(cause instanceof IllegalStateException)) {
                cause.printStackTrace(commandLine.getErr());
            }
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    /**
     * Spark wraps task failures in its own exceptions; the user's problem (a bad row, a bad value) is the
     * IllegalArgumentException inside, if there is one.
     */
    static Throwable rootOfUserError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                return t;
            }
        }
        return e;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
