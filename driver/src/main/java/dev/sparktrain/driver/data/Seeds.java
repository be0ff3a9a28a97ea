package dev.sparktrain.driver.data;

/** Derives independent seeds from the run seed and coordinates (purpose, epoch, round, partition). */
public final class Seeds {

    /** Purposes, so that e.g. the shuffle and dropout of the same coordinates never share a stream. */
    public static final long SHUFFLE = 1;
    public static final long STEP = 2;
    public static final long AUGMENT = 3;

    private Seeds() {
    }

    public static long mix(long seed, long... coordinates) {
        long h = start(seed);
        for (long c : coordinates) {
            h = then(h, c);
        }
        return h;
    }

    /** {@code mix(seed)}: the first link of the chain {@link #mix} builds. */
    public static long start(long seed) {
        return finalizer(seed ^ 0x9E3779B97F4A7C15L);
    }

    /**
     * One more coordinate on a chain: {@code then(mix(seed, a, b), c) == mix(seed, a, b, c)}. For hot loops, which
     * extend a prefix mixed once instead of passing a fresh varargs array per call.
     */
    public static long then(long h, long coordinate) {
        return finalizer(h ^ finalizer(coordinate + 0x632BE59BD9B4E019L));
    }

    /** SplitMix64's finaliser: a bijection with good avalanche. */
    private static long finalizer(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
