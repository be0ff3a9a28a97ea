package dev.sparktrain.jobs.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's main in a JVM of its own, as {@code bin/sparktrain} starts it: with this JVM's class path and flags, in a
 * working directory of the test's choice, its stdout and stderr in files. For what needs a process: the current
 * directory, exit codes from {@code System.exit}, signals.
 */
final class ChildCli {

    private ChildCli() {
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** Stderr's lines. */
        List<String> errLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
        }

        String lastErrLine() {
            List<String> lines = errLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** A started CLI process; {@link #stdout} and {@link #stderr} are files that grow while it runs. */
    record Running(Process process, Path stdout, Path stderr) {

        String stdoutSoFar() throws IOException {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        }

        Result await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after " + seconds + " s; stdout:\n" + stdoutSoFar());
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        }
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return start(workDir, args).await(120);
    }

    static Running start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The test JVM's own agents and debug flags are not the CLI's; the incubator module only adds a warning.
            if (!flag.startsWith("-javaagent") && !flag.startsWith("-agentlib") && !flag.startsWith("-Xmx")
                    && !flag.contains("jdk.incubator.vector")) {
                command.add(flag);
            }
        }
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SparkTrain.class.getName());
        command.addAll(List.of(args));
        Path logs = Files.createTempDirectory("child-cli");
        Path out = logs.resolve("stdout");
        Path err = logs.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putIfAbsent("SPARK_LOCAL_HOSTNAME", "localhost");
        String log4j = Path.of("..", "conf", "log4j2.properties").toAbsolutePath().normalize().toString();
        if (new File(log4j).isFile()) {
            command.add(command.indexOf("-cp"), "-Dlog4j2.configurationFile=" + log4j);
            pb.command(command);
        }
        return new Running(pb.start(), out, err);
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    static void interrupt(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -INT " + process.pid() + " failed");
        }
    }
}
