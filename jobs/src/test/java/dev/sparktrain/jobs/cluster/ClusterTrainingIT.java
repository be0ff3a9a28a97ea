package dev.sparktrain.jobs.cluster;

import static dev.sparktrain.jobs.cluster.ItSupport.deleteTree;
import static dev.sparktrain.jobs.cluster.ItSupport.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparktrain.jobs.cli.SparkTrain;
import dev.sparktrain.ops.runtime.BlasRuntime;
import dev.sparktrain.ps.checkpoint.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * sparktrain on a real Spark standalone cluster on this machine (a master and two 1-core workers started by
 * {@code bin/local-cluster}, the job jar sent by {@code bin/sparktrain submit}): the same final parameters as a
 * {@code local[2]} run, and faults that must cost time but never the result. "The same" means bitwise: every task
 * is a pure function of the broadcast parameters, its partition and its seed, executors run the same native kernels
 * (the driver passes its OPENBLAS_CORETYPE), and the driver merges task results in partition order, whichever
 * executor computed them and whenever they arrived ({@code OrderedMerge}).
 *
 * <p>The run: the Fashion MLP example on 6,000 training rows, one epoch (47 rounds of 2 x 64), a checkpoint every
 * 10 rounds. Faults are injected mid-epoch once the run has visibly progressed (checkpoints on disk) and with the driver
 * paused (SIGSTOP), never after a sleep, and each test checks afterwards that rounds ran after its fault. The tests run in order on one cluster; the worker-loss test takes a worker away for
 * good, so it is last. Timings are printed ("[cluster-it]" lines), never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTrainingIT {

    private static final String[] SHORT_RUN = {"--set", "training.epochs=1", "--set", "checkpoint.every_rounds=10"};
    private static final int ROUNDS = 47;

    private Path root;
    private Path work;
    private FashionSubset.Data data;
    private Path reference;
    private LocalCluster cluster;
    private double uninterruptedSeconds = Double.NaN;
    private final List<Submission> submissions = new ArrayList<>();
    private Path interruptedCopy;

    @BeforeAll
    void startClusterAndTrainTheLocalReference() throws Exception {
        root = Path.of(System.getProperty("sparktrain.root", Path.of("").toAbsolutePath().getParent().toString()));
        assertTrue(Files.isRegularFile(root.resolve("jobs/target/sparktrain-jobs-job.jar")),
                "the job jar is built by 'package', before the integration tests");
        work = root.resolve("jobs/target/cluster-it");
        if (Files.isDirectory(work.resolve("cluster"))) {
            LocalCluster.stopLeftover(root, work.resolve("cluster")); // from an earlier run that was cut short
        }
        deleteTree(work);
        data = FashionSubset.write(root, work.resolve("data"));
        log("data: %s", data.real() ? "first 6000/1000 rows of Fashion-MNIST" : "synthetic (Fashion-MNIST absent)");

        reference = work.resolve("run-local");
        long start = System.nanoTime();
        int code = SparkTrain.run(trainArgs(reference));
        assertEquals(0, code, "the local[2] reference run failed");
        log("local[2] reference run: %.1f s", seconds(start));

        start = System.nanoTime();
        cluster = LocalCluster.start(root, work.resolve("cluster"), 2);
        log("cluster started in %.1f s: %s", seconds(start), cluster.url());
    }

    @AfterEach
    void killWhatStillRuns() throws InterruptedException {
        for (Submission s : submissions) {
            if (s.isAlive()) {
                s.kill();
            }
        }
        submissions.clear();
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void twoWorkersThroughSparkSubmitEndWithTheLocalRunsParametersBitwise() throws Exception {
        Path run = work.resolve("run-cluster");
        long start = System.nanoTime();
        Submission s = submit(run);
        s.awaitWhileRunning("the first checkpoint", () -> !checkpoints(run).isEmpty());
        // Every process of the cluster and of the application is up now: none listens beyond loopback.
        List<Long> pids = new ArrayList<>(cluster.daemons());
        pids.add(s.pid());
        pids.addAll(cluster.executors(1).stream().map(ProcessHandle::pid).toList());
        pids.addAll(cluster.executors(2).stream().map(ProcessHandle::pid).toList());
        Map<Long, List<String>> listening = ListeningSockets.of(pids);
        listening.forEach((pid, addresses) -> addresses.forEach(a -> assertTrue(ListeningSockets.isLoopback(a),
                "process " + pid + " (" + LocalCluster.commandLine(pid).split(" ")[0] + ") listens on " + a)));
        assertTrue(listening.values().stream().mapToInt(List::size).sum() >= pids.size(), listening.toString());

        assertEquals(0, s.await(), s.tail());
        uninterruptedSeconds = seconds(start);
        log("uninterrupted cluster run: %.1f s from submit to exit; %d processes listen only on loopback: %s",
                uninterruptedSeconds, pids.size(), listening);

        assertSameParameters(run, s);
        assertTrue(accuracy(s) >= data.minAccuracy(), s.out());
        for (int worker = 1; worker <= 2; worker++) {
            try (Stream<Path> apps = Files.list(cluster.dir().resolve("work-" + worker))) {
                assertTrue(apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")),
                        "worker " + worker + " ran an executor for the application");
            }
        }
    }

    @Test
    @Order(2)
    void anExecutorKilledMidEpochIsReplacedAndTheResultIsUnchanged() throws Exception {
        Path run = work.resolve("run-executor-loss");
        Submission s = submit(run, "--set", "checkpoint.every_rounds=5");
        s.awaitWhileRunning("the first checkpoint", () -> !checkpoints(run).isEmpty());
        // The driver is frozen while the executor dies, so the fault lands early in the epoch however fast rounds
        // run here (on a quiet machine the 40 rounds after the first checkpoint once passed before the kill).
        s.pause();
        long killedAfter = latestVersion(run);
        List<ProcessHandle> executors = cluster.executors(1);
        assertEquals(1, executors.size(), "worker 1 runs one executor: " + executors);
        ProcessHandle executor = executors.get(0);

        // The BLAS fast path reached the executor (bin/blas-env in the worker, spark.executorEnv from the driver).
        String env = LocalCluster.environment(executor.pid());
        assertTrue(env.contains("\nOMP_NUM_THREADS=1\n") && env.contains("\nOPENBLAS_NUM_THREADS=1\n"), env);
        BlasRuntime.recommendedCoreType().ifPresent(core ->
                assertTrue(env.contains("\nOPENBLAS_CORETYPE=" + core + "\n"), env));

        long killed = System.nanoTime();
        executor.destroyForcibly();
        executor.onExit().get();
        s.resume();
        assertEquals(0, s.await(), s.tail());
        log("executor loss: executor %d killed (SIGKILL) after checkpoint %d of %d rounds; run ended %.1f s later; "
                + "whole run %.1f s (uninterrupted: %.1f s); %s", executor.pid(), killedAfter, ROUNDS,
                seconds(killed), seconds(s.started()), uninterruptedSeconds,
                s.err().contains(" was lost with executor ") ? "a running task was lost and re-run"
                        : "no task was running");

        assertMidEpoch(run, killedAfter);
        assertTrue(s.err().contains("WARN ExecutorLossListener: executor ") && s.err().contains(" lost (")
                && s.err().contains("training continues on 1 executor (1 core)"), s.tail());
        assertSameParameters(run, s);
    }

    @Test
    @Order(3)
    void aDriverKilledMidRunResumesFromItsCheckpointToTheSameParameters() throws Exception {
        Path run = work.resolve("run-driver-loss");
        Submission first = submit(run);
        first.awaitWhileRunning("two checkpoints", () -> checkpoints(run).size() >= 2);
        first.pause(); // a known last checkpoint, however fast rounds run
        long killedAfter = latestVersion(run);
        long killed = System.nanoTime();
        first.kill();
        List<Path> left = checkpoints(run);
        assertTrue(killedAfter < ROUNDS && !Files.exists(run.resolve("model")), "the driver died mid-epoch");
        log("driver loss: driver %d killed (SIGKILL) after checkpoint %d of %d rounds, %.1f s into its run; on disk: "
                + "%s", first.pid(), killedAfter, ROUNDS, seconds(first.started()),
                left.stream().map(p -> p.getFileName().toString()).toList());

        // The damaged-checkpoint test continues a copy of this interrupted run directory.
        interruptedCopy = work.resolve("run-damaged");
        copyTree(run, interruptedCopy);

        Submission resumed = submit(run, "--resume");
        assertEquals(0, resumed.await(), resumed.tail());
        log("driver loss: re-submitted with --resume; %.1f s from the kill to the end of the resumed run (resumed "
                + "run %.1f s; uninterrupted: %.1f s)", seconds(killed), seconds(resumed.started()),
                uninterruptedSeconds);
        assertTrue(resumed.out().contains("resuming from " + left.get(left.size() - 1)), resumed.out());
        assertSameParameters(run, resumed);
    }

    @Test
    @Order(4)
    void aDamagedLatestCheckpointIsRefusedAndTheOneBeforeItStillResumes() throws Exception {
        assumeTrue(interruptedCopy != null, "needs the interrupted run of the driver-loss test");
        Path run = interruptedCopy;
        List<Path> checkpoints = checkpoints(run);
        assertTrue(checkpoints.size() >= 2, checkpoints.toString());
        Path latest = checkpoints.get(checkpoints.size() - 1);
        Path previous = checkpoints.get(checkpoints.size() - 2);
        Path damaged = latest.resolve("params.npy");
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length - 1] ^= 0x01; // one bit of the last parameter
        Files.write(damaged, bytes);
        Map<Path, byte[]> before = contents(run);

        Submission refused = submit(run, "--resume");
        assertEquals(2, refused.await(), refused.tail());
        double refusedSeconds = seconds(refused.started());
        String[] lines = refused.err().strip().split("\n");
        assertEquals("error: checkpoint " + latest + ": params.npy fails its SHA-256 check (altered after writing);"
                + " to continue from the one before it: --resume-from " + previous, lines[lines.length - 1]);
        Map<Path, byte[]> after = contents(run);
        assertEquals(before.keySet(), after.keySet(), "no file was added or removed");
        before.forEach((file, content) -> assertTrue(Arrays.equals(content, after.get(file)), file + " is unchanged"));

        // Nothing is lost: the one before it resumes to the same end; the damaged one is set aside, not deleted.
        Submission resumed = submit(run, "--resume-from", previous.toString());
        assertEquals(0, resumed.await(), resumed.tail());
        log("checkpoint damage: refused in %.1f s (submit to exit); --resume-from %s ran %.1f s", refusedSeconds,
                previous.getFileName(), seconds(resumed.started()));
        assertTrue(resumed.out().contains("resuming from " + previous), resumed.out());
        assertTrue(Files.isDirectory(run.resolve("checkpoints-set-aside").resolve(latest.getFileName())));
        assertSameParameters(run, resumed);
    }

    @Test
    @Order(5)
    void aWorkerStoppedForGoodLeavesTrainingOnTheOtherOneWithAWarning() throws Exception {
        Path run = work.resolve("run-worker-loss");
        Submission s = submit(run);
        s.awaitWhileRunning("the first checkpoint", () -> !checkpoints(run).isEmpty());
        s.pause(); // the worker leaves at a known round, early in the epoch, however fast rounds run
        long stoppedAfter = latestVersion(run);
        long stopped = System.nanoTime();
        LocalCluster.Result stop = cluster.stopWorker(2);
        s.resume();
        assertEquals(0, stop.exitCode(), stop.output());
        double stopSeconds = seconds(stopped);
        assertEquals(0, s.await(), s.tail());
        log("worker loss: worker 2 stopped (%.1f s) after checkpoint %d of %d rounds; run ended %.1f s later on "
                + "worker 1 alone; whole run %.1f s (uninterrupted: %.1f s)", stopSeconds, stoppedAfter, ROUNDS,
                seconds(stopped), seconds(s.started()), uninterruptedSeconds);

        assertMidEpoch(run, stoppedAfter);
        assertTrue(s.err().contains("WARN ExecutorLossListener: executor ")
                && s.err().contains("training continues on 1 executor (1 core)"), s.tail());
        assertTrue(accuracy(s) >= data.minAccuracy(), s.out());
        assertSameParameters(run, s);
        String status = cluster.status().output();
        assertTrue(status.contains("worker-1  pid") && !status.contains("worker-2"), status);
    }

    // ---- helpers

    private String[] trainArgs(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", data.config().toString()));
        args.addAll(List.of(SHORT_RUN));
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Submission submit(Path run, String... more) throws IOException {
        String[] train = trainArgs(run, more);
        String[] afterTrain = Arrays.copyOfRange(train, 1, train.length);
        Path logs = run.resolveSibling(run.getFileName() + "-" + (submissions.size() + 1));
        Submission s = Submission.start(root, cluster.url(), logs, afterTrain);
        submissions.add(s);
        return s;
    }

    private void assertSameParameters(Path run, Submission s) throws IOException {
        Path expected = reference.resolve("model/params.npy");
        Path actual = run.resolve("model/params.npy");
        assertTrue(Files.isRegularFile(actual), "no model written\n" + s.tail());
        long mismatch = Files.mismatch(expected, actual);
        if (mismatch != -1) {
            INDArray a = Npy.read(Files.readAllBytes(expected));
            INDArray b = Npy.read(Files.readAllBytes(actual));
            throw new AssertionError(actual + " differs from the local[2] run's " + expected + " at byte " + mismatch
                    + "; max |difference| " + (a.length() == b.length() ? a.sub(b).amaxNumber() : "(lengths differ)"));
        }
    }

    private static double accuracy(Submission s) throws IOException {
        Matcher m = Pattern.compile("(?m)^RESULT .* test_acc=(\\S+) ").matcher(s.out());
        assertTrue(m.find(), s.out());
        return Double.parseDouble(m.group(1));
    }

    /** The version (rounds done) of the run's newest checkpoint; 0 if it has none. */
    private static long latestVersion(Path run) {
        List<Path> all = checkpoints(run);
        return all.isEmpty() ? 0 : version(all.get(all.size() - 1));
    }

    private static long version(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("ckpt-".length()));
    }

    /**
     * The fault hit the middle of the epoch: the finished run holds a mid-epoch checkpoint written after the fault
     * (one every 10 rounds, the last 3 kept), so rounds ran after it, not only evaluation.
     */
    private static void assertMidEpoch(Path run, long faultAfterVersion) {
        List<Long> versions = checkpoints(run).stream().map(ClusterTrainingIT::version).toList();
        assertTrue(versions.stream().anyMatch(v -> v > faultAfterVersion && v < ROUNDS),
                "the fault came after checkpoint " + faultAfterVersion + ", too late in the epoch; checkpoints now: "
                        + versions);
    }

    private static List<Path> checkpoints(Path run) {
        Path dir = run.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
        } catch (IOException e) {
            return List.of(); // a checkpoint being renamed into place
        }
    }

    private static Map<Path, byte[]> contents(Path dir) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        assertNotNull(files);
        return files;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void log(String format, Object... args) {
        System.out.println("[cluster-it] " + String.format(Locale.ROOT, format, args));
    }
}
