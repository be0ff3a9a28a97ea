package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sparktrain.jobs.cli.CliFixture.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished run extended with {@code --resume --set training.epochs=N} ends with bitwise the parameters of a run of N
 * epochs never stopped, with a cosine schedule whose horizon ({@code decay_steps}) is part of the config and so the
 * same in both; RESULT counts the run's epochs. A change that resume cannot make is refused with one line naming
 * every field and the ways out, and changes nothing.
 */
class ResumeExtendTest {

    @TempDir
    static Path dir;
    static Path config;
    static Path oneEpoch;

    @BeforeAll
    static void trainOneEpoch() throws IOException {
        Path base = CliFixture.config(dir, "relu", "scale: 0.0039");
        config = dir.resolve("cosine.yaml");
        Files.writeString(config, Files.readString(base).replace("optimizer: {type: adam, lr: 0.01}",
                "optimizer: {type: adam, lr: 0.01, schedule: {type: cosine, decay_steps: 30}}"));
        oneEpoch = dir.resolve("one");
        Outcome o = CliFixture.run("train", config.toString(), "--out", oneEpoch.toString(), "--set",
                "training.epochs=1");
        assertEquals(0, o.exitCode(), o.err());
    }

    private static byte[] params(Path run) throws IOException {
        return Files.readAllBytes(run.resolve("model/params.npy"));
    }

    @Test
    void extendingAFinishedRunEqualsARunOfTheNewLength() throws IOException {
        Path extended = dir.resolve("extended");
        copy(oneEpoch, extended);
        Outcome more = CliFixture.run("train", config.toString(), "--out", extended.toString(), "--resume",
                "--set", "training.epochs=2");
        assertEquals(0, more.exitCode(), more.err());
        assertEquals("2", more.field("RESULT", "epochs"));

        Path straight = dir.resolve("straight");
        Outcome two = CliFixture.run("train", config.toString(), "--out", straight.toString(), "--set",
                "training.epochs=2");
        assertEquals(0, two.exitCode(), two.err());
        assertArrayEquals(params(straight), params(extended), "bitwise the parameters of an uninterrupted run");
        assertEquals(Files.readAllLines(straight.resolve("metrics.jsonl")).size(),
                Files.readAllLines(extended.resolve("metrics.jsonl")).size(), "each round and epoch once");
    }

    @Test
    void aChangeResumeCannotMakeIsRefusedNamingTheFieldsAndChangesNothing() throws IOException {
        Path run = dir.resolve("refused");
        copy(oneEpoch, run);
        Map<String, String> before = FileHashes.of(dir);
        Path checkpoint;
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            checkpoint = s.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Outcome o = CliFixture.run("train", config.toString(), "--out", run.toString(), "--resume",
                "--set", "training.epochs=3", "--set", "training.batch_size_per_worker=8",
                "--set", "optimizer.schedule.decay_steps=60");
        assertEquals(SparkTrain.EXIT_BAD_INPUT, o.exitCode(), o.err());
        assertFalse(o.hasCliStackTrace(), o.err());
        assertEquals("error: checkpoint " + checkpoint + " does not fit this config: optimizer.schedule.decay_steps"
                + " is 30 in the run, 60 now (also training.batch_size_per_worker); a resumed run may change only"
                + " training.epochs, training.early_stopping, training.eval_batch_size, training.transport,"
                + " training.exchange.topology and the"
                + " data (but data.augment), checkpoint and spark sections; for other changes start a new run"
                + " (another --out) or"
                + " replace this one with --overwrite", o.errorLine());
        assertEquals(before, FileHashes.of(dir), "nothing changed");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
