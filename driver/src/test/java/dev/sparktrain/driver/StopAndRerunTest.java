package dev.sparktrain.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.exchange.WorkerLostException;
import dev.sparktrain.driver.listen.MetricsJsonlListener;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What listeners and {@code metrics.jsonl} see when a block of rounds does not complete: a block that loses a worker
 * runs again and the file keeps each round once (the rerun's); a stop request (Ctrl-C) ends training at once with
 * {@link StopRequest.Interrupted}, even when the block then fails as a lost worker would: no attempt 2. The worker is
 * "lost" by a listener throwing {@link WorkerLostException} after the round, as the transport does, so the test does
 * not depend on when a cancelled Spark job's in-memory workers notice it.
 */
class StopAndRerunTest {

    private static final int FEATURES = 5;
    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(6, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.02);
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    @BeforeAll
    static void start() {
        data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(TestBlocks.random(90, FEATURES, 3, 1, 1),
                TestBlocks.random(61, FEATURES, 3, 1, 2)), 2), 2, FEATURES, "stop");
    }

    /** At (epoch, round): runs {@code action} once, then fails the block as a lost worker does. */
    private static final class AtRound implements TrainingListener {
        private final int epoch;
        private final int round;
        private final Runnable action;
        private final List<Integer> roundsSeen = new ArrayList<>();
        private boolean done;

        AtRound(int epoch, int round, Runnable action) {
            this.epoch = epoch;
            this.round = round;
            this.action = action;
        }

        @Override
        public void onRound(RoundMetrics m) {
            if (m.epoch() == epoch) {
                roundsSeen.add(m.round());
            }
            if (!done && m.epoch() == epoch && m.round() == round) {
                done = true;
                action.run();
                throw new WorkerLostException("worker 1 lost (simulated after epoch " + epoch + ", round " + round
                        + ")", null);
            }
        }
    }

    private static Trainer.Builder trainer(TrainingConfig config, List<TrainingListener> listeners) {
        return Trainer.builder(SPARK.sc(), SPEC, ADAM, config).listeners(listeners);
    }

    private static List<String> records(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = json.readTree(line);
            out.add(n.get("type").asText().charAt(0) + "" + n.get("epoch").asInt()
                    + (n.has("round") ? "." + n.get("round").asInt() : ""));
        }
        return out;
    }

    @Test
    void aBlockRunAgainAfterALostJobLeavesEachRoundOnceInTheMetrics(@TempDir Path dir) throws IOException {
        TrainingConfig config = TrainingConfig.sync(2, 16, 2, 8).withTransport(RoundTransport.CHANNEL);
        AtRound cancel = new AtRound(2, 2, () -> { });
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsJsonlListener metrics = new MetricsJsonlListener(file, 2)) {
            trainer(config, List.of(metrics, cancel)).build().fit(data, null);
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 3, 4, 5), cancel.roundsSeen, "the block ran again");
        assertEquals(List.of("r1.0", "r1.1", "r1.2", "r1.3", "r1.4", "r1.5", "e1",
                "r2.0", "r2.1", "r2.2", "r2.3", "r2.4", "r2.5", "e2"), records(file));
    }

    @Test
    void aStopRequestEndsTrainingWithoutRunningTheBlockAgain() {
        TrainingConfig config = TrainingConfig.sync(3, 16, 2, 8).withTransport(RoundTransport.CHANNEL);
        StopRequest stop = new StopRequest();
        AtRound ctrlC = new AtRound(2, 2, stop::request);
        Trainer trainer = trainer(config, List.of(ctrlC)).stopOn(stop).build();
        StopRequest.Interrupted e = assertThrows(StopRequest.Interrupted.class, () -> trainer.fit(data, null));
        assertEquals(2, e.epoch());
        assertEquals(List.of(0, 1, 2), ctrlC.roundsSeen, "no attempt 2");
    }

    @Test
    void aStopRequestBetweenRoundsStopsAtTheNextOne() {
        TrainingConfig config = TrainingConfig.sync(3, 16, 2, 8).withTransport(RoundTransport.JOB);
        StopRequest stop = new StopRequest();
        List<Integer> seen = new ArrayList<>();
        TrainingListener ctrlCBetweenRounds = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
                seen.add(m.round());
                if (m.epoch() == 1 && m.round() == 3) {
                    stop.request();
                }
            }
        };
        StopRequest.Interrupted e = assertThrows(StopRequest.Interrupted.class,
                () -> trainer(config, List.of(ctrlCBetweenRounds)).stopOn(stop).build().fit(data, null));
        assertEquals(1, e.epoch());
        assertEquals(4, e.round(), "stopped before round 5 (0-based 4)");
        assertArrayEquals(new int[] {0, 1, 2, 3}, seen.stream().mapToInt(Integer::intValue).toArray());
    }
}
