package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import dev.sparktrain.ps.schedule.Schedules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds an optimizer from its config section, e.g.
 * <pre>
 *   {type: adam, lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilon_convention: pytorch, amsgrad: false,
 *    l2: 0, clip_norm: 1.0, clip_value: 0.5, schedule: {type: cosine, decay_steps: 1000, warmup_steps: 100}}
 * </pre>
 * Each update rule declares its keys and defaults next to its class (the {@code KIND} constants); a new rule is its
 * class plus one line in {@link #REGISTRY}. Types: {@code sgd} (momentum, nesterov), {@code adam}, {@code adamw}
 * (adam's fields + weight_decay, decoupled), {@code rmsprop} (flavour tensorflow: decay, momentum, epsilon,
 * centered; flavour pytorch: alpha, momentum, epsilon, centered), {@code adagrad} (initial_accumulator, epsilon).
 * Every type takes lr, l2 (coupled, added to the gradient), clip_norm, clip_value (both off when absent) and
 * schedule (see {@link Schedules}); unknown keys are rejected. Composition order: value clipping, then global-norm
 * clipping, then the L2 term, then the scheduled rule. Range errors name the field at the section's path
 * ({@code training.outer_optimizer.lr must be > 0, got -1.0}).
 */
public final class Optimizers {

    /** Every update rule by {@code type}. */
    public static final Registry<UpdateRule> REGISTRY = new Registry<>(
            Sgd.KIND,
            Adam.KIND,
            DecoupledWeightDecay.ADAMW_KIND,
            Kind.choosing("rmsprop", "flavour", RmsPropTf.KIND, RmsPropTorch.KIND),
            Adagrad.KIND);

    /** The keys every type takes besides its own. */
    private static final Set<String> COMMON = Set.of("type", "l2", "clip_norm", "clip_value", "schedule");

    private static final String DEFAULT_TYPE = "adam";

    private Optimizers() {
    }

    /** An optimizer and the config it was built from with every default filled in (for checkpoints). */
    public record Configured(Optimizer optimizer, Map<String, Object> resolved) {
        public Configured {
            resolved = Collections.unmodifiableMap(new LinkedHashMap<>(resolved));
        }
    }

    /** Reads the section at {@code path} (e.g. "optimizer") whose values are {@code config}. */
    public static Configured create(String path, Map<String, ?> config) {
        Map<String, Object> flat = new LinkedHashMap<>(config);
        Object scheduleSection = flat.remove("schedule");
        Options o = new Options(path, flat);
        String type = o.string("type", DEFAULT_TYPE);
        Kind<? extends UpdateRule> kind = REGISTRY.require(o.field("type"), type);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("type", type);
        UpdateRule rule = anchored(path, () -> kind.build(o));
        resolved.putAll(kind.resolve(o));
        Optimizer optimizer = rule;
        if (scheduleSection != null) {
            if (!(scheduleSection instanceof Map<?, ?> section)) {
                throw new IllegalArgumentException(o.field("schedule") + " must be a section, got '"
                        + scheduleSection + "'");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> values = (Map<String, ?>) section;
            Schedules.Configured s = Schedules.create(o.field("schedule"), values);
            resolved.put("schedule", s.resolved());
            optimizer = new Scheduled(rule, s.schedule());
        }
        double l2 = o.number("l2", 0.0);
        resolved.put("l2", l2);
        if (l2 != 0) {
            Optimizer unpenalised = optimizer;
            optimizer = anchored(path, () -> new L2Penalty(unpenalised, l2));
        }
        if (o.has("clip_norm")) {
            double maxNorm = o.number("clip_norm");
            resolved.put("clip_norm", maxNorm);
            Optimizer unclipped = optimizer;
            optimizer = anchored(path, () -> new ClipByGlobalNorm(unclipped, maxNorm));
        }
        if (o.has("clip_value")) {
            double limit = o.number("clip_value");
            resolved.put("clip_value", limit);
            Optimizer unclipped = optimizer;
            optimizer = anchored(path, () -> new ClipByValue(unclipped, limit));
        }
        kind.refuseOtherKeys(o, COMMON);
        return new Configured(optimizer, resolved);
    }

    /** Builds with the record's own field names moved to {@code path}. */
    private static <T> T anchored(String path, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidField e) {
            throw e.at(path);
        }
    }
}
