package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --overwrite} replaces only a sparktrain run, and only once everything is checked: a folder that is not a
 * run, one that holds the run's config or data (through a symbolic link too) is refused with one line and exit
 * code 2, and nothing the user had changes (every file listed and hashed before and after). The old run is moved
 * aside while the new one starts and comes back when it fails before its first checkpoint.
 */
class OverwriteTest {

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void data() throws IOException {
        config = CliFixture.config(dir, "relu", "scale: 0.0039");
    }

    private Outcome train(Path out, String... extra) {
        String[] args = new String[6 + extra.length];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--out";
        args[3] = out.toString();
        args[4] = "--set";
        args[5] = "training.epochs=1";
        System.arraycopy(extra, 0, args, 6, extra.length);
        return CliFixture.run(args);
    }

    private static void assertRefused(Outcome o, String line) {
        assertEquals(SparkTrain.EXIT_BAD_INPUT, o.exitCode(), o.out() + o.err());
        assertEquals(line, o.errorLine());
        assertFalse(o.hasCliStackTrace(), o.err());
    }

    /** Leftovers of a move aside: {@code NAME.overwritten-*} next to the run. */
    private static long asideCopies(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.toAbsolutePath().getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(run.getFileName() + ".overwritten-")).count();
        }
    }

    @Test
    void aFolderThatIsNotARunIsNeverReplaced() throws IOException {
        Path csvs = dir.resolve("csvs");
        Files.createDirectories(csvs);
        Files.writeString(csvs.resolve("a.csv"), "x,label\n1,0\n");
        Files.writeString(csvs.resolve("b.csv"), "x,label\n2,1\n");
        Map<String, String> before = FileHashes.of(dir);

        assertRefused(train(csvs, "--overwrite"), "error: --overwrite refuses to replace " + csvs + ": it is not a"
                + " sparktrain run directory (no .sparktrain-run); --overwrite replaces only runs sparktrain created");
        assertRefused(train(csvs), "error: " + csvs + ": exists, is not empty and is not a sparktrain run"
                + " directory; choose another --out");
        assertEquals(before, FileHashes.of(dir), "nothing changed");
    }

    @Test
    void aRunHoldingTheConfigOrTheDataIsNeverReplacedEvenThroughALink() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run).exitCode());
        Path copied = run.resolve("tiny.yaml");
        Files.copy(config, copied);
        Map<String, String> before = FileHashes.of(dir);
        assertRefused(CliFixture.run("train", copied.toString(), "--out", run.toString(), "--overwrite"),
                "error: --overwrite refuses to replace " + run + ": it holds this run's config " + copied);

        Files.move(dir.resolve("test-labels"), run.resolve("test-labels"));
        Files.writeString(config, Files.readString(config).replace(dir + "/test-labels", run + "/test-labels"));
        Path alias = dir.resolve("alias");
        Files.createSymbolicLink(alias, run);
        before = FileHashes.of(dir);
        assertRefused(train(alias, "--overwrite"), "error: --overwrite refuses to replace " + alias
                + ": it holds this run's data " + run + "/test-labels");
        assertEquals(before, FileHashes.of(dir), "nothing changed");
    }

    @Test
    void theCurrentDirectoryAndItsParentsAreNeverReplaced() throws Exception {
        Path cwd = dir.resolve("inside/here");
        Files.createDirectories(cwd);
        // Both marked as runs, so only the rule about the current directory refuses them.
        Files.writeString(cwd.resolve(".sparktrain-run"), "sparktrain-run 1\n");
        Files.writeString(dir.resolve("inside/.sparktrain-run"), "sparktrain-run 1\n");
        Map<String, String> before = FileHashes.of(dir);
        ChildCli.Result here = ChildCli.run(cwd, "train", config.toString(), "--out", ".", "--overwrite");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, here.exitCode(), here.stderr());
        assertEquals("error: --overwrite refuses to replace .: it is the current directory", here.lastErrLine());
        ChildCli.Result parent = ChildCli.run(cwd, "train", config.toString(), "--out", "..", "--overwrite");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, parent.exitCode(), parent.stderr());
        assertEquals("error: --overwrite refuses to replace ..: it holds the current directory",
                parent.lastErrLine());
        assertEquals(before, FileHashes.of(dir), "nothing changed");
    }

    @Test
    void aTypoInTheDataPathLeavesTheRunItWouldReplaceAsItWas() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run).exitCode());
        Map<String, String> before = FileHashes.of(dir);
        Path typo = dir.resolve("train-imagez");
        Outcome o = train(run, "--overwrite", "--set", "data.train_images=" + typo);
        assertEquals(SparkTrain.EXIT_BAD_INPUT, o.exitCode(), o.err());
        assertTrue(o.errorLine().startsWith("error: ") && o.errorLine().contains(typo.toString()), o.errorLine());
        assertEquals(before, FileHashes.of(dir), "the old run is untouched");
        assertEquals(0, asideCopies(run));
    }

    @Test
    void aFailureBeforeTheFirstCheckpointPutsTheOldRunBack() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run).exitCode());
        Map<String, String> before = FileHashes.of(dir);
        // Adam with this rate sends the loss to infinity in the first rounds, long before the epoch's checkpoint.
        Outcome o = train(run, "--overwrite", "--set", "optimizer.lr=1e30");
        assertNotEquals(0, o.exitCode(), o.out());
        assertTrue(o.errorLine().contains("loss"), o.errorLine());
        assertEquals(before, FileHashes.of(dir), "the old run is back, unchanged");
        assertEquals(0, asideCopies(run));
    }

    @Test
    void overwriteReplacesARunAndDeletesTheOldOneOnlyAfterwards() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run).exitCode());
        byte[] oldParams = Files.readAllBytes(run.resolve("model/params.npy"));
        Outcome o = train(run, "--overwrite", "--set", "training.seed=11");
        assertEquals(0, o.exitCode(), o.err());
        assertFalse(java.util.Arrays.equals(oldParams, Files.readAllBytes(run.resolve("model/params.npy"))));
        assertTrue(Files.readString(run.resolve(".sparktrain-run")).startsWith("sparktrain-run 1\n"));
        assertEquals(0, asideCopies(run), "the old run is gone once the new one has a checkpoint");
    }

    @Test
    void anUnparsableSparkMasterLeavesNoDirectoryBehind() {
        Path run = dir.resolve("runs/first");
        Outcome o = train(run, "--set", "spark.master=nonsense://x");
        assertNotEquals(0, o.exitCode());
        assertFalse(Files.exists(dir.resolve("runs")), "no stub to block the next run");
        Outcome again = train(run, "--set", "spark.master=nonsense://x");
        assertEquals(o.errorLine(), again.errorLine(), "the same answer, not 'run directory exists'");
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointCanBeResumedFromTheBeginningOrReplaced() throws IOException {
        Path finished = dir.resolve("finished");
        assertEquals(0, train(finished).exitCode());
        // What a killed driver leaves before the first checkpoint: the marker, the config, some metrics.
        Path run = dir.resolve("stopped");
        Files.createDirectories(run);
        for (String f : new String[] {".sparktrain-run", "config.yaml", "metrics.jsonl"}) {
            Files.copy(finished.resolve(f), run.resolve(f));
        }
        Map<String, String> before = FileHashes.of(dir);
        assertRefused(train(run), "error: " + run + ": run directory exists and has no checkpoint (stopped before"
                + " its first one); use --resume to start it again from the beginning or --overwrite to replace it");
        assertEquals(before, FileHashes.of(dir));

        Outcome resumed = train(run, "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + run + ": it has no checkpoint, so it starts from the"
                + " beginning"), resumed.out());
        assertArrayEquals(Files.readAllBytes(finished.resolve("model/params.npy")),
                Files.readAllBytes(run.resolve("model/params.npy")), "the same run as one never stopped");
        assertEquals(Files.readAllLines(finished.resolve("metrics.jsonl")).size(),
                Files.readAllLines(run.resolve("metrics.jsonl")).size(), "each round once");
    }
}
