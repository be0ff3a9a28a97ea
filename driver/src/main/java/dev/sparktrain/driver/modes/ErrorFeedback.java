package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.WirePrecision;

/**
 * A worker's pseudo-gradient rounded to 16 bits with error feedback: what rounding left out of one round's
 * pseudo-gradient (the residual) is added to the next one's before it is rounded, so no part of any update is lost,
 * only delayed by a round (as in 1-bit SGD, EF-SGD and DiLoCo's compressed variants). The residual is part of the
 * worker's carry ({@link #RESIDUAL}): it travels and is checkpointed like a kept inner state, which keeps the task a
 * pure function of its inputs.
 */
public final class ErrorFeedback {

    /** The carry's slot that holds the residual. */
    public static final String RESIDUAL = "pseudo_gradient.residual";

    /** The values to send, and the residual to carry into the next round. */
    public record Rounded(short[] bits, float[] residual) {
    }

    private ErrorFeedback() {
    }

    /**
     * Rounds d = (start − end) + residual to {@code precision}; the next residual is d minus what was sent (exact in
     * float: rounding to a coarser grid leaves a difference that float holds). {@code residual} null is all zeros.
     */
    public static Rounded round(float[] start, float[] end, float[] residual, WirePrecision precision) {
        if (start.length != end.length || (residual != null && residual.length != start.length)) {
            throw new IllegalArgumentException("vectors of " + start.length + ", " + end.length + " and "
                    + (residual == null ? "no" : residual.length) + " elements");
        }
        short[] bits = new short[start.length];
        float[] next = new float[start.length];
        for (int i = 0; i < start.length; i++) {
            float d = (start[i] - end[i]) + (residual == null ? 0f : residual[i]);
            short q = precision.encode(d);
            bits[i] = q;
            next[i] = d - precision.decode(q);
        }
        return new Rounded(bits, next);
    }
}
