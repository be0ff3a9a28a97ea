package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;

/**
 * Cosine decay (Loshchilov &amp; Hutter without restarts; TensorFlow's cosine_decay): with t' = min(t, D),
 * factor(t) = (1 − α)·½·(1 + cos(π·t'/D)) + α, so it falls from 1 to α over D steps and stays there.
 */
public record CosineDecay(long decaySteps, double alpha) implements Schedule {

    /** {@code cosine}: decay_steps, alpha [0]. */
    public static final Kind<CosineDecay> KIND = Kind.of("cosine",
            o -> new CosineDecay(o.integer("decay_steps"), o.number("alpha", Schedules.DEFAULT_COSINE_ALPHA)),
            ConfigKey.required("decay_steps", 100), ConfigKey.optional("alpha", Schedules.DEFAULT_COSINE_ALPHA));

    public CosineDecay {
        Check.atLeastOne(Schedule.SECTION, "decay_steps", decaySteps);
        Check.closedUnitInterval(Schedule.SECTION, "alpha", alpha);
    }

    @Override
    public double factor(long step) {
        double t = Math.min(step, decaySteps);
        return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t / decaySteps)) + alpha;
    }
}
