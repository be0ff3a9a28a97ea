package dev.sparktrain.driver;

import dev.sparktrain.driver.data.RowAugmentation;
import dev.sparktrain.driver.modes.LocalStepRounds;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.driver.modes.SyncRounds;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a training config's mode needs, from the one training optimizer a user gives: the parameter server (holding
 * the optimizer the driver applies: the training optimizer in {@code sync} mode, the outer optimizer in {@code outer}
 * mode) and the round strategy (whose workers run the training optimizer in the local-step modes). Every way to train
 * (Spark or in process) assembles through here.
 */
public final class ModeSetup {

    private ModeSetup() {
    }

    /** A parameter server at the model's initial parameters for {@code config}'s seed. */
    public static ParameterServer server(NetworkSpec spec, Optimizer optimizer, TrainingConfig config) {
        return new ParameterServer(spec.initialParameters(config.seed(), DataType.FLOAT),
                config.mode() == TrainingMode.OUTER ? config.outerOptimizer() : optimizer);
    }

    /**
     * The rounds of {@code config}'s mode on training data whose partition {@code p} holds {@code rowsPerPartition[p]}
     * rows (which tells the workers each row's global index, for {@code config.augmentation()}).
     */
    public static RoundStrategy strategy(NetworkSpec spec, Optimizer optimizer, TrainingConfig config,
                                         int[] rowsPerPartition) {
        config.augmentation().requireImages(spec.input());
        RowAugmentation augmentation = RowAugmentation.of(config.augmentation(), rowsPerPartition);
        return switch (config.mode()) {
            case SYNC -> new SyncRounds(spec, config.seed(), config.batchSizePerWorker(), config.dropLastBatch(),
                    augmentation);
            case AVERAGE, OUTER -> new LocalStepRounds(spec, optimizer, config.innerState(),
                    config.mode() == TrainingMode.OUTER, config.seed(), config.localSteps(),
                    config.batchSizePerWorker(), config.dropLastBatch(), config.exchange().pseudoGradient(),
                    augmentation);
        };
    }
}
