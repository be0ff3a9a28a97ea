package dev.sparktrain.ps.schedule;

import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds a schedule from its config section: {@code {type: constant|step|exponential|cosine, ...,
 * warmup_steps: 0, warmup_start: 1/3}}. Each schedule declares its keys next to its class (the {@code KIND}
 * constants): step: step_size (required), gamma 0.1. exponential: decay_steps (required), rate (required),
 * staircase false. cosine: decay_steps (required), alpha 0. A positive {@code warmup_steps} puts a
 * {@link LinearWarmup} in front.
 */
public final class Schedules {

    public static final double DEFAULT_STEP_GAMMA = 0.1;
    public static final double DEFAULT_COSINE_ALPHA = 0.0;

    /** Every schedule by {@code type}. */
    public static final Registry<Schedule> REGISTRY = new Registry<>(
            Schedule.CONSTANT_KIND,
            StepDecay.KIND,
            ExponentialDecay.KIND,
            CosineDecay.KIND);

    /** The keys every type takes besides its own. */
    private static final Set<String> COMMON = Set.of("type", "warmup_steps", "warmup_start");

    private Schedules() {
    }

    /** A schedule and its config with defaults filled in. */
    public record Configured(Schedule schedule, Map<String, Object> resolved) {
        public Configured {
            resolved = Collections.unmodifiableMap(new LinkedHashMap<>(resolved));
        }
    }

    /**
     * Reads the schedule section at {@code path} (e.g. {@code optimizer.schedule}); range errors name the field at
     * that path.
     */
    public static Configured create(String path, Map<String, ?> values) {
        try {
            return read(new Options(path, values));
        } catch (InvalidField e) {
            throw e.at(path);
        }
    }

    private static Configured read(Options o) {
        String type = o.string("type", "constant");
        Kind<? extends Schedule> kind = REGISTRY.require(o.field("type"), type);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("type", type);
        Schedule schedule = kind.build(o);
        resolved.putAll(kind.resolve(o));
        long warmup = o.integer("warmup_steps", 0);
        double start = o.number("warmup_start", LinearWarmup.DEFAULT_START_FACTOR);
        resolved.put("warmup_steps", warmup);
        if (warmup < 0) {
            throw new IllegalArgumentException(o.field("warmup_steps") + " must be >= 0, got " + warmup);
        }
        if (warmup > 0) {
            resolved.put("warmup_start", start);
            schedule = new LinearWarmup(warmup, start, schedule);
        }
        kind.refuseOtherKeys(o, COMMON);
        return new Configured(schedule, resolved);
    }
}
