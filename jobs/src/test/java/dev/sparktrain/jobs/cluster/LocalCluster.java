package dev.sparktrain.jobs.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone cluster of its own for the tests, driven through {@code bin/local-cluster} exactly as a user would:
 * its own run folder and ports Spark picks (port 0), so it never meets a cluster someone else runs on this machine.
 */
final class LocalCluster implements AutoCloseable {

    private final Path repoRoot;
    private final Path dir;
    private final String url;

    private LocalCluster(Path repoRoot, Path dir, String url) {
        this.repoRoot = repoRoot;
        this.dir = dir;
        this.url = url;
    }

    static LocalCluster start(Path repoRoot, Path dir, int workers) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Result started = script(repoRoot, "start", "--dir", dir.toString(), "--workers", Integer.toString(workers),
                "--port", "0", "--webui-port", "0");
        if (started.exitCode() != 0) {
            throw new IllegalStateException("bin/local-cluster start failed:\n" + started.output());
        }
        return new LocalCluster(repoRoot, dir, Files.readString(dir.resolve("master-url")).strip());
    }

    /** Stops whatever a cluster folder's PID files still name (the script only ends its own processes). */
    static void stopLeftover(Path repoRoot, Path dir) throws IOException, InterruptedException {
        script(repoRoot, "stop", "--dir", dir.toString());
    }

    String url() {
        return url;
    }

    Path dir() {
        return dir;
    }

    /** The PIDs of the master and of the workers that run, from their PID files. */
    List<Long> daemons() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).sorted().toList()) {
                long pid = Long.parseLong(Files.readString(f).strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    /** The PID of worker {@code i} (1-based), from its PID file. */
    long workerPid(int i) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("worker-" + i + ".pid")).strip());
    }

    /** The executor JVMs worker {@code i} runs now: its child processes running CoarseGrainedExecutorBackend. */
    List<ProcessHandle> executors(int i) throws IOException {
        List<ProcessHandle> executors = new ArrayList<>();
        ProcessHandle.of(workerPid(i)).ifPresent(worker -> worker.children()
                .filter(p -> commandLine(p.pid()).contains("CoarseGrainedExecutorBackend"))
                .forEach(executors::add));
        return executors;
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The environment of a running process, as NAME=value lines. */
    static String environment(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                StandardCharsets.UTF_8).replace('\0', '\n');
    }

    Result stopWorker(int i) throws IOException, InterruptedException {
        return script(repoRoot, "stop", "--dir", dir.toString(), "--worker", Integer.toString(i));
    }

    Result status() throws IOException, InterruptedException {
        return script(repoRoot, "status", "--dir", dir.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Result stopped = script(repoRoot, "stop", "--dir", dir.toString());
        if (stopped.exitCode() != 0) {
            throw new IllegalStateException("bin/local-cluster stop failed:\n" + stopped.output());
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result script(Path repoRoot, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repoRoot.resolve("bin/local-cluster").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("local-cluster", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(repoRoot.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("bin/local-cluster " + String.join(" ", args) + " hung");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
