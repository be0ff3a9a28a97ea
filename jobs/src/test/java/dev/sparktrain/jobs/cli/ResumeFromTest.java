package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged checkpoint on resume, on local Spark: {@code --resume} refuses a latest checkpoint that fails its
 * SHA-256 check with one line naming it and the one before, and changes nothing; {@code --resume-from} that one
 * continues to bitwise the parameters of a run that was never stopped, with the damaged one set aside, not deleted.
 * (The same on a real standalone cluster after a driver kill: {@code ClusterTrainingIT}.)
 */
class ResumeFromTest {

    private static final int SIDE = 4;

    @TempDir
    static Path dir;
    private static Path config;
    private static Path finished;

    /** Class k lights up row k of a 4x4 image, on noise. */
    private static void writeData(String prefix, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * SIDE * SIDE).putInt(0x803).putInt(n).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(3);
            labels.put((byte) label);
            for (int p = 0; p < SIDE * SIDE; p++) {
                images.put((byte) (random.nextInt(60) + (p / SIDE == label ? 180 : 0)));
            }
        }
        Files.write(dir.resolve(prefix + "-images"), images.array());
        Files.write(dir.resolve(prefix + "-labels"), labels.array());
    }

    /** One uninterrupted run, checkpointing every 5 rounds (19 rounds in all, the last 3 checkpoints kept). */
    @BeforeAll
    static void trainOnceWithoutStopping() throws IOException {
        writeData("train", 600, 1);
        config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                name: tiny
                data: {train_images: %1$s/train-images, train_labels: %1$s/train-labels, scale: 0.0039}
                model:
                  input_shape: [16]
                  layers: [{type: dense, units: 8, activation: relu}, {type: dense, units: 3}]
                  loss: softmax_cross_entropy
                optimizer: {type: adam, lr: 0.01}
                training: {epochs: 1, batch_size_per_worker: 16, workers: 2, seed: 5}
                checkpoint: {every_rounds: 5}
                """.formatted(dir));
        finished = dir.resolve("finished");
        CliFixture.Outcome done = run("train", config.toString(), "--out", finished.toString());
        assertEquals(0, done.exitCode(), done.err());
    }

    /** A run stopped after its last checkpoint and before its model: the finished run without model/. */
    private static Path interruptedCopy(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(finished.resolve("checkpoints"))) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(finished.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.copy(finished.resolve("config.yaml"), copy.resolve("config.yaml"));
        return copy;
    }

    private static List<Path> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
        }
    }

    @Test
    void aDamagedLatestCheckpointIsRefusedAndTheOneBeforeItResumesToTheSameParameters() throws IOException {
        Path run = interruptedCopy("damaged");
        List<Path> kept = checkpoints(run);
        assertEquals(3, kept.size(), kept.toString());
        Path latest = kept.get(2);
        Path previous = kept.get(1);
        Path params = latest.resolve("params.npy");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 1] ^= 0x01; // one bit of the last parameter
        Files.write(params, bytes);
        Map<Path, byte[]> before = contents(run);

        CliFixture.Outcome refused = run("train", config.toString(), "--out", run.toString(), "--resume");
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("error: checkpoint " + latest + ": params.npy fails its SHA-256 check (altered after writing);"
                + " to continue from the one before it: --resume-from " + previous, refused.errorLine());
        assertFalse(refused.hasCliStackTrace(), "no stack trace: " + refused.err());
        assertEquals(before.keySet(), contents(run).keySet(), "nothing written or removed");
        contents(run).forEach((file, content) -> assertArrayEquals(before.get(file), content, file + " unchanged"));

        CliFixture.Outcome resumed = run("train", config.toString(), "--out", run.toString(), "--resume-from",
                previous.getFileName().toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming from " + previous), resumed.out());
        Path setAside = run.resolve("checkpoints-set-aside").resolve(latest.getFileName());
        assertTrue(resumed.out().contains("set aside " + latest + " -> " + setAside), resumed.out());
        assertArrayEquals(bytes, Files.readAllBytes(setAside.resolve("params.npy")), "the damaged one is kept");
        assertArrayEquals(Files.readAllBytes(finished.resolve("model/params.npy")),
                Files.readAllBytes(run.resolve("model/params.npy")), "same parameters as the uninterrupted run");
    }

    @Test
    void resumeFromSomethingThatIsNotACheckpointOfTheRunIsRefused() throws IOException {
        Path run = interruptedCopy("elsewhere");
        Map<Path, byte[]> before = contents(run);
        CliFixture.Outcome outcome = run("train", config.toString(), "--out", run.toString(), "--resume-from",
                finished.resolve("checkpoints").toString());
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertTrue(outcome.errorLine().startsWith("error: --resume-from: " + finished.resolve("checkpoints")
                + " is not a checkpoint of " + run + "; expected one of [ckpt-"), outcome.errorLine());
        assertEquals(before.keySet(), contents(run).keySet(), "nothing written or removed");
    }

    @Test
    void theOnlyCheckpointDamagedSaysThereIsNoEarlierOne() throws IOException {
        Path run = interruptedCopy("only");
        List<Path> kept = checkpoints(run);
        for (Path p : kept.subList(0, kept.size() - 1)) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Path only = kept.get(kept.size() - 1);
        Files.writeString(only.resolve("manifest.json"), "{not json");
        CliFixture.Outcome outcome = run("train", config.toString(), "--out", run.toString(), "--resume");
        assertEquals(2, outcome.exitCode(), outcome.err());
        String line = outcome.errorLine();
        assertTrue(line.startsWith("error: checkpoint " + only + ": manifest.json is not valid JSON")
                && line.endsWith("; there is no earlier checkpoint to resume from"), line);
    }

    private static Map<Path, byte[]> contents(Path root) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static CliFixture.Outcome run(String... args) {
        return CliFixture.run(args);
    }
}
