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
        listener.onRound(ROUND);
        assertEquals(2, lines(dir.resolve("m.jsonl")).size());
        listener.close();
    }

    @Test
    void aResumedRunAppendsAndEndsACutLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(MetricsJsonlListener.FILE_NAME);
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir)) {
            listener.onRound(ROUND);
        }
        Files.writeString(file, "{\"type\":\"round\",\"epo", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(dir)) {
            listener.onEpoch(EPOCH);
        }
        List<String> raw = Files.readAllLines(file);
        assertEquals(3, raw.size());
        assertEquals("{\"type\":\"round\",\"epo", raw.get(1));
        assertEquals("epoch", MAPPER.readTree(raw.get(2)).get("type").asText());
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
