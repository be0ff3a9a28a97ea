package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An update rule as a pure function with explicit state (in the spirit of Optax): {@code init} builds the state
 * for a flat parameter vector, {@code update} maps a gradient and a state to a parameter change and a new state.
 * Neither the gradient, the parameters nor the old state is modified.
 */
public interface Optimizer extends java.io.Serializable {

    /** Where an optimizer sits in a config by default; its records name their fields under it. */
    String SECTION = "optimizer";

    /** Config name, e.g. {@code adam}. */
    String name();

    /** Names of the state slots {@link #init} creates. */
    Set<String> slotNames();

    /**
     * The learning rate of the update from a state at {@code step} (after schedules), for metrics; NaN for a rule
     * without one.
     */
    default double learningRateAt(long step) {
        return Double.NaN;
    }

    /** The state before the first step, for parameters like {@code params}. */
    OptimizerState init(INDArray params);

    /** One step: {@code params + delta} are the next parameters. */
    OptimizerUpdate update(INDArray gradient, OptimizerState state, INDArray params);

    /**
     * Imports a state exported as {@link OptimizerState#slots()} plus its step count (e.g. from a checkpoint):
     * the slot names must be exactly {@link #slotNames()} and every slot must have {@code length} elements.
     */
    default OptimizerState restore(long step, java.util.Map<String, INDArray> slots, long length) {
        OptimizerState state = new OptimizerState(step, slots);
        state.check(slotNames(), length);
        return state;
    }

    /** Applies {@link #update} and returns the next parameters and state; {@code params} is not modified. */
    default Step step(INDArray gradient, OptimizerState state, INDArray params) {
        OptimizerUpdate u = update(gradient, state, params);
        return new Step(params.add(u.delta()), u.next());
    }

    /**
     * The same step as {@link #step}, allowed to work in place for a caller that owns every array involved: it may
     * overwrite {@code gradient} and the slot arrays of {@code state}, and it updates {@code params} itself, which
     * the returned step holds. Neither the gradient nor the old state may be used afterwards. Rules with a fused
     * native kernel override this (it saves most of the update's time: no temporaries); the default is
     * {@link #step} followed by a copy into {@code params}.
     */
    default Step stepInPlace(INDArray gradient, OptimizerState state, INDArray params) {
        Step next = step(gradient, state, params);
        params.assign(next.params());
        return new Step(params, next.state());
    }

    /**
     * The next in-place step ({@link #stepInPlace} from {@code state}) as element-by-element arithmetic on chunks of
     * float32 vectors, bitwise the same as the whole step, or null when this optimizer has no such form (then callers
     * take {@link #stepInPlace}). The state's slots must be float32 vectors of the parameters' length.
     */
    default ChunkStep chunkStep(OptimizerState state) {
        return null;
    }

    /** Parameters and state after one step. */
    record Step(INDArray params, OptimizerState state) {
    }
}
