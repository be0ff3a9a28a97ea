package dev.sparktrain.driver.modes;

import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An inner optimizer state as plain arrays, for broadcasting to workers (no native buffers cross the wire).
 * A class rather than a record: Kryo 4 cannot write record fields on Java 16+.
 */
public final class InnerState implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final Map<String, float[]> slots;

    public InnerState(long step, Map<String, float[]> slots) {
        this.step = step;
        this.slots = new LinkedHashMap<>(slots);
    }

    public static InnerState of(OptimizerState state) {
        Map<String, float[]> slots = new LinkedHashMap<>();
        state.slots().forEach((name, array) -> slots.put(name, NativeFloats.toArray(array)));
        return new InnerState(state.step(), slots);
    }

    /** A fresh {@link OptimizerState} with copies of the slots (the broadcast arrays stay untouched). */
    public OptimizerState toOptimizerState() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        slots.forEach((name, slot) -> arrays.put(name, NativeFloats.copyOf(slot)));
        return new OptimizerState(step, arrays);
    }

    /** This state with {@code slot} set to {@code values} (the other slots shared, not copied). */
    public InnerState with(String slot, float[] values) {
        Map<String, float[]> more = new LinkedHashMap<>(slots);
        more.put(slot, values);
        return new InnerState(step, more);
    }

    /** This state without {@code slot} (the other slots shared, not copied). */
    public InnerState without(String slot) {
        Map<String, float[]> fewer = new LinkedHashMap<>(slots);
        fewer.remove(slot);
        return new InnerState(step, fewer);
    }

    public long step() {
        return step;
    }

    public Map<String, float[]> slots() {
        return slots;
    }
}
