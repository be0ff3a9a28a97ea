package dev.sparktrain.driver.aggregate;

import dev.sparktrain.ops.params.NativeFloats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mergeable result of a round's tasks, in every mode: sample-weighted sums of named vectors (Σ nᵢ·xᵢ: the
 * gradient in {@code sync} mode, the parameters and inner optimizer slots in the local-step modes), the summed loss
 * (Σ nᵢ·lossᵢ), the sample count, the largest optimizer step any worker reached, the lowest partition that produced a
 * NaN or infinite value, and what the tasks cost ({@link TaskStats}).
 * <p>The algebra, as MLlib's aggregators have it: start from {@link #empty()}, never null; merging with an empty
 * result is the identity on both sides; means of an empty result throw. Merges fold in the order they are called:
 * float sums are not associative, so callers merge in partition order.
 * <p>The vectors are Java arrays owned by this result: {@link #add} copies into them, {@link #merge} takes the other
 * result's over (a result merged into another is spent), and {@link #release} hands them on to the next result of
 * the same length once the caller is done with the means. In float: a sample count is exact as a float, so a weighted
 * term is the same single rounding as a double product, and the JIT vectorizes the loops.
 */
public final class RoundSums implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The name of the mean gradient's sums ({@link #gradient()}). */
    public static final String GRADIENT = "gradient";
    /** The name of the workers' parameters' sums. */
    public static final String PARAMS = "params";

    private final LinkedHashMap<String, float[]> sums = new LinkedHashMap<>();
    private double weightedLoss;
    private long count;
    private long maxStep;
    private int firstNonFinitePartition = -1;
    private final TaskStats taskStats = new TaskStats();
    /** Set once the sums have become means in place ({@link #mean}): no more adds or merges. */
    private boolean averaged;

    private RoundSums() {
    }

    public static RoundSums empty() {
        return new RoundSums();
    }

    /**
     * Adds one worker's result of {@code samples} samples: each named vector weighted by {@code samples}, its mean
     * loss, and the optimizer step it reached (0 where none runs). Copies the vectors; changes this result in place
     * and returns it.
     */
    public RoundSums add(Map<String, INDArray> vectors, double meanLoss, long samples, long step) {
        requireOpen();
        if (samples <= 0) {
            throw new IllegalArgumentException("a result needs at least one sample, got " + samples);
        }
        if (count > 0 && !sums.keySet().equals(vectors.keySet())) {
            throw new IllegalArgumentException("cannot add vectors " + vectors.keySet() + " to sums of "
                    + sums.keySet());
        }
        vectors.forEach((name, vector) -> {
            float[] sum = sums.get(name);
            if (sum == null) {
                float[] values = NativeFloats.toArray(vector, FloatArrays.take((int) vector.length()));
                sums.put(name, scaleInPlace(values, samples));
            } else {
                requireLength(name, sum, vector.length());
                addScaled(sum, NativeFloats.toArray(vector), samples);
            }
        });
        weightedLoss += meanLoss * samples;
        count += samples;
        maxStep = Math.max(maxStep, step);
        return this;
    }

    /**
     * Marks {@code partition} as having produced a NaN or infinite loss or vector instead of adding its result, so the
     * driver can stop the run naming it, without Spark retrying a deterministic failure.
     */
    public RoundSums markNonFinite(int partition) {
        firstNonFinitePartition = partition;
        return this;
    }

    /**
     * Adds {@code other} into this result in place and returns this. Takes {@code other}'s arrays over: an empty
     * result adopts them, a non-empty one adds them and hands them on. {@code other} is spent.
     */
    public RoundSums merge(RoundSums other) {
        requireOpen();
        other.requireOpen();
        taskStats.merge(other.taskStats);
        if (other.firstNonFinitePartition >= 0 && (firstNonFinitePartition < 0
                || other.firstNonFinitePartition < firstNonFinitePartition)) {
            firstNonFinitePartition = other.firstNonFinitePartition;
        }
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            sums.putAll(other.sums);
        } else {
            if (!sums.keySet().equals(other.sums.keySet())) {
                throw new IllegalArgumentException("cannot merge sums of " + other.sums.keySet() + " into sums of "
                        + sums.keySet());
            }
            other.sums.forEach((name, values) -> {
                float[] sum = sums.get(name);
                requireLength(name, sum, values.length);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += values[i];
                }
                FloatArrays.give(values);
            });
        }
        other.sums.clear();
        weightedLoss += other.weightedLoss;
        count += other.count;
        maxStep = Math.max(maxStep, other.maxStep);
        return this;
    }

    /** The cost of the tasks merged into this result; a task records into it with {@link TaskStats#record}. */
    public TaskStats taskStats() {
        return taskStats;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The lowest partition index that produced a non-finite result, or -1. */
    public int firstNonFinitePartition() {
        return firstNonFinitePartition;
    }

    /** The largest optimizer step count any worker reached (0 where workers run no optimizer). */
    public long maxStep() {
        return maxStep;
    }

    /** The names of the summed vectors, in the order they were added. */
    public Set<String> names() {
        return Collections.unmodifiableSet(sums.keySet());
    }

    public boolean has(String name) {
        return sums.containsKey(name);
    }

    /** Sample-weighted mean loss. */
    public double meanLoss() {
        requireNonEmpty();
        return weightedLoss / count;
    }

    /** The sample-weighted mean gradient ({@link #mean} of {@value #GRADIENT}). */
    public float[] gradient() {
        return mean(GRADIENT);
    }

    /**
     * The sample-weighted mean of {@code name}'s vectors: one correctly rounded float division per element. The first
     * call turns every sum into its mean in place, after which this result takes no more adds or merges; the array is
     * this result's, valid until {@link #release}.
     */
    public float[] mean(String name) {
        requireNonEmpty();
        float[] values = sums.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no vectors named '" + name + "' were summed, only " + sums.keySet());
        }
        if (!averaged) {
            float n = count;
            for (float[] sum : sums.values()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = sum[i] / n;
                }
            }
            averaged = true;
        }
        return values;
    }

    /**
     * The sample-weighted sums Σ nᵢ·xᵢ of {@code name}'s vectors, before {@link #mean} turns them into means: for a
     * caller that divides by {@link #count()} as it reads them. The array is this result's, valid until {@link #mean}
     * or {@link #release}.
     */
    public float[] sums(String name) {
        requireNonEmpty();
        if (averaged) {
            throw new IllegalStateException("the sums have become means already");
        }
        float[] values = sums.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no vectors named '" + name + "' were summed, only " + sums.keySet());
        }
        return values;
    }

    /** Hands this result's arrays on to later results: the caller is done with it and its means. */
    public void release() {
        sums.values().forEach(FloatArrays::give);
        sums.clear();
        count = 0;
    }

    /**
     * What these sums hold, to send them over a link: the named sums (this result's arrays), the summed loss, the
     * sample count, the largest step, the lowest non-finite partition and the tasks' cost. Sums already turned into
     * means cannot travel.
     */
    public record Parts(Map<String, float[]> sums, double weightedLoss, long count, long maxStep,
                        int firstNonFinitePartition, TaskStats taskStats) {
    }

    public Parts parts() {
        requireOpen();
        return new Parts(Collections.unmodifiableMap(sums), weightedLoss, count, maxStep, firstNonFinitePartition,
                taskStats);
    }

    /** Sums made of received {@code parts}, whose arrays they take over; throws when the parts do not fit together. */
    public static RoundSums of(Parts parts) {
        if (parts.count() < 0 || (parts.count() == 0) != parts.sums().isEmpty()) {
            throw new IllegalArgumentException("sums of " + parts.count() + " samples cannot hold vectors "
                    + parts.sums().keySet());
        }
        if (parts.firstNonFinitePartition() < -1 || parts.maxStep() < 0) {
            throw new IllegalArgumentException("expected a non-finite partition of at least -1 and a step of at "
                    + "least 0, got " + parts.firstNonFinitePartition() + " and " + parts.maxStep());
        }
        RoundSums out = new RoundSums();
        out.sums.putAll(parts.sums());
        out.weightedLoss = parts.weightedLoss();
        out.count = parts.count();
        out.maxStep = parts.maxStep();
        out.firstNonFinitePartition = parts.firstNonFinitePartition();
        out.taskStats.merge(parts.taskStats());
        return out;
    }

    /** {@code 0 + weight·values} in place, as summing into a zeroed array would give (−0 becomes +0). */
    private static float[] scaleInPlace(float[] values, float weight) {
        for (int i = 0; i < values.length; i++) {
            values[i] = 0f + values[i] * weight;
        }
        return values;
    }

    private static void addScaled(float[] sum, float[] values, float weight) {
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i] * weight;
        }
    }

    private static void requireLength(String name, float[] sum, long length) {
        if (sum.length != length) {
            throw new IllegalArgumentException(name + " of " + length + " elements cannot be added to a sum of "
                    + sum.length);
        }
    }

    private void requireOpen() {
        if (averaged) {
            throw new IllegalStateException("these sums have become means: nothing can be added or merged");
        }
    }

    private void requireNonEmpty() {
        if (count == 0) {
            throw new IllegalStateException("empty round result: no samples were added");
        }
    }
}
