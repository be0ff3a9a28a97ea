package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;

/** Step decay (PyTorch's StepLR): factor(t) = γ^⌊t / stepSize⌋. */
public record StepDecay(long stepSize, double gamma) implements Schedule {

    /** {@code step}: step_size, gamma [0.1]. */
    public static final Kind<StepDecay> KIND = Kind.of("step",
            o -> new StepDecay(o.integer("step_size"), o.number("gamma", Schedules.DEFAULT_STEP_GAMMA)),
            ConfigKey.required("step_size", 10), ConfigKey.optional("gamma", Schedules.DEFAULT_STEP_GAMMA));

    public StepDecay {
        Check.atLeastOne(Schedule.SECTION, "step_size", stepSize);
        Check.positive(Schedule.SECTION, "gamma", gamma);
    }

    @Override
    public double factor(long step) {
        return Math.pow(gamma, Math.floorDiv(step, stepSize));
    }
}
