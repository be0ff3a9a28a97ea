package dev.sparktrain.driver.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonlListenerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final RoundMetrics ROUND = TestRounds.round(1, 0, 2, 64, 0.5, 0.01, 0.25);
    private static final EpochMetrics EPOCH = new EpochMetrics(1, 3, 2, 128, 0.5, 1.5, 0.2,
            OptionalDouble.of(0.6), OptionalDouble.empty());

    private static List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void writesEveryRecordComponentOfRoundsAndEpochs(@TempDir Path dir) throws IOException {
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir)) {
            listener.onRound(ROUND);
            listener.onEpoch(EPOCH);
        }
        List<JsonNode> lines = lines(dir.resolve(MetricsJsonlListener.FILE_NAME));
        assertEquals(2, lines.size());
        JsonNode round = lines.get(0);
        assertEquals("round", round.get("type").asText());
        for (RecordComponent c : RoundMetrics.class.getRecordComponents()) {
            assertTrue(round.has(c.getName()), "missing " + c.getName() + " in " + round);
        }
        assertEquals(64, round.get("samples").asLong());
        assertEquals(0.01, round.get("updateNorm").asDouble());
        JsonNode epoch = lines.get(1);
        assertEquals("epoch", epoch.get("type").asText());
        for (RecordComponent c : EpochMetrics.class.getRecordComponents()) {
            assertTrue(epoch.has(c.getName()), "missing " + c.getName() + " in " + epoch);
        }
        assertEquals(0.6, epoch.get("testLoss").asDouble());
        assertTrue(epoch.get("testAccuracy").isNull(), "empty optional is null: " + epoch);
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNull() {
        JsonNode node = RecordJson.toJson("round", TestRounds.round(1, 0, 1, 0, Double.NaN, 0, 0));
        assertTrue(node.get("loss").isNull(), node.toString());
    }

    @Test
    void epochsAreFlushedBeforeClose(@TempDir Path dir) throws IOException {
        MetricsJsonlListener listener = new MetricsJsonlListener(dir.resolve("m.jsonl"), 1000);
        listener.onRound(ROUND);
        listener.onEpoch(EPOCH);
        assertEquals(2, lines(dir.resolve("m.jsonl")).size());
        listener.close();
    }

    @Test
    void roundsAreFlushedEveryNRounds(@TempDir Path dir) throws IOException {
        MetricsJsonlListener listener = new MetricsJsonlListener(dir.resolve("m.jsonl"), 2);
        listener.onRound(ROUND);
        listener.onRound(TestRounds.round(1, 1, 2, 64, 0.5, 0.01, 0.25));
        assertEquals(2, lines(dir.resolve("m.jsonl")).size());
        listener.close();
    }

    @Test
    void aResumedRunContinuesTheFileAndReplacesACutLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(MetricsJsonlListener.FILE_NAME);
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir)) {
            listener.onRound(ROUND);
        }
        Files.writeString(file, "{\"type\":\"round\",\"epo", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir)) {
            listener.onEpoch(EPOCH);
        }
        List<JsonNode> lines = lines(file);
        assertEquals(List.of("round", "epoch"), lines.stream().map(l -> l.get("type").asText()).toList());
    }

    /** Rounds of epoch {@code epoch}, {@code from} to {@code to} - 1, as (epoch, round) pairs read back. */
    private static void rounds(MetricsJsonlListener listener, int epoch, int from, int to) {
        for (int r = from; r < to; r++) {
            listener.onRound(TestRounds.round(epoch, r, 10, 64, 0.5, 0.01, 0.25));
        }
    }

    private static List<String> keys(Path file) throws IOException {
        return lines(file).stream().map(l -> l.get("type").asText().charAt(0) + "" + l.get("epoch").asInt()
                + (l.has("round") ? "." + l.get("round").asInt() : "")).toList();
    }

    @Test
    void aBlockRunAgainReplacesTheAbandonedAttemptsRoundsFlushedOrNot(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.jsonl");
        try (MetricsJsonlListener listener = new MetricsJsonlListener(file, 3)) {
            rounds(listener, 1, 0, 5);    // 0-2 flushed, 3-4 buffered
            rounds(listener, 1, 2, 4);    // the block from round 2 again (a lost worker)
            rounds(listener, 1, 4, 6);
        }
        assertEquals(List.of("r1.0", "r1.1", "r1.2", "r1.3", "r1.4", "r1.5"), keys(file));
    }

    @Test
    void aResumedRunDropsWhatCameAfterItsCheckpoint(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.jsonl");
        try (MetricsJsonlListener listener = new MetricsJsonlListener(file, 1)) {
            rounds(listener, 1, 0, 2);
            listener.onEpoch(new EpochMetrics(1, 3, 2, 128, 0.5, 1.5, 0.2, OptionalDouble.empty(),
                    OptionalDouble.empty()));
            rounds(listener, 2, 0, 2);  // interrupted here; the checkpoint is at the end of epoch 1
        }
        try (MetricsJsonlListener listener = new MetricsJsonlListener(file, 1)) {
            rounds(listener, 2, 0, 1);
        }
        assertEquals(List.of("r1.0", "r1.1", "e1", "r2.0"), keys(file));
        try (MetricsJsonlListener listener = new MetricsJsonlListener(file, 1)) {
            rounds(listener, 1, 0, 1);  // a run with no checkpoint started again from the beginning
        }
        assertEquals(List.of("r1.0"), keys(file));
    }

    @Test
    void writingAfterCloseIsAnError(@TempDir Path dir) {
        MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir);
        listener.close();
        assertThrows(IllegalStateException.class, () -> listener.onRound(ROUND));
    }

    @Test
    void rejectsANonPositiveFlushInterval(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MetricsJsonlListener(dir.resolve("m.jsonl"), 0));
        assertEquals("flushEveryRounds must be >= 1, got 0", e.getMessage());
    }
}
