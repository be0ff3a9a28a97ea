package dev.sparktrain.driver.aggregate;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vector-sized Java arrays that {@link RoundSums} no longer needs, kept for the next result of the same length: a
 * fresh array of a million floats costs more than the round's copy into it, in zeroing and in the garbage collections
 * it brings (docs/performance.md). Only {@link RoundSums} gives arrays back, and only ones no result refers to any
 * more, so a taken array is never shared.
 */
final class FloatArrays {

    /** Spare arrays kept per length: a round needs a few per worker. */
    private static final int MAX_SPARES = 16;
    private static final Map<Integer, ArrayDeque<float[]>> SPARES = new ConcurrentHashMap<>();

    private FloatArrays() {
    }

    /** An array of {@code length} floats with arbitrary contents: the caller overwrites every element. */
    static float[] take(int length) {
        ArrayDeque<float[]> spares = SPARES.get(length);
        if (spares != null) {
            synchronized (spares) {
                float[] spare = spares.poll();
                if (spare != null) {
                    return spare;
                }
            }
        }
        return new float[length];
    }

    /** Keeps {@code array}, which nothing refers to any more, for a later {@link #take}. */
    static void give(float[] array) {
        ArrayDeque<float[]> spares = SPARES.computeIfAbsent(array.length, n -> new ArrayDeque<>());
        synchronized (spares) {
            if (spares.size() < MAX_SPARES) {
                spares.push(array);
            }
        }
    }
}
