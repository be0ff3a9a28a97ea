package dev.sparktrain.driver.modes;

import dev.sparktrain.ps.optim.OptimizerState;

/**
 * What a worker carries from one round into its next: its own inner optimizer state under the {@code keep} policy,
 * nothing otherwise. The transport's worker holds it between rounds (a channel's worker task, an in-process worker;
 * the driver itself for one Spark job per round) and hands it to the next task: {@link Live} where it stays on the
 * worker, {@link Sent} where it arrived as plain arrays (from the driver or a checkpoint).
 */
public sealed interface Carry {

    Carry NONE = new None();

    /** Nothing carried: the task starts from a fresh state. */
    record None() implements Carry {
    }

    /** A state as a task left it, its arrays owned by this carry: the next task continues it in place. */
    record Live(OptimizerState state) implements Carry {
    }

    /** A state that arrived as plain arrays; the task copies them before changing anything. */
    record Sent(InnerState state) implements Carry {
    }

    /** {@code state} as a carry: {@link #NONE} when null. */
    static Carry sent(InnerState state) {
        return state == null ? NONE : new Sent(state);
    }

    /** The carried state as plain arrays, to send or checkpoint; null when nothing is carried. */
    default InnerState toInnerState() {
        if (this instanceof Live live) {
            return InnerState.of(live.state());
        }
        return this instanceof Sent sent ? sent.state() : null;
    }
}
