package dev.sparktrain.driver.stopping;

import dev.sparktrain.driver.listen.EpochMetrics;
import java.util.Arrays;
import java.util.Locale;

/**
 * Stops training when the monitored metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs. Metrics: {@code test_loss} and {@code train_loss} (lower is better), {@code test_accuracy} (higher).
 *
 * @param monitor  {@code training.early_stopping.monitor}
 * @param patience {@code training.early_stopping.patience}: epochs without improvement before stopping, ≥ 1
 * @param minDelta {@code training.early_stopping.min_delta}: the smallest change that counts as improvement, ≥ 0
 */
public record EarlyStopping(String monitor, int patience, double minDelta) implements java.io.Serializable {

    private static final String[] METRICS = {"test_loss", "test_accuracy", "train_loss"};

    public EarlyStopping {
        if (!Arrays.asList(METRICS).contains(monitor)) {
            throw new IllegalArgumentException("training.early_stopping.monitor must be one of "
                    + Arrays.toString(METRICS) + ", got '" + monitor + "'");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("training.early_stopping.patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("training.early_stopping.min_delta must be >= 0, got " + minDelta);
        }
    }

    /** The monitored value of an epoch; test metrics need a test set. */
    public double value(EpochMetrics m) {
        return switch (monitor) {
            case "train_loss" -> m.trainLoss();
            case "test_loss" -> m.testLoss().orElseThrow(() -> noTestSet());
            default -> m.testAccuracy().orElseThrow(() -> noTestSet());
        };
    }

    private IllegalArgumentException noTestSet() {
        return new IllegalArgumentException("training.early_stopping.monitor is " + monitor
                + " but no test data is configured (data.test_*)");
    }

    /** Whether {@code candidate} improves on {@code best} by more than {@code minDelta}. */
    public boolean improves(double candidate, double best) {
        if (Double.isNaN(best)) {
            return true;
        }
        return monitor.endsWith("accuracy") ? candidate > best + minDelta : candidate < best - minDelta;
    }

    /** Where the watch stands: best value so far (NaN before the first epoch), its epoch, epochs since. */
    public record State(double best, int bestEpoch, int epochsWithoutImprovement) {

        public static final State START = new State(Double.NaN, 0, 0);

        public String describe(String monitor) {
            return String.format(Locale.ROOT, "best %s %.4f at epoch %d", monitor, best, bestEpoch);
        }
    }

    /** The state after an epoch. */
    public State next(State state, EpochMetrics m) {
        double v = value(m);
        return improves(v, state.best()) ? new State(v, m.epoch(), 0)
                : new State(state.best(), state.bestEpoch(), state.epochsWithoutImprovement() + 1);
    }

    public boolean shouldStop(State state) {
        return state.epochsWithoutImprovement() >= patience;
    }
}
