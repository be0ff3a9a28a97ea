package dev.sparktrain.ops.layers;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A layer's oneDNN primitives ({@link OneDnnConvolution}, {@link OneDnnPooling}), one set per batch size, the two most
 * recent kept (the training batch and an epoch's last, partial one, or an evaluation batch): creating a set compiles
 * its kernels, so a layer makes it on the first batch of a size and reuses it after. A size oneDNN refused is not
 * asked for again.
 */
final class PrimitivesByBatch<T> {

    private final IntFunction<T> make;
    private final int[] batches = {-1, -1};
    private final Object[] recent = new Object[2];
    private final Set<Integer> refused = new HashSet<>();

    /** {@code make} creates the set for a batch size, or returns null where oneDNN has none. */
    PrimitivesByBatch(IntFunction<T> make) {
        this.make = make;
    }

    /** The set for {@code rows} samples, made on first use; null where oneDNN refused it. */
    @SuppressWarnings("unchecked")
    T get(int rows) {
        for (int i = 0; i < 2; i++) {
            if (batches[i] == rows) {
                return (T) recent[i];
            }
        }
        if (refused.contains(rows)) {
            return null;
        }
        T made = make.apply(rows);
        if (made == null) {
            refused.add(rows);
            return null;
        }
        batches[1] = batches[0];
        recent[1] = recent[0];
        batches[0] = rows;
        recent[0] = made;
        return made;
    }

    /** Whether oneDNN refused a set for {@code rows} samples. */
    boolean refused(int rows) {
        return refused.contains(rows);
    }
}
