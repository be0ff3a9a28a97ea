package dev.sparktrain.driver.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mergeable per-partition result of local-step training: the sample-weighted sum of the workers' final
 * parameters (Σ nᵢ·θᵢ), optionally of their inner optimizer state slots, the summed loss and the sample count.
 * Starts empty, never null; merging with an empty sum is the identity; the means of an empty sum throw.
 */
public final class ParameterSum implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private float[] weightedParams;
    private final Map<String, float[]> weightedSlots = new LinkedHashMap<>();
    /** Per-worker inner states (the {@code keep} policy): not averaged, one entry per partition. */
    private final java.util.HashMap<Integer, dev.sparktrain.driver.modes.InnerState> workerStates =
            new java.util.HashMap<>();
    private double weightedLoss;
    private long count;
    private long maxInnerStep;
    private int firstNonFinitePartition = -1;
    private final TaskStats taskStats = new TaskStats();

    public static ParameterSum empty() {
        return new ParameterSum();
    }

    /**
     * Adds one worker's result: its parameters after the local steps, its inner state slots (may be empty), the
     * mean loss over its local batches and the number of samples it trained on. Changes this sum in place, and takes
     * the arrays over (an empty sum scales them in place).
     */
    public ParameterSum add(float[] params, Map<String, float[]> slots, long innerStep, double meanLoss, long samples) {
        if (samples <= 0) {
            throw new IllegalArgumentException("a worker result needs at least one sample, got " + samples);
        }
        weightedParams = addScaled(weightedParams, params, samples, "parameters");
        slots.forEach((name, slot) -> weightedSlots.put(name, addScaled(weightedSlots.get(name), slot, samples, name)));
        weightedLoss += meanLoss * samples;
        count += samples;
        maxInnerStep = Math.max(maxInnerStep, innerStep);
        return this;
    }

    /** Keeps one worker's own inner state (the {@code keep} policy). Changes this sum in place. */
    public ParameterSum keepWorkerState(int partition, dev.sparktrain.driver.modes.InnerState state) {
        workerStates.put(partition, state);
        return this;
    }

    /** The kept per-worker inner states, by partition. */
    public Map<Integer, dev.sparktrain.driver.modes.InnerState> workerStates() {
        return java.util.Collections.unmodifiableMap(workerStates);
    }

    /** Marks this partition as having produced a non-finite loss or parameters (see {@link GradientSum}). */
    public ParameterSum markNonFinite(int partition) {
        firstNonFinitePartition = partition;
        return this;
    }

    public int firstNonFinitePartition() {
        return firstNonFinitePartition;
    }

    /** Adds {@code other} into this sum in place and returns this; takes {@code other}'s arrays over. */
    public ParameterSum merge(ParameterSum other) {
        taskStats.merge(other.taskStats);
        if (other.firstNonFinitePartition >= 0 && (firstNonFinitePartition < 0
                || other.firstNonFinitePartition < firstNonFinitePartition)) {
            firstNonFinitePartition = other.firstNonFinitePartition;
        }
        workerStates.putAll(other.workerStates);
        if (other.count == 0) {
            return this;
        }
        if (count > 0 && !weightedSlots.keySet().equals(other.weightedSlots.keySet())) {
            throw new IllegalArgumentException("cannot merge results with inner state slots " + weightedSlots.keySet()
                    + " and " + other.weightedSlots.keySet());
        }
        weightedParams = addScaled(weightedParams, other.weightedParams, 1, "parameters");
        other.weightedSlots.forEach((name, slot) -> weightedSlots.put(name,
                addScaled(weightedSlots.get(name), slot, 1, name)));
        weightedLoss += other.weightedLoss;
        count += other.count;
        maxInnerStep = Math.max(maxInnerStep, other.maxInnerStep);
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

    public double meanLoss() {
        requireNonEmpty();
        return weightedLoss / count;
    }

    /** Σ nᵢ·θᵢ / Σ nᵢ, a new array. */
    public float[] meanParams() {
        return meanParams(null);
    }

    /** Σ nᵢ·θᵢ / Σ nᵢ, in {@code reuse} when it has the parameters' length. */
    public float[] meanParams(float[] reuse) {
        requireNonEmpty();
        return WeightedSums.means(weightedParams, count, reuse);
    }

    /** The sample-weighted mean of every inner state slot (empty if workers sent none). */
    public Map<String, float[]> meanSlots() {
        requireNonEmpty();
        Map<String, float[]> out = new LinkedHashMap<>();
        weightedSlots.forEach((name, slot) -> out.put(name, WeightedSums.means(slot, count, null)));
        return out;
    }

    /** The largest inner step count any worker reached. */
    public long maxInnerStep() {
        return maxInnerStep;
    }

    /** {@code sum + weight·values} in place, a null sum taking {@code values} over ({@link WeightedSums#addScaled}). */
    private static float[] addScaled(float[] sum, float[] values, float weight, String what) {
        if (sum != null && sum.length != values.length) {
            throw new IllegalArgumentException("cannot add " + what + " of " + values.length + " elements to a sum of "
                    + sum.length);
        }
        return WeightedSums.addScaled(sum, values, weight);
    }

    private void requireNonEmpty() {
        if (count == 0) {
            throw new IllegalStateException("empty parameter sum: no worker results were added");
        }
    }
}
