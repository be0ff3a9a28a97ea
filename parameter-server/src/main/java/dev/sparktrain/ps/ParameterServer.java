package dev.sparktrain.ps;

import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import dev.sparktrain.ps.fused.UpdatePasses;
import dev.sparktrain.ps.optim.ChunkStep;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>The round's updates from Java arrays ({@link #applyMeanGradient(float[])}, {@link #applyParameterAverage(float[],
 * InnerStatePolicy, OptimizerState)}, {@link #applyOuterStep(float[], OptimizerState)}) run as fused passes over the
 * vector on the driver's cores ({@link UpdatePasses}) when the optimizer has an element-wise step
 * ({@link Optimizer#chunkStep}): bitwise the parameters of the whole-vector step, which the other optimizers still
 * take. Those passes also leave the new parameters in a Java array, which the next {@link #snapshot(ParameterSnapshot)}
 * hands out instead of copying them again.
 */
public final class ParameterServer {

    private final Optimizer optimizer;
    private final long length;
    private final INDArray params;
    /**
     * Scratch for norms of differences: the parameters before an update, then the change (BLAS works in place); the
     * change, written by the fused passes.
     */
    private final INDArray previous;
    /**
     * The optimizer's gradient argument: in-place steps may overwrite it, and the caller's array must not change. The
     * fused passes leave the gradient (or the mean they adopt) in it.
     */
    private final INDArray gradient;
    private OptimizerState optimizerState;
    private OptimizerState inner;
    private long version;
    /**
     * The parameters as a Java array, written by the fused passes for the next snapshot: current only while
     * {@code mirrorCurrent}. Never an array a caller holds: a snapshot that hands it out takes the caller's released
     * array in its place.
     */
    private float[] mirror;
    private boolean mirrorCurrent;
    /** ‖params‖₂ as the last fused pass measured it, valid while the version is {@code normVersion}. */
    private double paramsNorm;
    private long normVersion = -1;
    /**
     * The last fused step's update while its norms are not measured yet: the gradient and the change wait in
     * {@code gradient} and {@code previous}, the parameters are the step's; measured at the latest before anything
     * changes them ({@link #measurePending}).
     */
    private Update pending;

    /**
     * The L2 norms an update measured: of the gradient it applied and of the parameter change. A fused step measures
     * them when they are first read, or before the server next changes (whichever comes first): they are metrics, and
     * a caller that hands the new parameters to the workers first reads them while the workers compute. The values
     * are the same either way.
     */
    public static final class Update {
        private final ParameterServer server;
        private double gradientNorm;
        private double updateNorm;

        public Update(double gradientNorm, double updateNorm) {
            this.server = null;
            this.gradientNorm = gradientNorm;
            this.updateNorm = updateNorm;
        }

        /** An update whose norms {@code server} measures later. */
        private Update(ParameterServer server) {
            this.server = server;
        }

        public double gradientNorm() {
            measure();
            return gradientNorm;
        }

        public double updateNorm() {
            measure();
            return updateNorm;
        }

        private void measure() {
            if (server != null) {
                server.measure(this);
            }
        }

        /** Under the server's lock. */
        private void measured(double gradientNorm, double updateNorm) {
            this.gradientNorm = gradientNorm;
            this.updateNorm = updateNorm;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Update u && Double.compare(gradientNorm(), u.gradientNorm()) == 0
                    && Double.compare(updateNorm(), u.updateNorm()) == 0;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(gradientNorm()) * 31 + Double.hashCode(updateNorm());
        }

        @Override
        public String toString() {
            return "Update[gradientNorm=" + gradientNorm() + ", updateNorm=" + updateNorm() + "]";
        }
    }

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
        float[] released = reuse != null && reuse.params().length == length ? reuse.params() : null;
        if (mirrorCurrent) {
            // The last update left the parameters in the mirror already: hand it out, keep the released array.
            float[] current = mirror;
            mirror = released;
            mirrorCurrent = false;
            return new ParameterSnapshot(version, current);
        }
        ParameterSnapshot snapshot = new ParameterSnapshot(version, NativeFloats.toArray(params, released));
        if (mirror == null && released != null) {
            // A caller that hands its arrays back: from now on the updates write the next snapshot themselves.
            mirror = new float[(int) length];
        }
        return snapshot;
    }

    /** The L2 norm of the current parameters (no copy; the last fused pass measured it already). */
    public synchronized double paramsNorm() {
        measurePending();
        if (normVersion != version) {
            paramsNorm = BlasVectors.norm2(params);
            normVersion = version;
        }
        return paramsNorm;
    }

    /** The L2 distance from the current parameters to {@code other}. */
    public synchronized double distanceTo(INDArray other) {
        checkLength("other parameters", other);
        measurePending();
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
        measurePending();
        params.assign(s.params().reshape(length));
        changed();
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
        measurePending();
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
        measurePending();
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
        checkInnerPolicy(policy, meanInnerState);
        checkInner(meanInnerState);
        measurePending();
        previous.assign(params);
        params.assign(flat(meanParams));
        changed();
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
        measurePending();
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
        measurePending();
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            params.muli(m.rsub(1)).addi(flat(values).mul(m));
        }
        changed();
    }

    /**
     * Synchronous mode, from the mean gradient in a Java array (not modified): the optimizer steps on it and the
     * norms of the gradient and of the change are measured in the same pass ({@link UpdatePasses}), or, for an
     * optimizer without an element-wise step, the whole-vector step runs on a native copy.
     */
    public synchronized Update applyMeanGradient(float[] meanGradient) {
        return applyMeanGradient(meanGradient, 1);
    }

    /**
     * As {@link #applyMeanGradient(float[])} with the mean given as sample-weighted sums Σ nᵢ·gᵢ (not modified) and
     * their sample count n: the pass divides each sum once, as taking the mean in place would.
     */
    public synchronized Update applyMeanGradient(float[] gradientSums, long samples) {
        return applyMeanGradient(VectorSum.of(gradientSums), samples);
    }

    /**
     * As {@link #applyMeanGradient(float[], long)} with the sums given as the workers' own, to be added in order
     * (none of them is modified): the fused pass adds them as it reads them, bitwise the merged sums.
     */
    public synchronized Update applyMeanGradient(VectorSum gradientSums, long samples) {
        checkLength("gradient", gradientSums.length());
        if (samples <= 0) {
            throw new IllegalArgumentException("a mean gradient needs at least one sample, got " + samples);
        }
        measurePending();
        float divisor = samples;
        ChunkStep step = fusable() ? optimizer.chunkStep(optimizerState) : null;
        if (step != null) {
            return fusedStep(step, gradientSums, divisor, false);
        }
        float[] mean = gradientSums.toArray();
        if (divisor != 1f) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] = mean[i] / divisor;
            }
        }
        NativeFloats.copyInto(gradient, mean);
        double gradientNorm = BlasVectors.norm2(gradient);
        return new Update(gradientNorm, applyStep(gradient));
    }

    /**
     * Averaging mode from the workers' mean parameters in a Java array (not modified), as
     * {@link #applyParameterAverage(INDArray, InnerStatePolicy, OptimizerState)}; empty, with the server unchanged,
     * when some mean value is NaN or infinite. The change's norm is the pseudo-gradient's norm.
     */
    public synchronized Optional<Update> applyParameterAverage(float[] meanParams, InnerStatePolicy policy,
                                                               OptimizerState meanInnerState) {
        checkLength("mean parameters", meanParams.length);
        checkInnerPolicy(policy, meanInnerState);
        checkInner(meanInnerState);
        measurePending();
        if (!fusable()) {
            INDArray mean = NativeFloats.copyOf(meanParams);
            if (!Double.isFinite(BlasVectors.norm2(mean))) {
                return Optional.empty();
            }
            double norm = applyParameterAverage(mean, policy, meanInnerState);
            return Optional.of(new Update(norm, norm));
        }
        UpdatePasses.Norms norms = UpdatePasses.measureAdoption(meanParams, params, gradient, previous);
        if (!norms.finite()) {
            return Optional.empty();
        }
        UpdatePasses.adopt(gradient, params, mirror);
        holdInner(meanInnerState);
        version++;
        published(norms.params());
        return Optional.of(new Update(norms.update(), norms.update()));
    }

    /**
     * Outer step from the workers' mean parameters in a Java array (not modified), as
     * {@link #applyOuterStep(INDArray, OptimizerState)}: one fused pass forms θ − mean, steps, and measures; empty,
     * with the server unchanged, when some mean value is NaN or infinite.
     */
    public synchronized Optional<Update> applyOuterStep(float[] meanWorkerParams, OptimizerState meanInnerState) {
        checkLength("mean worker parameters", meanWorkerParams.length);
        checkInner(meanInnerState);
        measurePending();
        ChunkStep step = fusable() ? optimizer.chunkStep(optimizerState) : null;
        Update update;
        if (step != null) {
            if (!UpdatePasses.measureAdoption(meanWorkerParams, params, gradient, previous).finite()) {
                return Optional.empty();
            }
            update = fusedStep(step, VectorSum.of(meanWorkerParams), 1, true);
        } else {
            NativeFloats.copyInto(gradient, meanWorkerParams);
            if (!Double.isFinite(BlasVectors.norm2(gradient))) {
                return Optional.empty();
            }
            gradient.rsubi(params);
            double pseudoGradientNorm = BlasVectors.norm2(gradient);
            update = new Update(pseudoGradientNorm, applyStep(gradient));
        }
        holdInner(meanInnerState);
        return Optional.of(update);
    }

    /**
     * As {@link #applyOuterStep(float[], OptimizerState)} with the workers' mean parameters given as their
     * sample-weighted sums, to be added in order (none of them is modified), and their sample count: with an
     * element-wise step, a pass checks that every mean value is finite and the fused step forms θ − Σ/n as it reads
     * the sums, bitwise the merged, divided mean's step; without one, the mean is formed first. Empty, with the server
     * unchanged, when some mean value is NaN or infinite.
     */
    public synchronized Optional<Update> applyOuterStep(VectorSum workerParamSums, long samples,
                                                        OptimizerState meanInnerState) {
        checkLength("mean worker parameters", workerParamSums.length());
        if (samples <= 0) {
            throw new IllegalArgumentException("a mean needs at least one sample, got " + samples);
        }
        checkInner(meanInnerState);
        measurePending();
        float divisor = samples;
        ChunkStep step = fusable() ? optimizer.chunkStep(optimizerState) : null;
        if (step == null) {
            float[] mean = workerParamSums.toArray();
            for (int i = 0; i < mean.length; i++) {
                mean[i] = mean[i] / divisor;
            }
            return applyOuterStep(mean, meanInnerState);
        }
        if (!UpdatePasses.pseudoGradientFinite(workerParamSums, divisor, params)) {
            return Optional.empty();
        }
        Update update = fusedStep(step, workerParamSums, divisor, true);
        holdInner(meanInnerState);
        return Optional.of(update);
    }

    /** Whether the parameters and the optimizer's slots suit the fused passes (float32, one buffer each). */
    private boolean fusable() {
        return UpdatePasses.fits(params, List.copyOf(optimizerState.slots().values()));
    }

    private Update fusedStep(ChunkStep step, VectorSum source, float divisor, boolean pseudoGradient) {
        List<INDArray> slots = new ArrayList<>();
        for (String name : step.slots()) {
            slots.add(optimizerState.slot(name));
        }
        UpdatePasses.step(step, source, divisor, pseudoGradient, params, slots, gradient, previous, mirror);
        optimizerState = step.after(optimizerState);
        version++;
        mirrorCurrent = mirror != null;
        normVersion = -1;
        pending = new Update(this);
        return pending;
    }

    /** Measures {@code update}'s norms if they are still pending (an older update's were measured already). */
    private synchronized void measure(Update update) {
        if (pending == update) {
            measurePending();
        }
    }

    /**
     * Measures the pending update's norms (the gradient's, the change's, the parameters'), if there is one: before
     * anything reads them or overwrites the vectors they are measured on.
     */
    private synchronized void measurePending() {
        if (pending != null) {
            UpdatePasses.Norms norms = UpdatePasses.norms(gradient, previous, params);
            pending.measured(norms.gradient(), norms.update());
            pending = null;
            paramsNorm = norms.params();
            normVersion = version;
        }
    }

    /** After a fused pass: the mirror holds the parameters (when there is one), and their norm is known. */
    private void published(double norm) {
        mirrorCurrent = mirror != null;
        paramsNorm = norm;
        normVersion = version;
    }

    /** After any other change of the parameters: the mirror is stale. */
    private void changed() {
        mirrorCurrent = false;
        normVersion = -1;
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
        changed();
        version++;
        return BlasVectors.distanceInto(params, previous);
    }

    private static void checkInnerPolicy(InnerStatePolicy policy, OptimizerState meanInnerState) {
        if (policy == InnerStatePolicy.AVERAGE && meanInnerState == null) {
            throw new IllegalArgumentException("inner state policy 'average' needs the mean inner state, got null");
        }
        if (policy != InnerStatePolicy.AVERAGE && meanInnerState != null) {
            throw new IllegalArgumentException("inner state policy '" + policy.configName()
                    + "' holds no central inner state, got one with slots " + meanInnerState.slots().keySet());
        }
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
        checkLength(what, a.length());
    }

    private void checkLength(String what, long elements) {
        if (elements != length) {
            throw new IllegalArgumentException(what + " has " + elements + " elements, parameters have " + length);
        }
    }
}
