package dev.sparktrain.driver.aggregate;

/**
 * A mergeable per-partition result of synchronous training: the sample-weighted sum of batch-mean gradients
 * (Σ count·meanGrad), the summed loss (Σ count·meanLoss) and the sample count. Starts empty, never null;
 * merging with an empty sum is the identity on both sides; {@link #meanGradient()} on an empty sum throws.
 */
public final class GradientSum implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private float[] weightedGradient;
    /** Σ count·θ_worker after the forward pass, only for networks with non-trainable state (batch-norm stats). */
    private float[] weightedParams;
    private double weightedLoss;
    private long count;
    private int firstNonFinitePartition = -1;
    private final TaskStats taskStats = new TaskStats();

    public static GradientSum empty() {
        return new GradientSum();
    }

    /**
     * Adds one batch: its mean gradient, mean loss and size. Changes this sum in place and returns it. Takes
     * {@code meanGradient} over: the first batch's array becomes the sum, scaled in place (a fresh vector-sized
     * array per task costs more than the scaling on the machines measured).
     */
    public GradientSum add(float[] meanGradient, double meanLoss, int batchRows) {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batch must have at least one row, got " + batchRows);
        }
        if (weightedGradient != null && weightedGradient.length != meanGradient.length) {
            throw new IllegalArgumentException("gradient of " + meanGradient.length + " elements cannot be added to a sum"
                    + " of " + weightedGradient.length);
        }
        weightedGradient = WeightedSums.addScaled(weightedGradient, meanGradient, batchRows);
        weightedLoss += meanLoss * batchRows;
        count += batchRows;
        return this;
    }

    /**
     * Adds the worker's parameters after its training pass, weighted like its gradient; only their non-trainable
     * entries (running statistics) are used. Call right after {@link #add}. Changes this sum in place, and takes
     * {@code params} over like {@link #add}.
     */
    public GradientSum addParams(float[] params, int batchRows) {
        weightedParams = WeightedSums.addScaled(weightedParams, params, batchRows);
        return this;
    }

    /** The sample-weighted mean of the workers' parameters, or null when no worker sent them. */
    public float[] meanParams() {
        requireNonEmpty();
        if (weightedParams == null) {
            return null;
        }
        return WeightedSums.means(weightedParams, count, null);
    }

    /**
     * Marks this partition's result as non-finite (NaN or infinite loss or gradient) instead of adding it, so the
     * driver can stop the run naming the partition, without Spark retrying a deterministic failure.
     */
    public GradientSum markNonFinite(int partition) {
        firstNonFinitePartition = partition;
        return this;
    }

    /** The lowest partition index that produced a non-finite result, or -1. */
    public int firstNonFinitePartition() {
        return firstNonFinitePartition;
    }

    /**
     * Adds {@code other} into this sum in place and returns this. Takes {@code other}'s arrays over (merged results
     * are not used again): an empty sum adopts them instead of copying.
     */
    public GradientSum merge(GradientSum other) {
        taskStats.merge(other.taskStats);
        if (other.firstNonFinitePartition >= 0 && (firstNonFinitePartition < 0
                || other.firstNonFinitePartition < firstNonFinitePartition)) {
            firstNonFinitePartition = other.firstNonFinitePartition;
        }
        if (other.count == 0) {
            return this;
        }
        if (other.weightedParams != null) {
            weightedParams = weightedParams == null ? other.weightedParams
                    : WeightedSums.addScaled(weightedParams, other.weightedParams, 1);
        }
        if (count == 0) {
            weightedGradient = other.weightedGradient;
        } else {
            if (other.weightedGradient.length != weightedGradient.length) {
                throw new IllegalArgumentException("cannot merge gradient sums of " + weightedGradient.length + " and "
                        + other.weightedGradient.length + " elements");
            }
            WeightedSums.addScaled(weightedGradient, other.weightedGradient, 1);
        }
        weightedLoss += other.weightedLoss;
        count += other.count;
        return this;
    }

    /** The cost of the tasks merged into this sum; tasks record into it with {@link TaskStats#record}. */
    public TaskStats taskStats() {
        return taskStats;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Sample-weighted mean loss. */
    public double meanLoss() {
        requireNonEmpty();
        return weightedLoss / count;
    }

    /** Sample-weighted mean gradient, a new array. */
    public float[] meanGradient() {
        return meanGradient(null);
    }

    /** Sample-weighted mean gradient, in {@code reuse} when it has the gradient's length. */
    public float[] meanGradient(float[] reuse) {
        requireNonEmpty();
        return WeightedSums.means(weightedGradient, count, reuse);
    }

    private void requireNonEmpty() {
        if (count == 0) {
            throw new IllegalStateException("empty gradient sum: no samples were added");
        }
    }
}
