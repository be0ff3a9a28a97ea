package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.Kind;

/**
 * A learning-rate schedule: a pure function of the step (the number of updates applied before this one, so the
 * first update sees step 0) giving a factor on the base learning rate, lr_t = lr·factor(t). Compose by wrapping,
 * e.g. {@code new LinearWarmup(100, 0.0, new CosineDecay(1000, 0.0))}.
 */
@FunctionalInterface
public interface Schedule extends java.io.Serializable {

    /** Where a schedule sits in a config by default; its records name their fields under it. */
    String SECTION = "optimizer.schedule";

    double factor(long step);

    /** Factor 1 at every step. */
    Schedule CONSTANT = step -> 1.0;

    /** {@code constant}: no options. */
    Kind<Schedule> CONSTANT_KIND = Kind.of("constant", o -> CONSTANT);
}
