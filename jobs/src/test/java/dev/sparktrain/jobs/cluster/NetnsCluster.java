package dev.sparktrain.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of simulated hosts for the tests, driven through {@code bin/netns-cluster} as a user would: the master,
 * each worker and the driver in network namespaces of their own, on a bridge, their links shaped with tc. Needs root
 * and iproute2; {@link #unavailable()} says why not where they are missing, for the tests to skip with that reason.
 */
final class NetnsCluster implements AutoCloseable {

    private final Path repoRoot;
    private final Path dir;
    private final String url;
    private final String namespacePrefix;

    private NetnsCluster(Path repoRoot, Path dir, String url, String namespacePrefix) {
        this.repoRoot = repoRoot;
        this.dir = dir;
        this.url = url;
        this.namespacePrefix = namespacePrefix;
    }

    /** Why network namespaces cannot be made here (not root, no ip or tc, netns refused), or empty if they can. */
    static Optional<String> unavailable() throws IOException, InterruptedException {
        Result uid = run(List.of("id", "-u"));
        if (uid.exitCode() != 0 || !uid.output().strip().equals("0")) {
            return Optional.of("network namespaces need root; this test JVM runs as uid " + uid.output().strip());
        }
        for (String tool : new String[] {"ip", "tc"}) {
            if (run(List.of("bash", "-c", "command -v " + tool)).exitCode() != 0) {
                return Optional.of("no '" + tool + "' command on the PATH (iproute2)");
            }
        }
        // Root is not always enough (a container without CAP_SYS_ADMIN, a kernel without veth, bridge or tbf): make
        // and delete a namespace with the pieces a cluster needs.
        String name = "sparktrain-probe-" + ProcessHandle.current().pid();
        Result probe = run(List.of("bash", "-c", "set -e; trap 'ip netns del " + name + " 2>/dev/null' EXIT; "
                + "ip netns add " + name + "; ip -n " + name + " link add probe0 type veth peer name probe1; "
                + "ip -n " + name + " link add probebr type bridge; "
                + "ip netns exec " + name + " tc qdisc add dev probe0 root tbf rate 1mbit burst 128kb latency 50ms"));
        return probe.exitCode() == 0 ? Optional.empty()
                : Optional.of("network namespaces with veth, bridge and tc tbf cannot be made here: "
                        + probe.output().strip().replace('\n', ' '));
    }

    static NetnsCluster start(Path repoRoot, Path dir, int workers, String rate)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Result started = script(repoRoot, "start", "--dir", dir.toString(), "--workers", Integer.toString(workers),
                "--rate", rate);
        if (started.exitCode() != 0) {
            throw new IllegalStateException("bin/netns-cluster start failed:\n" + started.output());
        }
        String id = Files.readAllLines(dir.resolve("netns")).stream().filter(l -> l.startsWith("id="))
                .map(l -> l.substring(3)).findFirst().orElseThrow();
        return new NetnsCluster(repoRoot, dir, Files.readString(dir.resolve("master-url")).strip(),
                "sparktrain-bed-" + id + "-");
    }

    /** Stops what an earlier, cut-short run in {@code dir} left (its namespaces are named in the folder). */
    static void stopLeftover(Path repoRoot, Path dir) throws IOException, InterruptedException {
        script(repoRoot, "stop", "--dir", dir.toString());
    }

    String url() {
        return url;
    }

    /** The words that run a command on the driver's host: {@code bin/netns-cluster exec driver --dir DIR --}. */
    List<String> onDriver() {
        return List.of(repoRoot.resolve("bin/netns-cluster").toString(), "exec", "driver", "--dir", dir.toString(),
                "--");
    }

    /** A host's address (driver, master, worker-I). */
    String address(String host) throws IOException, InterruptedException {
        return check(script(repoRoot, "address", host, "--dir", dir.toString()), "address " + host).output().strip();
    }

    long workerPid(int i) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("worker-" + i + ".pid")).strip());
    }

    /** The executor JVMs worker {@code i} runs now. */
    List<ProcessHandle> executors(int i) throws IOException {
        List<ProcessHandle> executors = new ArrayList<>();
        ProcessHandle.of(workerPid(i)).ifPresent(worker -> worker.children()
                .filter(p -> LocalCluster.commandLine(p.pid()).contains("CoarseGrainedExecutorBackend"))
                .forEach(executors::add));
        return executors;
    }

    /** Cuts ({@code false}) or reconnects a host's link at the bridge. */
    void link(String host, boolean up) throws IOException, InterruptedException {
        check(script(repoRoot, "link", host, up ? "up" : "down", "--dir", dir.toString()), "link " + host);
    }

    /** Bytes received and sent on a host's link so far. */
    long[] counters(String host) throws IOException, InterruptedException {
        Result r = check(script(repoRoot, "counters", host, "--dir", dir.toString()), "counters " + host);
        return Arrays.stream(r.output().strip().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    /** The network namespaces of this cluster that exist now. */
    List<String> namespaces() throws IOException, InterruptedException {
        return run(List.of("ip", "netns", "list")).output().lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(namespacePrefix)).toList();
    }

    /** The network interfaces of the machine's own (root) namespace. */
    static List<String> rootLinks() throws IOException, InterruptedException {
        return run(List.of("ip", "-o", "link", "show")).output().lines().map(l -> l.split(":")[1].strip()).sorted()
                .toList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        check(script(repoRoot, "stop", "--dir", dir.toString()), "stop");
    }

    record Result(int exitCode, String output) {
    }

    private static Result check(Result r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("bin/netns-cluster " + what + " failed:\n" + r.output());
        }
        return r;
    }

    private static Result script(Path repoRoot, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repoRoot.resolve("bin/netns-cluster").toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("netns-cluster", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " hung");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
