package dev.sparktrain.driver.aggregate;

import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.VectorSum;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 * the same length once the caller is done with the means. {@link #mergeLater} keeps the other result's arrays as
 * further terms instead, added in merge order when something first reads the sums; a reader that walks the vector
 * anyway takes them as they are ({@link #sumOf}) and adds them as it reads, which spares the driver the merge's own
 * walk. Only for a result that stays in this JVM: serializers leave pending terms out.
 * In float: a sample count is exact as a float, so a weighted term is the same single rounding as a double product,
 * and the JIT vectorizes the loops.
 */
public final class RoundSums implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The name of the mean gradient's sums ({@link #gradient()}). */
    public static final String GRADIENT = "gradient";
    /** The name of the workers' parameters' sums. */
    public static final String PARAMS = "params";
    /** The name of the sums of the workers' pseudo-gradients θ − θ_worker, when they travel in 16 bits. */
    public static final String PSEUDO_GRADIENT = "pseudo_gradient";

    private final LinkedHashMap<String, float[]> sums = new LinkedHashMap<>();
    /**
     * Merged results' arrays not yet added into {@code sums}, by name, in merge order ({@link #addTerms}); null for
     * none. Never serialized: {@link #mergeLater} is for results that stay in the driver's JVM.
     */
    private transient LinkedHashMap<String, List<float[]>> terms;
    /**
     * One worker's vectors in 16 bits ({@link #ofRounded}), as they travel; each becomes a weighted sum
     * (0 + count·value, exactly what {@link #add} makes of the same values in float) before anything else reads it.
     */
    private final LinkedHashMap<String, short[]> rounded = new LinkedHashMap<>();
    private WirePrecision roundedPrecision;
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
        if (!rounded.isEmpty()) {
            throw new IllegalStateException("a result with rounded vectors is one worker's: nothing can be added");
        }
        if (samples <= 0) {
            throw new IllegalArgumentException("a result needs at least one sample, got " + samples);
        }
        addTerms();
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
     * One worker's result whose {@code name} vector travels as {@code bits} in {@code precision} (2 bytes a value)
     * and whose {@code others} travel in float, otherwise as {@link #add} makes it.
     */
    public static RoundSums ofRounded(String name, short[] bits, WirePrecision precision, Map<String, INDArray> others,
                                      double meanLoss, long samples, long step) {
        if (!precision.halves()) {
            throw new IllegalArgumentException("rounded vectors travel in bf16 or fp16, got " + precision.configName());
        }
        if (others.containsKey(name)) {
            throw new IllegalArgumentException("vector '" + name + "' given both rounded and in float");
        }
        RoundSums result = new RoundSums().add(others, meanLoss, samples, step);
        result.rounded.put(name, bits);
        result.roundedPrecision = precision;
        return result;
    }

    /** Turns rounded vectors into weighted float sums: what merging, cutting and averaging work on. */
    private void expandRounded() {
        if (rounded.isEmpty()) {
            return;
        }
        float weight = count;
        rounded.forEach((name, bits) -> {
            float[] values = FloatArrays.take(bits.length);
            for (int i = 0; i < bits.length; i++) {
                values[i] = 0f + roundedPrecision.decode(bits[i]) * weight;
            }
            sums.put(name, values);
        });
        rounded.clear();
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
        return merge(other, false);
    }

    /**
     * As {@link #merge}, but a non-empty result keeps {@code other}'s arrays as further terms of its sums, added in
     * merge order by the first reader, or read as they are by {@link #sumOf}: for the driver, whose update walks the
     * sums anyway. The result must stay in this JVM (serializers leave the terms out).
     */
    public RoundSums mergeLater(RoundSums other) {
        return merge(other, true);
    }

    private RoundSums merge(RoundSums other, boolean later) {
        requireOpen();
        other.requireOpen();
        expandRounded();
        other.expandRounded();
        other.addTerms();
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
            if (!later) {
                addTerms();
            }
            other.sums.forEach((name, values) -> {
                float[] sum = sums.get(name);
                requireLength(name, sum, values.length);
                if (later) {
                    if (terms == null) {
                        terms = new LinkedHashMap<>();
                    }
                    terms.computeIfAbsent(name, n -> new ArrayList<>()).add(values);
                } else {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += values[i];
                    }
                    FloatArrays.give(values);
                }
            });
        }
        other.sums.clear();
        weightedLoss += other.weightedLoss;
        count += other.count;
        maxStep = Math.max(maxStep, other.maxStep);
        return this;
    }

    /**
     * This result cut into {@code parts} pieces for a reduction that moves them separately ({@code tree} exchange):
     * piece k holds elements [k·n/parts, (k+1)·n/parts) of every n-element vector and this result's count; piece 0
     * also holds the loss, the step, the non-finite mark and the task stats. Merging piece k of one result into piece k
     * of another does, element for element, what merging the whole results does, so {@link #join} of the merged pieces
     * is bitwise the merged whole. This result is spent.
     */
    public List<RoundSums> split(int parts) {
        requireOpen();
        expandRounded();
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        }
        addTerms();
        List<RoundSums> pieces = new ArrayList<>(parts);
        for (int k = 0; k < parts; k++) {
            RoundSums piece = new RoundSums();
            piece.count = count;
            for (Map.Entry<String, float[]> e : sums.entrySet()) {
                float[] whole = e.getValue();
                int from = (int) ((long) k * whole.length / parts);
                int to = (int) ((long) (k + 1) * whole.length / parts);
                float[] part = FloatArrays.take(to - from);
                System.arraycopy(whole, from, part, 0, to - from);
                piece.sums.put(e.getKey(), part);
            }
            pieces.add(piece);
        }
        RoundSums first = pieces.get(0);
        first.weightedLoss = weightedLoss;
        first.maxStep = maxStep;
        first.firstNonFinitePartition = firstNonFinitePartition;
        first.taskStats.merge(taskStats);
        release();
        return pieces;
    }

    /** The result whose {@link #split} gave {@code pieces} (each possibly merged with the same pieces of others). */
    public static RoundSums join(List<RoundSums> pieces) {
        pieces.forEach(RoundSums::addTerms);
        RoundSums first = pieces.get(0);
        RoundSums whole = new RoundSums();
        whole.count = first.count;
        whole.weightedLoss = first.weightedLoss;
        whole.maxStep = first.maxStep;
        whole.firstNonFinitePartition = first.firstNonFinitePartition;
        whole.taskStats.merge(first.taskStats);
        for (String name : first.sums.keySet()) {
            int length = 0;
            for (RoundSums piece : pieces) {
                piece.requireOpen();
                if (piece.count != first.count || !piece.sums.keySet().equals(first.sums.keySet())) {
                    throw new IllegalArgumentException("pieces of different results: counts " + first.count + " and "
                            + piece.count + ", vectors " + first.sums.keySet() + " and " + piece.sums.keySet());
                }
                length += piece.sums.get(name).length;
            }
            float[] joined = FloatArrays.take(length);
            int at = 0;
            for (RoundSums piece : pieces) {
                float[] part = piece.sums.get(name);
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
            }
            whole.sums.put(name, joined);
        }
        pieces.forEach(RoundSums::release);
        return whole;
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
        expandRounded();
        return Collections.unmodifiableSet(sums.keySet());
    }

    public boolean has(String name) {
        return sums.containsKey(name) || rounded.containsKey(name);
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
        expandRounded();
        addTerms();
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
        addTerms();
        return sumOrThrow(name);
    }

    /**
     * The sample-weighted sums of {@code name}'s vectors as the terms a reader adds in order ({@link VectorSum}),
     * before {@link #mean}: for a caller that walks the vector anyway and adds the merged results as it reads them,
     * bitwise {@link #sums}. The arrays are this result's, valid until {@link #mean}, {@link #sums} or
     * {@link #release}; nobody may change them.
     */
    public VectorSum sumOf(String name) {
        requireNonEmpty();
        if (averaged) {
            throw new IllegalStateException("the sums have become means already");
        }
        expandRounded();
        List<float[]> all = new ArrayList<>();
        all.add(sumOrThrow(name));
        if (terms != null) {
            all.addAll(terms.getOrDefault(name, List.of()));
        }
        return new VectorSum(all);
    }

    private float[] sumOrThrow(String name) {
        float[] values = sums.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no vectors named '" + name + "' were summed, only " + sums.keySet());
        }
        return values;
    }

    /** Adds the merged results' arrays into the sums, in merge order, and hands them on. */
    private void addTerms() {
        if (terms == null) {
            return;
        }
        terms.forEach((name, further) -> {
            new VectorSum(prepend(sums.get(name), further)).addIntoFirst();
            further.forEach(FloatArrays::give);
        });
        terms = null;
    }

    private static List<float[]> prepend(float[] first, List<float[]> rest) {
        List<float[]> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** A result on its way elsewhere by Java serialization carries its sums added (Kryo's fields leave terms out). */
    private void writeObject(ObjectOutputStream out) throws IOException {
        addTerms();
        out.defaultWriteObject();
    }

    /** Hands this result's arrays on to later results: the caller is done with it and its means. */
    public void release() {
        sums.values().forEach(FloatArrays::give);
        sums.clear();
        if (terms != null) {
            terms.values().forEach(further -> further.forEach(FloatArrays::give));
            terms = null;
        }
        rounded.clear();
        count = 0;
    }

    /**
     * What these sums hold, to send them over a link: the named sums (this result's arrays), one worker's vectors still
     * in 16 bits with their precision (null when there are none), the summed loss, the sample count, the largest
     * step, the lowest non-finite partition and the tasks' cost. Sums already turned into means cannot travel.
     */
    public record Parts(Map<String, float[]> sums, Map<String, short[]> rounded, WirePrecision roundedPrecision,
                        double weightedLoss, long count, long maxStep, int firstNonFinitePartition,
                        TaskStats taskStats) {
    }

    public Parts parts() {
        requireOpen();
        addTerms();
        return new Parts(Collections.unmodifiableMap(sums), Collections.unmodifiableMap(rounded),
                rounded.isEmpty() ? null : roundedPrecision, weightedLoss, count, maxStep, firstNonFinitePartition,
                taskStats);
    }

    /** Sums made of received {@code parts}, whose arrays they take over; throws when the parts do not fit together. */
    public static RoundSums of(Parts parts) {
        boolean empty = parts.sums().isEmpty() && parts.rounded().isEmpty();
        if (parts.count() < 0 || (parts.count() == 0) != empty) {
            List<String> names = new ArrayList<>(parts.sums().keySet());
            names.addAll(parts.rounded().keySet());
            throw new IllegalArgumentException("sums of " + parts.count() + " samples cannot hold vectors " + names);
        }
        if (parts.firstNonFinitePartition() < -1 || parts.maxStep() < 0) {
            throw new IllegalArgumentException("expected a non-finite partition of at least -1 and a step of at "
                    + "least 0, got " + parts.firstNonFinitePartition() + " and " + parts.maxStep());
        }
        if (!parts.rounded().isEmpty() && (parts.roundedPrecision() == null || !parts.roundedPrecision().halves())) {
            throw new IllegalArgumentException("16-bit vectors " + parts.rounded().keySet() + " need bf16 or fp16, got "
                    + parts.roundedPrecision());
        }
        for (String name : parts.rounded().keySet()) {
            if (parts.sums().containsKey(name)) {
                throw new IllegalArgumentException("vector '" + name + "' given both rounded and in float");
            }
        }
        RoundSums out = new RoundSums();
        out.sums.putAll(parts.sums());
        out.rounded.putAll(parts.rounded());
        out.roundedPrecision = parts.rounded().isEmpty() ? null : parts.roundedPrecision();
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
