package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.Check;

/**
 * Linear warm-up in front of another schedule (PyTorch's LinearLR followed by the next scheduler): for t &lt; W,
 * factor(t) = s + (1 − s)·t/W; afterwards factor(t) = then.factor(t − W). Defaults: start factor s = 1/3
 * (PyTorch's), then {@link Schedule#CONSTANT}.
 */
public record LinearWarmup(long warmupSteps, double startFactor, Schedule then) implements Schedule {

    public static final double DEFAULT_START_FACTOR = 1.0 / 3;

    public LinearWarmup {
        Check.atLeastOne(Schedule.SECTION, "warmup_steps", warmupSteps);
        Check.closedUnitInterval(Schedule.SECTION, "warmup_start", startFactor);
        if (then == null) {
            throw new IllegalArgumentException("warm-up needs a schedule to continue with, got null");
        }
    }

    @Override
    public double factor(long step) {
        if (step < warmupSteps) {
            return startFactor + (1 - startFactor) * step / warmupSteps;
        }
        return then.factor(step - warmupSteps);
    }
}
