package dev.sparktrain.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: {@code sparktrain train} in a JVM of its own gets SIGINT in its second epoch. It stops at the next
 * round with one line on stderr and exit code 130, runs no block again, leaves each round in {@code metrics.jsonl}
 * once, and {@code --resume} (here shortened to the epoch it stopped in) finishes the run.
 */
class InterruptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOG_INFO = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d INFO ");
    private static final Pattern LOG_WARNING = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (WARN|ERROR) ");

    @TempDir
    Path dir;

    /** (epoch, round) of every record, epoch records as round -1 after their rounds; asserts order and uniqueness. */
    private static List<long[]> records(Path metrics) throws IOException {
        List<long[]> keys = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = JSON.readTree(line);
            long epoch = n.get("epoch").asLong();
            long round = "round".equals(n.get("type").asText()) ? n.get("round").asLong() : Integer.MAX_VALUE;
            long key = epoch << 32 | round;
            assertTrue(key > last, "each record once, in training order: " + line);
            last = key;
            keys.add(new long[] {epoch, round});
        }
        return keys;
    }

    @Test
    void ctrlCStopsWithOneLineAndExit130AndResumeFinishesTheRun() throws Exception {
        Path config = CliFixture.config(dir, "relu", "scale: 0.0039");
        Path run = dir.resolve("run");
        ChildCli.Running child = ChildCli.start(dir, "train", config.toString(), "--out", run.toString(),
                "--set", "training.epochs=500", "--set", "checkpoint.every_rounds=5");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!child.stdoutSoFar().contains("epoch 2  round")) {
            assertTrue(child.process().isAlive(), "ended early:\n" + child.stdoutSoFar());
            assertTrue(System.nanoTime() < deadline, "no round of epoch 2 within 120 s");
            Thread.sleep(50);
        }
        ChildCli.interrupt(child.process());
        ChildCli.Result stopped = child.await(60);

        assertEquals(SparkTrain.EXIT_INTERRUPTED, stopped.exitCode(), stopped.stderr());
        // Logging at INFO is the run's own log; a warning, an error, a retry or a trace would show here.
        assertTrue(stopped.errLines().stream().noneMatch(l -> LOG_WARNING.matcher(l).find()
                || l.contains("attempt") || l.contains("stopped SparkContext")), stopped.stderr());
        List<String> lines = stopped.errLines().stream().filter(l -> !LOG_INFO.matcher(l).find()).toList();
        assertEquals(1, lines.size(), "one line on stderr:\n" + stopped.stderr());
        Matcher m = Pattern.compile("interrupted in epoch (\\d+), round (\\d+); the run's last checkpoint is ("
                + Pattern.quote(run.resolve("checkpoints").toString()) + "/ckpt-\\d{12}); continue it with --resume"
                + " --out " + Pattern.quote(run.toString())).matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        int epoch = Integer.parseInt(m.group(1));
        assertTrue(Files.isDirectory(Path.of(m.group(3))), m.group(3));
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertTrue(s.map(p -> p.getFileName().toString()).allMatch(n -> n.startsWith("ckpt-")),
                    "no temporary checkpoint left");
        }
        List<long[]> records = records(run.resolve("metrics.jsonl"));
        assertTrue(records.size() >= 19, "the rounds that ran are kept: " + records.size());

        CliFixture.Outcome resumed = CliFixture.run("train", config.toString(), "--out", run.toString(), "--resume",
                "--set", "training.epochs=" + epoch, "--set", "checkpoint.every_rounds=5");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(String.valueOf(epoch), resumed.field("RESULT", "epochs"), "the run's epochs, not this session's");
        List<long[]> after = records(run.resolve("metrics.jsonl"));
        assertEquals((long) epoch * 19 + epoch, after.size(), "19 rounds and one epoch record per epoch, each once");
    }
}
