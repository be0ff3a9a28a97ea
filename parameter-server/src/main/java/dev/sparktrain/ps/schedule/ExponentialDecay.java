package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;

/**
 * Exponential decay (TensorFlow's exponential_decay): factor(t) = rate^(t / decaySteps), with the exponent
 * floored when {@code staircase}.
 */
public record ExponentialDecay(long decaySteps, double rate, boolean staircase) implements Schedule {

    /** {@code exponential}: decay_steps, rate, staircase [false]. */
    public static final Kind<ExponentialDecay> KIND = Kind.of("exponential",
            o -> new ExponentialDecay(o.integer("decay_steps"), o.number("rate"), o.bool("staircase", false)),
            ConfigKey.required("decay_steps", 100), ConfigKey.required("rate", 0.5),
            ConfigKey.optional("staircase", false));

    public ExponentialDecay {
        Check.atLeastOne(Schedule.SECTION, "decay_steps", decaySteps);
        Check.positive(Schedule.SECTION, "rate", rate);
    }

    @Override
    public double factor(long step) {
        double exponent = staircase ? Math.floorDiv(step, decaySteps) : (double) step / decaySteps;
        return Math.pow(rate, exponent);
    }
}
