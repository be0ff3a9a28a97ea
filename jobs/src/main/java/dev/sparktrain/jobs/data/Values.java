package dev.sparktrain.jobs.data;

/** Small helpers for showing and checking values in error messages. */
final class Values {

    private Values() {
    }

    /** {@code 3} for whole numbers, {@code 3.5} otherwise: error messages show what the file holds. */
    static String show(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9f) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }
}
