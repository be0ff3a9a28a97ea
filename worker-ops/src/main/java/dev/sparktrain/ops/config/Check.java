package dev.sparktrain.ops.config;

/**
 * Range checks for hyper-parameters of config records. Each names the field by its section and its own key, the
 * allowed range and the value, and throws {@link InvalidField}, which a factory re-anchors at the path it read the
 * record from.
 */
public final class Check {

    private Check() {
    }

    /** {@code v > 0} and finite. */
    public static double positive(String section, String key, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidField(section, key, "must be > 0, got " + v);
        }
        return v;
    }

    /** {@code v >= 0} and finite. */
    public static double nonNegative(String section, String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidField(section, key, "must be >= 0, got " + v);
        }
        return v;
    }

    /** {@code v} in [0, 1). */
    public static double unitInterval(String section, String key, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new InvalidField(section, key, "must be in [0, 1), got " + v);
        }
        return v;
    }

    /** {@code v} in [0, 1]. */
    public static double closedUnitInterval(String section, String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new InvalidField(section, key, "must be in [0, 1], got " + v);
        }
        return v;
    }

    /** {@code v >= 1}. */
    public static long atLeastOne(String section, String key, long v) {
        if (v < 1) {
            throw new InvalidField(section, key, "must be >= 1, got " + v);
        }
        return v;
    }
}
