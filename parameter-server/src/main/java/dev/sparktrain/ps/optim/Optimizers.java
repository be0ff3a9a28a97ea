package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import dev.sparktrain.ps.schedule.Schedules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds an optimizer from its config section, e.g.
 * <pre>
 *   {type: adam, lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, epsilon_convention: pytorch, amsgrad: false,
 *    weight_decay: 0, clip_norm: 1.0, clip_value: 0.5, schedule: {type: cosine, decay_steps: 1000, warmup_steps: 100}}
 * </pre>
 * Each update rule declares its keys and defaults next to its class (the {@code KIND} constants); a new rule is its
 * class plus one line in {@link #REGISTRY}. Types: {@code sgd} (momentum, nesterov), {@code adam}, {@code adamw}
 * (adam's fields + weight_decay, decoupled), {@code rmsprop} (flavour tensorflow: decay, momentum, epsilon,
 * centered; flavour pytorch: alpha, momentum, epsilon, centered), {@code adagrad} (initial_accumulator, epsilon).
 * Every type takes lr, clip_norm, clip_value (both off when absent) and schedule (see {@link Schedules}). Weight
 * decay follows PyTorch's names and scales: {@code weight_decay: λ} is coupled for the rules that do not declare it
 * themselves (λ·θ added to the gradient, {@link CoupledWeightDecay}) and decoupled for adamw
 * ({@link DecoupledWeightDecay}); {@code l2: λ} is the older name of the coupled one (still accepted, with a
 * warning; on adamw it adds coupled decay beside the decoupled one). Note that {@code regularization.l2: λ} (Keras'
 * convention, a loss term λ·Σθ²) adds 2λ·θ, twice as much. Unknown keys are rejected. Composition order: value
 * clipping, then global-norm clipping, then the coupled decay, then the scheduled rule. Range errors name the field
 * at the section's path ({@code training.outer_optimizer.lr must be > 0, got -1.0}).
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
    private static final Set<String> COMMON = Set.of("type", "weight_decay", "l2", "clip_norm", "clip_value",
            "schedule");

    private static final String DEFAULT_TYPE = "adam";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Optimizers.class);
    /** The old name's warning is given once per JVM: configs are parsed again for every checkpoint and command. */
    private static final AtomicBoolean WARNED_L2 = new AtomicBoolean();

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
        double coupled = coupledDecay(o, kind.knownKeys(o).contains("weight_decay"), resolved);
        if (coupled != 0) {
            Optimizer undecayed = optimizer;
            optimizer = anchored(path, () -> new CoupledWeightDecay(undecayed, coupled));
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

    /**
     * λ of the coupled decay: {@code weight_decay} (PyTorch's name; a rule that declares it, adamw, decays decoupled
     * and read it with the rule) or its older name {@code l2}, not both.
     */
    private static double coupledDecay(Options o, boolean decoupled, Map<String, Object> resolved) {
        if (o.has("l2")) {
            if (!decoupled && o.has("weight_decay")) {
                throw new IllegalArgumentException(o.field("l2") + " is the older name of " + o.field("weight_decay")
                        + ": give one of them");
            }
            double l2 = o.number("l2", 0.0);
            resolved.put("l2", l2);
            Check.nonNegative(o.path(), "l2", l2);
            if (!decoupled && l2 != 0 && !WARNED_L2.getAndSet(true)) {
                LOG.warn("{} is now called {}: PyTorch's coupled weight decay, adding {}·w to the gradient (half of "
                        + "what regularization.l2 of the same value adds); the old name still works",
                        o.field("l2"), o.field("weight_decay"), l2);
            }
            return l2;
        }
        if (decoupled) {
            return 0;
        }
        double lambda = o.number("weight_decay", 0.0);
        resolved.put("weight_decay", lambda);
        Check.nonNegative(o.path(), "weight_decay", lambda);
        return lambda;
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
