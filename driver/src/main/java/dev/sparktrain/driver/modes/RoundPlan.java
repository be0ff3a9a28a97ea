package dev.sparktrain.driver.modes;

import dev.sparktrain.ps.ParameterSnapshot;

/**
 * What every worker's task of one round reads besides its own rows and carry: the round's place (epoch from 1, round
 * from 0, which with the run seed and the partition index seed the round's randomness), the parameters, and the inner
 * optimizer state shared by all workers ({@code average} policy; null otherwise). A session ships it to the workers
 * as it ships everything: a broadcast, inside a channel's message, or by reference in process. Tasks only read it.
 * A class rather than a record: Kryo 4 cannot write record fields on Java 16+.
 */
public final class RoundPlan implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int round;
    private final ParameterSnapshot params;
    private final InnerState sharedInner;

    public RoundPlan(int epoch, int round, ParameterSnapshot params, InnerState sharedInner) {
        this.epoch = epoch;
        this.round = round;
        this.params = params;
        this.sharedInner = sharedInner;
    }

    public int epoch() {
        return epoch;
    }

    public int round() {
        return round;
    }

    public ParameterSnapshot params() {
        return params;
    }

    /** The inner optimizer state every worker starts the round from, or null. */
    public InnerState sharedInner() {
        return sharedInner;
    }

    /** Bytes of the float arrays every worker receives. */
    public long payloadBytes() {
        long vectors = 1L + (sharedInner != null ? sharedInner.slots().size() : 0);
        return Float.BYTES * params.params().length * vectors;
    }
}
