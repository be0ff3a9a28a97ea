package dev.sparktrain.ps;

import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver-side training state: flat parameters, the driver optimizer's state, the averaged inner state, a
 * version that grows with every change and an epoch counter. The whole state is one immutable {@link ServerState}
 * behind a volatile reference: readers ({@link #snapshot()}, {@link #params()}) never lock and never see a
 * half-applied update; writers are serialized. Three ways to advance a round:
 * <ul>
 *   <li>{@link #applyMeanGradient}: sync mode, the optimizer on the sample-weighted mean gradient;</li>
 *   <li>{@link #applyParameterAverage}: averaging mode, the parameters become the workers' mean;</li>
 *   <li>{@link #applyOuterStep}: FedAdam / DiLoCo, the pseudo-gradient θ − mean(θ_workers) goes through the
 *   optimizer (with SGD at lr 1 this is plain averaging).</li>
 * </ul>
 * Each is one pass of whole-vector ND4J ops. Splitting a 10M-element Adam update into chunks on parallel threads
 * was measured ({@code UpdateBenchmark}, 2 busy cores): with OMP_NUM_THREADS=2 one whole-vector update took
 * ~360 ms against ~690 ms in 2 chunks; with OMP_NUM_THREADS=1, ~820 ms against ~690 ms. ND4J's own threads win,
 * so there is no chunking here.
 */
public final class ParameterServer {

    private final Optimizer optimizer;
    private final long length;
    private volatile ServerState state;

    public ParameterServer(INDArray initialParams, Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("the parameter server needs an optimizer, got null");
        }
        this.optimizer = optimizer;
        INDArray params = initialParams.reshape(initialParams.length()).dup();
        this.length = params.length();
        this.state = new ServerState(params, optimizer.init(params), null, 0, 0);
    }

    /** The parameters for broadcast: a plain float copy and its version. Never blocks on an update. */
    public ParameterSnapshot snapshot() {
        ServerState s = state;
        return new ParameterSnapshot(s.version(), NativeFloats.toArray(s.params()));
    }

    /** The L2 norm of the current parameters (no copy). */
    public double paramsNorm() {
        return state.params().norm2Number().doubleValue();
    }

    /** The L2 distance from the current parameters to {@code other} (no copy of the parameters). */
    public double distanceTo(INDArray other) {
        checkLength("other parameters", other);
        return state.params().distance2(flat(other));
    }

    /** A copy of the current parameters. */
    public INDArray params() {
        return state.params().dup();
    }

    /** A copy of the driver optimizer's state. */
    public OptimizerState optimizerState() {
        return state.optimizerState().copy();
    }

    /** A copy of the averaged inner optimizer state, present only after an {@code AVERAGE} round. */
    public Optional<OptimizerState> innerState() {
        return state.inner().map(OptimizerState::copy);
    }

    public long version() {
        return state.version();
    }

    /** Number of driver optimizer updates applied. */
    public long step() {
        return state.optimizerState().step();
    }

    public long epoch() {
        return state.epoch();
    }

    public long length() {
        return length;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The whole current state (read-only arrays), e.g. for a checkpoint. */
    public ServerState exportState() {
        return state;
    }

    /** Replaces the whole state (e.g. from a checkpoint) after checking the lengths and the optimizer's slots. */
    public synchronized void importState(ServerState s) {
        checkLength("parameters", s.params());
        OptimizerState opt = optimizer.restore(s.optimizerState().step(), s.optimizerState().slots(), length);
        if (s.innerState() != null) {
            s.innerState().slots().forEach((name, slot) -> checkLength("inner state slot '" + name + "'", slot));
        }
        state = new ServerState(s.params().reshape(length).dup(), opt.copy(),
                s.innerState() == null ? null : s.innerState().copy(), s.version(), s.epoch());
    }

    /** Increments the epoch counter and returns the new epoch. */
    public synchronized long nextEpoch() {
        ServerState s = state;
        state = new ServerState(s.params(), s.optimizerState(), s.innerState(), s.version(), s.epoch() + 1);
        return s.epoch() + 1;
    }

    /**
     * Synchronous mode: applies the optimizer to the sample-weighted mean gradient of one round and returns the
     * L2 norm of the parameter change.
     */
    public synchronized double applyMeanGradient(INDArray meanGradient) {
        checkLength("gradient", meanGradient);
        return applyStep(flat(meanGradient), state.innerState());
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
        OptimizerState inner = null;
        if (meanInnerState != null) {
            meanInnerState.slots().forEach((name, slot) -> checkLength("inner state slot '" + name + "'", slot));
            inner = meanInnerState.copy();
        }
        ServerState s = state;
        INDArray next = flat(meanParams).dup();
        double norm = next.distance2(s.params());
        state = s.with(next, s.optimizerState(), inner);
        return norm;
    }

    /**
     * Outer step (FedAdam / DiLoCo): the pseudo-gradient Δ = θ − mean(θ_workers) is fed to the optimizer as the
     * gradient. Returns the L2 norm of the parameter change.
     */
    public synchronized double applyOuterStep(INDArray meanWorkerParams) {
        return applyOuterStep(meanWorkerParams, state.innerState());
    }

    /**
     * As {@link #applyOuterStep(INDArray)}, and holds {@code meanInnerState} (the workers' mean inner state, for
     * the {@code average} policy; null for none) for the next round.
     */
    public synchronized double applyOuterStep(INDArray meanWorkerParams, OptimizerState meanInnerState) {
        checkLength("mean worker parameters", meanWorkerParams);
        if (meanInnerState != null) {
            meanInnerState.slots().forEach((name, slot) -> checkLength("inner state slot '" + name + "'", slot));
        }
        INDArray pseudoGradient = state.params().sub(flat(meanWorkerParams));
        return applyStep(pseudoGradient, meanInnerState == null ? null : meanInnerState.copy());
    }

    /**
     * Sets the entries where {@code mask} is 1 to {@code values} (e.g. batch-norm running statistics: averaged
     * across workers, never stepped by an optimizer). Part of the current update: the version does not change.
     */
    public synchronized void replaceWhere(INDArray mask, INDArray values) {
        checkLength("mask", mask);
        checkLength("values", values);
        ServerState s = state;
        INDArray m = flat(mask);
        INDArray next = s.params().mul(m.rsub(1)).addi(flat(values).mul(m));
        state = s.with(next, s.optimizerState(), s.innerState());
    }

    private double applyStep(INDArray gradient, OptimizerState inner) {
        ServerState s = state;
        // Readers may hold the current state: the step works in place on copies (still faster than temporaries).
        Optimizer.Step step = optimizer.stepInPlace(gradient.dup(), s.optimizerState().copy(), s.params().dup());
        double norm = step.params().distance2(s.params());
        state = s.with(step.params(), step.state(), inner);
        return norm;
    }

    private INDArray flat(INDArray a) {
        INDArray f = a.reshape(length);
        return f.dataType() == state.params().dataType() ? f : f.castTo(state.params().dataType());
    }

    private void checkLength(String what, INDArray a) {
        if (a.length() != length) {
            throw new IllegalArgumentException(what + " has " + a.length() + " elements, parameters have " + length);
        }
    }
}
