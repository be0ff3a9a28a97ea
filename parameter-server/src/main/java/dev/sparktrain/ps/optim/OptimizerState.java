package dev.sparktrain.ps.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Explicit optimizer state: the number of updates applied so far and named flat slots (e.g. Adam's {@code m} and
 * {@code v}), each laid out like the parameters. {@link Optimizer#update} and {@link Optimizer#step} never change a
 * state's arrays: they return a new state, so a state can be averaged, checkpointed or shipped as it is. Only
 * {@link Optimizer#stepInPlace}, for a caller that owns the state, reuses them.
 */
public record OptimizerState(long step, Map<String, INDArray> slots) {

    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
        }
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }

    public INDArray slot(String name) {
        INDArray slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("optimizer state has no slot '" + name + "'; slots: " + slots.keySet());
        }
        return slot;
    }

    /** Throws unless the slot names are exactly {@code expected} and every slot has {@code length} elements. */
    public void check(Set<String> expected, long length) {
        if (!slots.keySet().equals(expected)) {
            Set<String> missing = new java.util.TreeSet<>(expected);
            missing.removeAll(slots.keySet());
            Set<String> unexpected = new java.util.TreeSet<>(slots.keySet());
            unexpected.removeAll(expected);
            throw new IllegalArgumentException("optimizer state slots do not match: expected "
                    + new java.util.TreeSet<>(expected) + ", got " + new java.util.TreeSet<>(slots.keySet())
                    + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        }
        for (Map.Entry<String, INDArray> e : slots.entrySet()) {
            if (e.getValue().length() != length) {
                throw new IllegalArgumentException("optimizer state slot '" + e.getKey() + "' has "
                        + e.getValue().length() + " elements, expected " + length);
            }
        }
    }

    /**
     * This state with every slot that was created inside the open workspace (update rules without an in-place path
     * return new arrays) copied into {@code previous}'s array of that slot, which lives outside it: for a caller that
     * steps in place inside a {@code ScratchWorkspace} and owns {@code previous}.
     */
    public OptimizerState outsideWorkspace(OptimizerState previous) {
        Map<String, INDArray> kept = new LinkedHashMap<>();
        slots.forEach((name, slot) -> kept.put(name, slot.isAttached() ? previous.slot(name).assign(slot) : slot));
        return new OptimizerState(step, kept);
    }

    /** A deep copy (the arrays are duplicated). */
    public OptimizerState copy() {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        slots.forEach((k, v) -> copies.put(k, v.dup()));
        return new OptimizerState(step, copies);
    }

    /**
     * A deep copy written into {@code reuse}'s arrays when it has the same slots with the same shapes and data
     * types, else {@link #copy()}: for a caller that keeps one copy and refreshes it, whose old values nobody reads.
     * Native arrays are freed only when the garbage collector finds their Java objects, so a fresh copy every few
     * seconds piles up native memory between collections.
     */
    public OptimizerState copyInto(OptimizerState reuse) {
        if (reuse == null || !reuse.slots.keySet().equals(slots.keySet())) {
            return copy();
        }
        for (Map.Entry<String, INDArray> e : slots.entrySet()) {
            INDArray target = reuse.slots.get(e.getKey());
            if (!target.equalShapes(e.getValue()) || target.dataType() != e.getValue().dataType()) {
                return copy();
            }
        }
        Map<String, INDArray> copies = new LinkedHashMap<>();
        slots.forEach((k, v) -> copies.put(k, reuse.slots.get(k).assign(v)));
        return new OptimizerState(step, copies);
    }
}
