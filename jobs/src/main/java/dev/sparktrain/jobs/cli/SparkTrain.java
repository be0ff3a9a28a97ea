package dev.sparktrain.jobs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point, for {@code bin/sparktrain} and {@code spark-submit --class dev.sparktrain.jobs.cli.SparkTrain}.
 * Every failure ends with one line on stderr and an exit code that says its kind ({@link Failure}): 2 bad input,
 * 3 environment fault, 130 interrupted, 1 a failed run.
 */
@Command(name = "sparktrain", mixinStandardHelpOptions = true, versionProvider = SparkTrain.Version.class,
        description = "Data-parallel neural-network training on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                InspectCommand.class, ExportCommand.class, GradcheckCommand.class, SanityCommand.class,
                BenchCommand.class, ScaleRunCommand.class, ScaleModelCommand.class},
        footer = {"", "  submit     Run a command on a Spark cluster with spark-submit (bin/sparktrain only):",
                "             bin/sparktrain submit [--master URL] [SPARK-SUBMIT OPTIONS] -- train CONFIG ...",
                "  bench-scale  Scaling benchmark on simulated hosts (bin/sparktrain only, root; scale-run and"
                + " scale-model are its parts):",
                "             bin/sparktrain bench-scale CONFIG [--full] [--workers 1,2,4] [--links 100mbit,none] ...",
                "", "Exit codes: 0 done, 1 the run failed, 2 bad input, 3 environment fault (files, memory, network,"
                + " cluster), 130 interrupted."})
public final class SparkTrain implements Runnable {

    public static final int EXIT_BAD_INPUT = Failure.Kind.BAD_INPUT.exitCode();
    public static final int EXIT_ENVIRONMENT = Failure.Kind.ENVIRONMENT.exitCode();
    public static final int EXIT_INTERRUPTED = Failure.Kind.INTERRUPTED.exitCode();
    public static final int EXIT_FAILURE = Failure.Kind.FAILED.exitCode();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkTrain());
        cli.setParameterExceptionHandler((e, commandArgs) -> {
            // picocli would print the whole usage after the message: one line naming the way to the help instead.
            CommandLine where = e.getCommandLine();
            PrintWriter err = where.getErr();
            err.println("error: " + e.getMessage().strip().replace('\n', ' ') + "; see '"
                    + where.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr()));
        try {
            return cli.execute(args);
        } catch (Throwable e) { // picocli lets Errors (OutOfMemoryError, UnsatisfiedLinkError) through
            return report(e, cli.getErr());
        }
    }

    private static int report(Throwable e, PrintWriter err) {
        Failure failure = Failure.of(e);
        if (failure.kind() == Failure.Kind.FAILED && System.getenv(Failure.TRACE_ENV) != null) {
            e.printStackTrace(err);
        }
        err.println(failure.line());
        err.flush();
        return failure.exitCode();
    }

    /** {@code sparktrain --version}: the version Maven built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sparktrain " + dev.sparktrain.jobs.run.SparktrainVersion.get()};
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
