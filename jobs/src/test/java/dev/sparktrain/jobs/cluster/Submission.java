package dev.sparktrain.jobs.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code bin/sparktrain submit ... -- train ...} run: the driver JVM in client mode (the script execs into it,
 * so this process IS the driver), its stdout and stderr in files next to the run directory.
 */
final class Submission {

    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();

    private Submission(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code bin/sparktrain submit --master URL -- train ARGS...}; logs go to {@code logPrefix.out/.err}. */
    static Submission start(Path repoRoot, String masterUrl, Path logPrefix, String... trainArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(repoRoot.resolve("bin/sparktrain").toString(), "submit",
                "--master", masterUrl, "--", "train"));
        command.addAll(List.of(trainArgs));
        Path out = Path.of(logPrefix + ".out");
        Path err = Path.of(logPrefix + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // The job jar was just built by the Maven run these tests are part of.
        builder.environment().put("SPARKTRAIN_NO_BUILD", "1");
        return new Submission(builder.start(), out, err);
    }

    /** When it was started, as {@link System#nanoTime()}. */
    long started() {
        return startedNanos;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGSTOP: the driver freezes between two instructions, so a fault injected now lands at a known round however
     * fast rounds run; {@link #resume()} lets it go on. Spark's heartbeat timeouts are far longer than the pause.
     */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: the driver dies without any chance to clean up, as when its machine fails. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    /** Waits for the run to end and returns its exit code. */
    int await() throws InterruptedException, IOException {
        if (!process.waitFor(RUN_LIMIT.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the submitted run did not end within " + RUN_LIMIT + "\n" + tail());
        }
        return process.exitValue();
    }

    /** Polls until {@code condition} holds; fails if the run ends first or after the run limit. */
    void awaitWhileRunning(String what, BooleanSupplier condition) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("the run ended (exit " + process.exitValue() + ") before " + what + "\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + RUN_LIMIT + "\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    /** The last lines of stdout and stderr, for failure messages. */
    String tail() throws IOException {
        return "--- stdout " + stdout + "\n" + last(out(), 15) + "\n--- stderr " + stderr + "\n" + last(err(), 40);
    }

    private static String last(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
