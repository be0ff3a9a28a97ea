package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import dev.sparktrain.jobs.run.SmallDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up for real (a tmpfs sized from a reference run's files, so that it is full exactly when the
 * second checkpoint, or the model, is written): one line naming the file, the system's reason and the run's last
 * checkpoint, exit code 3, no temporary file or folder left, and {@code --resume} finishes once there is space.
 * Needs root to mount; skipped elsewhere (the same messages are covered through a fault seam in
 * {@code AtomicFilesTest} and {@code CheckpointStoreTest}).
 */
class DiskFullTest {

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void biggerModel() throws IOException {
        Path base = CliFixture.config(dir, "relu", "scale: 0.0039");
        config = dir.resolve("wide.yaml");
        // 16-256-3: 5,123 float parameters, 20 KB per array: five pages of a tmpfs.
        Files.writeString(config, Files.readString(base).replace("units: 12", "units: 256"));
    }

    private Outcome train(Path out, int epochs, String... extra) {
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"train", config.toString(), "--out", out.toString(), "--set",
                "training.epochs=" + epochs}, 0, args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        return CliFixture.run(args);
    }

    /** Pages the files under {@code root} (and not under {@code except}) take on a tmpfs. */
    private static long pages(Path root, List<String> except) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            long total = 0;
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString();
                if (except.stream().noneMatch(name::startsWith)) {
                    total += SmallDisk.pages(Files.size(p));
                }
            }
            return total;
        }
    }

    private static List<String> leftovers(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && !n.equals(".sparktrain-run"))
                    .toList();
        }
    }

    @Test
    void aFullDiskAtTheSecondCheckpoint() throws IOException {
        Path reference = dir.resolve("reference");
        assertEquals(0, train(reference, 2).exitCode());
        List<Path> checkpoints;
        try (Stream<Path> s = Files.list(reference.resolve("checkpoints"))) {
            checkpoints = s.sorted().toList();
        }
        // On disk when the second checkpoint starts: marker, config, epoch 1's metrics, the first checkpoint.
        List<String> metrics = Files.readAllLines(reference.resolve("metrics.jsonl"));
        long epochOneBytes = String.join("\n", metrics.subList(0, metrics.size() / 2)).getBytes(
                StandardCharsets.UTF_8).length + 1;
        long before = pages(reference, List.of("metrics.jsonl", "model", "report", "confusion",
                "checkpoints/" + checkpoints.get(1).getFileName())) + SmallDisk.pages(epochOneBytes);
        Optional<SmallDisk> mounted = SmallDisk.mount(dir.resolve("disk"), (before + 2) * SmallDisk.PAGE);
        Assumptions.assumeTrue(mounted.isPresent(), "mounting a tmpfs is not allowed here");
        try (SmallDisk disk = mounted.get()) {
            Path run = disk.root().resolve("run");
            Outcome full = train(run, 2);
            assertEquals(SparkTrain.EXIT_ENVIRONMENT, full.exitCode(), full.out() + full.err());
            assertFalse(full.hasCliStackTrace(), full.err());
            Path first = run.resolve("checkpoints").resolve(checkpoints.get(0).getFileName());
            Path second = run.resolve("checkpoints").resolve(checkpoints.get(1).getFileName());
            assertTrue(Pattern.matches(Pattern.quote("error: " + second + "/") + "[\\w.]+\\.npy: no space left on"
                    + " device \\(wrote \\d+\\.\\d KB\\); the run's last checkpoint is " + Pattern.quote(first.toString())
                    + "; free space and continue it with --resume --out " + Pattern.quote(run.toString()),
                    full.errorLine()), full.errorLine());
            assertEquals(List.of(), leftovers(run), "no temporary file or folder");
            assertFalse(Files.exists(second));

            disk.resize(16L << 20);
            Outcome resumed = train(run, 2, "--resume");
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertEquals("2", resumed.field("RESULT", "epochs"));
        }
    }

    @Test
    void aFullDiskWhileWritingTheModel() throws IOException {
        Path reference = dir.resolve("reference");
        assertEquals(0, train(reference, 1).exitCode());
        long before = pages(reference, List.of("model", "report", "confusion"));
        // The model's config.yaml fits, params.npy gets two pages of its five.
        Optional<SmallDisk> mounted = SmallDisk.mount(dir.resolve("disk"), (before + 3) * SmallDisk.PAGE);
        Assumptions.assumeTrue(mounted.isPresent(), "mounting a tmpfs is not allowed here");
        try (SmallDisk disk = mounted.get()) {
            Path run = disk.root().resolve("run");
            Outcome full = train(run, 1);
            assertEquals(SparkTrain.EXIT_ENVIRONMENT, full.exitCode(), full.out() + full.err());
            Path checkpoint;
            try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
                checkpoint = s.sorted().reduce((a, b) -> b).orElseThrow();
            }
            // Two pages of params.npy, give or take the page the metrics' timing digits may cost.
            assertTrue(Pattern.matches(Pattern.quote("error: " + run.resolve("model/params.npy"))
                    + ": no space left on device \\(wrote (4\\.1|8\\.2|12\\.3) KB\\); the run's last checkpoint is "
                    + Pattern.quote(checkpoint + "; free space and continue it with --resume --out " + run),
                    full.errorLine()), full.errorLine());
            assertEquals(List.of(), leftovers(run), "no .model.tmp or other temporary left");
            assertFalse(Files.exists(run.resolve("model")));

            disk.resize(16L << 20);
            Outcome resumed = train(run, 1, "--resume");
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(Files.isRegularFile(run.resolve("model/params.npy")));
        }
    }
}
