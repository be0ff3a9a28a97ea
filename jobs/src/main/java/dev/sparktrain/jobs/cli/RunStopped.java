package dev.sparktrain.jobs.cli;

/**
 * A command that stopped for a reason that is not bad input, with the one line to print (it starts with its own
 * {@code error:} or {@code interrupted}) and the exit code: {@link SparkTrain#EXIT_ENVIRONMENT} for a fault of the
 * machine (a full disk), {@link SparkTrain#EXIT_INTERRUPTED} for Ctrl-C.
 */
final class RunStopped extends RuntimeException {

    private final int exitCode;

    RunStopped(int exitCode, String line, Throwable cause) {
        super(line, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
