package dev.sparktrain.ps;

import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver-side training state: flat parameters, the driver optimizer's state, the averaged inner state, a
 * version that grows with every change. Three ways to advance a round:
 * <ul>
 *   <li>{@link #applyMeanGradient}: sync mode, the optimizer on the sample-weighted mean gradient;</li>
 *   <li>{@link #applyParameterAverage}: averaging mode, the parameters become the workers' mean;</li>
 *   <li>{@link #applyOuterStep}: FedAdam / DiLoCo, the pseudo-gradient θ − mean(θ_workers) goes through the
 *   optimizer (with SGD at lr 1 this is plain averaging).</li>
 * </ul>
 * The server owns its arrays and changes them in place, under its lock, and every accessor returns a copy: no
 * caller ever sees a vector change under it, and readers never see a half-applied update. In-place because a fresh
 * native vector of a million floats costs milliseconds on the machines measured (each allocation faults in new
 * pages), more than the Adam step itself; an update copies nothing but the gradient and the previous parameters
 * (for the update's norm) into arrays it keeps.
 *
 * <p>Each update is one pass of whole-vector ND4J ops. Splitting a 10M-element Adam update into chunks on parallel
 * threads was measured ({@code UpdateBenchmark}, 2 busy cores): with OMP_NUM_THREADS=2 one whole-vector update took
 * ~360 ms against ~690 ms in 2 chunks; with OMP_NUM_THREADS=1, ~820 ms against ~690 ms. ND4J's own threads win,
 * so there is no chunking here.
 */
public final class ParameterServer {

    private final Optimizer optimizer;
    private final long length;
    private final INDArray params;
    /** Scratch for norms of differences: the parameters before an update, then the change (BLAS works in place). */
    private final INDArray previous;
    /** The optimizer's gradient argument: in-place steps may overwrite it, and the caller's array must not change. */
    private final INDArray gradient;
    private OptimizerState optimizerState;
    private OptimizerState inner;
    private long version;

    public ParameterServer(INDArray initialParams, Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("the parameter server needs an optimizer, got null");
        }
        this.optimizer = optimizer;
        this.params = initialParams.reshape(initialParams.length()).dup();
        this.length = params.length();
        this.previous = params.dup();
        this.gradient = params.ulike();
        this.optimizerState = optimizer.init(params);
    }

    /** The parameters for broadcast: a plain float copy and its version. */
    public synchronized ParameterSnapshot snapshot() {
        return snapshot(null);
    }

    /**
     * As {@link #snapshot()}, copied into {@code reuse}'s array when it has the parameters' length: for a caller that
     * knows nobody reads {@code reuse} any more (the round it was shared with has ended).
     */
    public synchronized ParameterSnapshot snapshot(ParameterSnapshot reuse) {
        return new ParameterSnapshot(version, NativeFloats.toArray(params, reuse == null ? null : reuse.params()));
    }

    /** The L2 norm of the current parameters (no copy). */
    public synchronized double paramsNorm() {
        return BlasVectors.norm2(params);
    }

    /** The L2 distance from the current parameters to {@code other}. */
    public synchronized double distanceTo(INDArray other) {
        checkLength("other parameters", other);
        return BlasVectors.distanceInto(flat(other), previous.assign(params));
    }

    /** A copy of the current parameters. */
    public synchronized INDArray params() {
        return params.dup();
    }

    /** A copy of the driver optimizer's state. */
    public synchronized OptimizerState optimizerState() {
        return optimizerState.copy();
    }

    /** A copy of the averaged inner optimizer state, present only after an {@code AVERAGE} round. */
    public synchronized Optional<OptimizerState> innerState() {
        return Optional.ofNullable(inner).map(OptimizerState::copy);
    }

    /**
     * {@code reader} applied to the averaged inner state, if there is one, without copying it: the reader runs under
     * the server's lock and must neither keep nor change the arrays (e.g. it copies them out for a broadcast).
     */
    public synchronized <T> Optional<T> readInnerState(Function<OptimizerState, T> reader) {
        return Optional.ofNullable(inner).map(reader);
    }

    public synchronized long version() {
        return version;
    }

    /** Number of driver optimizer updates applied. */
    public synchronized long step() {
        return optimizerState.step();
    }

    public long length() {
        return length;
    }

    public DataType dataType() {
        return params.dataType();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** A copy of the whole current state, e.g. for a checkpoint. */
    public synchronized ServerState exportState() {
        return exportState(null);
    }

    /**
     * As {@link #exportState()}, copied into {@code reuse}'s arrays where they match (see
     * {@link OptimizerState#copyInto}): for a caller that keeps one restart point and refreshes it, such as the
     * state a block of rounds starts from.
     */
    public synchronized ServerState exportState(ServerState reuse) {
        INDArray paramsCopy = reuse != null && reuse.params().equalShapes(params)
                && reuse.params().dataType() == params.dataType() ? reuse.params().assign(params) : params.dup();
        OptimizerState innerCopy = inner == null ? null : inner.copyInto(reuse == null ? null : reuse.innerState());
        return new ServerState(paramsCopy, optimizerState.copyInto(reuse == null ? null : reuse.optimizerState()),
                innerCopy, version);
    }

    /** Replaces the whole state (e.g. from a checkpoint) after checking the lengths and the optimizer's slots. */
    public synchronized void importState(ServerState s) {
        checkLength("parameters", s.params());
        OptimizerState opt = optimizer.restore(s.optimizerState().step(), s.optimizerState().slots(), length);
        if (s.innerState() != null) {
            s.innerState().slots().forEach((name, slot) -> checkLength("inner state slot '" + name + "'", slot));
        }
        params.assign(s.params().reshape(length));
        optimizerState = opt.copy();
        inner = s.innerState() == null ? null : s.innerState().copy();
        version = s.version();
    }

    /**
     * Synchronous mode: applies the optimizer to the sample-weighted mean gradient of one round and returns the
     * L2 norm of the parameter change.
     */
    public synchronized double applyMeanGradient(INDArray meanGradient) {
        checkLength("gradient", meanGradient);
        gradient.assign(flat(meanGradient));
        return applyStep(gradient);
    }

    /**
     * As {@link #applyMeanGradient}, but the optimizer steps on {@code meanGradient} itself, which its in-place
     * steps and gradient transforms may overwrite: for a caller that is done with the array, and saves the copy
     * (~50 µs a round on the Fashion MLP's parameters). A float32 vector of the parameters' length.
     */
    public synchronized double applyMeanGradientOverwriting(INDArray meanGradient) {
        checkLength("gradient", meanGradient);
        if (meanGradient.rank() != 1 || meanGradient.dataType() != params.dataType()) {
            throw new IllegalArgumentException("an overwritable gradient must be a " + params.dataType()
                    + " vector, got " + meanGradient.dataType() + " of shape " + Arrays.toString(meanGradient.shape()));
        }
        return applyStep(meanGradient);
    }

    /**
     * Averaging mode: the parameters become {@code meanParams}. With {@link InnerStatePolicy#AVERAGE},
     * {@code meanInnerState} (the workers' mean inner state) is held for the next round; with {@code RESET} or
     * {@code KEEP} it must be null and nothing is held. Returns the L2 norm of the parameter change.
     */
    public synchronized double applyParameterAverage(INDArray meanParams, InnerStatePolicy policy,
            OptimizerState meanInnerState) {
        checkLength("mean parameters", meanParams);
        if (policy == InnerStatePolicy.AVERAGE && meanInnerState == null) {
            throw new IllegalArgumentException("inner state policy 'average' needs the mean inner state, got null");
        }
        if (policy != InnerStatePolicy.AVERAGE && meanInnerState != null) {
            throw new IllegalArgumentException("inner state policy '" + policy.configName()
                    + "' holds no central inner state, got one with slots " + meanInnerState.slots().keySet());
        }
        checkInner(meanInnerState);
        previous.assign(params);
        params.assign(flat(meanParams));
        holdInner(meanInnerState);
        version++;
        return BlasVectors.distanceInto(params, previous);
    }

    /**
     * Outer step (FedAdam / DiLoCo): the pseudo-gradient Δ = θ − mean(θ_workers) is fed to the optimizer as the
     * gradient. Returns the L2 norm of the parameter change.
     */
    public synchronized double applyOuterStep(INDArray meanWorkerParams) {
        checkLength("mean worker parameters", meanWorkerParams);
        gradient.assign(params).subi(flat(meanWorkerParams));
        return applyStep(gradient);
    }

    /**
     * As {@link #applyOuterStep(INDArray)}, and holds {@code meanInnerState} (the workers' mean inner state, for
     * the {@code average} policy; null for none) for the next round.
     */
    public synchronized double applyOuterStep(INDArray meanWorkerParams, OptimizerState meanInnerState) {
        checkLength("mean worker parameters", meanWorkerParams);
        checkInner(meanInnerState);
        double norm = applyOuterStep(meanWorkerParams);
        holdInner(meanInnerState);
        return norm;
    }

    /**
     * Sets the entries where {@code mask} is 1 to {@code values} (e.g. batch-norm running statistics: averaged
     * across workers, never stepped by an optimizer). Part of the current update: the version does not change.
     */
    public synchronized void replaceWhere(INDArray mask, INDArray values) {
        checkLength("mask", mask);
        checkLength("values", values);
        INDArray m = flat(mask);
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            params.muli(m.rsub(1)).addi(flat(values).mul(m));
        }
    }

    /** One optimizer step on {@code g}, which it may overwrite; returns the norm of the change. */
    private double applyStep(INDArray g) {
        previous.assign(params);
        // Rules without an in-place path (SGD with momentum, ...) create new arrays: a fresh native array per round
        // touches new pages, and waits for a Java GC to be freed.
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            Optimizer.Step step = optimizer.stepInPlace(g, optimizerState, params);
            if (step.params() != params) {
                params.assign(step.params());
            }
            optimizerState = step.state().outsideWorkspace(optimizerState);
        }
        version++;
        return BlasVectors.distanceInto(params, previous);
    }

    private void checkInner(OptimizerState meanInnerState) {
        if (meanInnerState != null) {
            meanInnerState.slots().forEach((name, slot) -> checkLength("inner state slot '" + name + "'", slot));
        }
    }

    /** Keeps a copy of {@code meanInnerState} (null: none), in the arrays already held when the slots match. */
    private void holdInner(OptimizerState meanInnerState) {
        if (meanInnerState == null) {
            inner = null;
        } else if (inner != null && inner.slots().keySet().equals(meanInnerState.slots().keySet())) {
            inner.slots().forEach((name, slot) -> slot.assign(flat(meanInnerState.slot(name))));
            inner = new OptimizerState(meanInnerState.step(), inner.slots());
        } else {
            inner = meanInnerState.copy();
        }
    }

    private INDArray flat(INDArray a) {
        INDArray f = a.reshape(length);
        return f.dataType() == params.dataType() ? f : f.castTo(params.dataType());
    }

    private void checkLength(String what, INDArray a) {
        if (a.length() != length) {
            throw new IllegalArgumentException(what + " has " + a.length() + " elements, parameters have " + length);
        }
    }
}
