package dev.sparktrain.driver;

import dev.sparktrain.driver.data.Augmentation;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.optim.Optimizer;

/**
 * How to train, validated at construction; messages name the config field.
 *
 * @param mode               {@code training.mode}
 * @param epochs             {@code training.epochs}, ≥ 1
 * @param batchSizePerWorker {@code training.batch_size_per_worker}: rows per worker per round, ≥ 1
 * @param workers            {@code training.workers}: data partitions, one task each per round, ≥ 1
 * @param seed               {@code training.seed}: initial parameters, shuffles and per-step randomness
 * @param dropLastBatch      {@code training.drop_last_batch}: skip a partition's final partial batch of an epoch
 * @param evalBatchSize      {@code training.eval_batch_size}: rows per forward pass in evaluation
 * @param localSteps         {@code training.local_steps}: H optimizer steps per worker per round in the
 *                           {@code average} and {@code outer} modes, ≥ 1
 * @param innerState         {@code training.inner_state}: what happens to the workers' optimizer state between
 *                           rounds of the {@code average} and {@code outer} modes
 * @param outerOptimizer     {@code training.outer_optimizer}: the driver's optimizer in {@code outer} mode, fed the
 *                           pseudo-gradient θ − mean(θ_workers); null in the other modes
 * @param transport          {@code training.transport}: one Spark job per round, or a barrier job per block of rounds
 *                           talking to the driver over TCP ({@link RoundTransport})
 * @param exchange           {@code training.exchange}: the shape of the exchange and the precision of the local-step
 *                           modes' pseudo-gradients ({@link ExchangeConfig})
 * @param augmentation       {@code data.augment}: how the workers alter training images as they gather a batch
 *                           (never evaluation or prediction rows); {@link Augmentation#NONE} for none
 */
public record TrainingConfig(TrainingMode mode, int epochs, int batchSizePerWorker, int workers, long seed,
                             boolean dropLastBatch, int evalBatchSize, int localSteps, InnerStatePolicy innerState,
                             Optimizer outerOptimizer, RoundTransport transport,
                             ExchangeConfig exchange, Augmentation augmentation) {

    public TrainingConfig {
        if (mode == null) {
            throw new IllegalArgumentException("training.mode must be set");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("training.epochs must be >= 1, got " + epochs);
        }
        if (batchSizePerWorker < 1) {
            throw new IllegalArgumentException("training.batch_size_per_worker must be >= 1, got " + batchSizePerWorker);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("training.workers must be >= 1, got " + workers);
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("training.eval_batch_size must be >= 1, got " + evalBatchSize);
        }
        if (localSteps < 1) {
            throw new IllegalArgumentException("training.local_steps must be >= 1, got " + localSteps);
        }
        if (innerState == null) {
            throw new IllegalArgumentException("training.inner_state must be set");
        }
        if (transport == null) {
            throw new IllegalArgumentException("training.transport must be set");
        }
        if (exchange == null) {
            throw new IllegalArgumentException("training.exchange must be set");
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("data.augment must be set (Augmentation.NONE for none)");
        }
        if (mode == TrainingMode.SYNC && exchange.pseudoGradient().halves()) {
            throw new IllegalArgumentException("training.exchange.pseudo_gradient " + exchange.pseudoGradient()
                    .configName() + " applies to the average and outer modes only; sync mode sends float32 gradients");
        }
        if ((mode == TrainingMode.OUTER) != (outerOptimizer != null)) {
            throw new IllegalArgumentException(mode == TrainingMode.OUTER
                    ? "training.outer_optimizer is required in outer mode"
                    : "training.outer_optimizer is only used in outer mode, got it in " + mode.configName() + " mode");
        }
    }

    /** A copy in synchronous mode, for tests and library users. */
    public static TrainingConfig sync(int epochs, int batchSizePerWorker, int workers, long seed) {
        TrainingConfig d = defaults();
        return new TrainingConfig(TrainingMode.SYNC, epochs, batchSizePerWorker, workers, seed, d.dropLastBatch(),
                d.evalBatchSize(), d.localSteps(), d.innerState(), null, d.transport(), d.exchange(),
                d.augmentation());
    }

    /** The same settings in another mode. */
    public TrainingConfig withMode(TrainingMode newMode, int newLocalSteps, InnerStatePolicy newInnerState,
                                   Optimizer newOuterOptimizer) {
        return new TrainingConfig(newMode, epochs, batchSizePerWorker, workers, seed, dropLastBatch, evalBatchSize,
                newLocalSteps, newInnerState, newOuterOptimizer, transport, exchange, augmentation);
    }

    /** The same settings for another number of epochs. */
    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(mode, newEpochs, batchSizePerWorker, workers, seed, dropLastBatch, evalBatchSize,
                localSteps, innerState, outerOptimizer, transport, exchange, augmentation);
    }

    /** The same settings with another transport. */
    public TrainingConfig withTransport(RoundTransport newTransport) {
        return new TrainingConfig(mode, epochs, batchSizePerWorker, workers, seed, dropLastBatch, evalBatchSize,
                localSteps, innerState, outerOptimizer, newTransport, exchange, augmentation);
    }

    /** The same settings with another exchange. */
    public TrainingConfig withExchange(ExchangeConfig newExchange) {
        return new TrainingConfig(mode, epochs, batchSizePerWorker, workers, seed, dropLastBatch, evalBatchSize,
                localSteps, innerState, outerOptimizer, transport, newExchange, augmentation);
    }

    /** The same settings with training images augmented as {@code newAugmentation} says. */
    public TrainingConfig withAugmentation(Augmentation newAugmentation) {
        return new TrainingConfig(mode, epochs, batchSizePerWorker, workers, seed, dropLastBatch, evalBatchSize,
                localSteps, innerState, outerOptimizer, transport, exchange, newAugmentation);
    }

    /** Whether workers run local optimizer steps (average, outer) rather than return gradients (sync). */
    public boolean localStepsMode() {
        return mode != TrainingMode.SYNC;
    }

    /** The defaults, in one place. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(TrainingMode.SYNC, 5, 64, 2, 42L, false, 2048, 8, InnerStatePolicy.AVERAGE, null,
                RoundTransport.JOB, ExchangeConfig.defaults(), Augmentation.NONE);
    }

    /** Rows the optimizer sees per round when every worker has a full batch. */
    public int globalBatchSize() {
        return batchSizePerWorker * workers;
    }
}
