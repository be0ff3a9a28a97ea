package dev.sparktrain.ps.optim;

import java.util.List;

/**
 * One optimizer step written element by element, for callers that walk the vectors in chunks of their own (the
 * driver's fused update, {@code ps.fused}): each element's arithmetic is that of the rule's in-place step, so any
 * split of the vector into chunks, in any order and on any thread, gives bitwise the parameters and slots the whole
 * step gives. A rule offers one through {@link Optimizer#chunkStep} when it has such a form; rules that look at the
 * whole vector (clipping by the global norm) or that only exist as whole-vector ND4J ops do not.
 */
public interface ChunkStep {

    /** The state slots the step reads and writes, in the order {@link #apply} receives their chunks. */
    List<String> slots();

    /**
     * Steps {@code len} elements in place: the gradient {@code g[0 .. len)} (read only), the slots' chunks
     * {@code slots[k][0 .. len)} and the parameters {@code params[0 .. len)}. Every array is indexed from 0, so that
     * HotSpot compiles the loops to SIMD instructions (it did not with an offset into one of them).
     */
    void apply(float[] g, float[][] slots, float[] params, int len);

    /**
     * The state after the step, once every element has been stepped: the step count advanced, the slots (the same
     * arrays) finished as the rule's whole step finishes them (Adam's periodic flush of tiny moments).
     */
    OptimizerState after(OptimizerState before);
}
