package dev.sparktrain.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.inprocess.InProcessSession;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.Round;
import dev.sparktrain.driver.modes.RoundResult;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A round's metrics are reported while the next round's workers compute (the update's norms measured then): the
 * numbers are those of reading them at once after each round, as a serial loop does, and every round is reported, the
 * last of each epoch too.
 */
class ReportedNormsTest {

    private static final int FEATURES = 5;
    private static final int CLASSES = 3;
    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(7, new Tanh()), new Dense(CLASSES, new Identity())), new SoftmaxCrossEntropy());
    private static final List<DataBlock> PARTITIONS = List.of(TestBlocks.random(48, FEATURES, CLASSES, 1.5, 1),
            TestBlocks.random(40, FEATURES, CLASSES, 1.5, 2));
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    /** Per round: the gradient's and the change's norms, the change relative to the parameters, the loss. */
    private static double[] numbers(double gradientNorm, double updateNorm, double updateRatio, double loss) {
        return new double[] {gradientNorm, updateNorm, updateRatio, loss};
    }

    /** The Trainer over the in-memory channel: each round's report made while the next round's workers compute. */
    private static List<double[]> reported(TrainingConfig config, Optimizer optimizer) {
        List<double[]> seen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
                seen.add(numbers(m.gradientNorm(), m.updateNorm(), m.updateRatio(), m.loss()));
            }
        };
        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(PARTITIONS, 2), 2, FEATURES, "reported-norms");
        Trainer.builder(SPARK.sc(), SPEC, optimizer, config.withTransport(RoundTransport.CHANNEL))
                .listeners(List.of(listener)).build().fit(data, null);
        return seen;
    }

    /** Round after round in this thread, each round's norms read as soon as it has been applied. */
    private static List<double[]> serial(TrainingConfig config, Optimizer optimizer) {
        ParameterServer server = ModeSetup.server(SPEC, optimizer, config);
        RoundStrategy strategy = ModeSetup.strategy(SPEC, optimizer, config,
                PARTITIONS.stream().mapToInt(DataBlock::rows).toArray());
        List<double[]> seen = new ArrayList<>();
        int rounds = strategy.roundsPerEpoch(48);
        Map<Integer, InnerState> carries = Map.of();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            try (InProcessSession session = new InProcessSession(PARTITIONS, null,
                    strategy.carriesWorkerState() ? carries : null)) {
                for (int round = 0; round < rounds; round++) {
                    RoundResult r = Round.run(strategy, server, session, epoch, round);
                    double paramsNorm = server.paramsNorm();
                    seen.add(numbers(r.gradientNorm(), r.updateNorm(), r.updateNorm() / paramsNorm, r.loss()));
                }
                carries = session.finish();
            }
        }
        return seen;
    }

    private static void assertSameNumbers(List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size(), "rounds reported");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), 0, "round " + i);
        }
    }

    @Test
    void syncMetricsReportedLateAreTheSerialLoopsNumbers() {
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 17);
        List<double[]> serial = serial(config, Adam.defaults(0.01));
        assertEquals(12, serial.size());
        assertSameNumbers(serial, reported(config, Adam.defaults(0.01)));
    }

    @Test
    void outerMetricsReportedLateAreTheSerialLoopsNumbers() {
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 17).withMode(TrainingMode.OUTER, 2,
                InnerStatePolicy.KEEP, Sgd.nesterov(0.7, 0.5));
        Optimizer inner = Adam.defaults(0.01);
        List<double[]> serial = serial(config, inner);
        assertEquals(6, serial.size());
        assertSameNumbers(serial, reported(config, inner));
    }
}
