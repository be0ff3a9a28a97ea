package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Options;
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
 * Types: {@code sgd} (momentum, nesterov), {@code adam}, {@code adamw} (adam's fields + weight_decay, decoupled),
 * {@code rmsprop} (flavour tensorflow: decay, momentum, epsilon, centered; flavour pytorch: alpha, momentum,
 * epsilon, centered), {@code adagrad} (initial_accumulator, epsilon). Every type takes lr, clip_norm, clip_value
 * (both off when absent) and schedule (see {@link Schedules}). Weight decay follows PyTorch's names and scales:
 * {@code weight_decay: λ} is coupled for sgd, adam, rmsprop and adagrad (λ·θ added to the gradient,
 * {@link CoupledWeightDecay}) and decoupled for adamw ({@link DecoupledWeightDecay}); {@code l2: λ} is the older name
 * of the coupled one (still accepted, with a warning; on adamw it adds coupled decay beside the decoupled one). Note
 * that {@code regularization.l2: λ} (Keras' convention, a loss term λ·Σθ²) adds 2λ·θ, twice as much. Defaults are
 * the {@code DEFAULT_*} constants of each rule; unknown keys are rejected. Composition order: value clipping, then
 * global-norm clipping, then the coupled decay, then the scheduled rule.
 */
public final class Optimizers {

    private static final Set<String> COMMON = Set.of("type", "lr", "l2", "clip_norm", "clip_value", "schedule");
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
        Resolver r = new Resolver(new Options(path, flat));
        String type = r.string("type", "adam");
        UpdateRule rule = switch (type) {
            case "sgd" -> sgd(r);
            case "adam" -> adam(r);
            case "adamw" -> new DecoupledWeightDecay(adam(r),
                    r.number("weight_decay", DecoupledWeightDecay.DEFAULT_WEIGHT_DECAY));
            case "rmsprop" -> rmsprop(r);
            case "adagrad" -> new Adagrad(r.number("lr", Adagrad.DEFAULT_LR),
                    r.number("initial_accumulator", Adagrad.DEFAULT_INITIAL_ACCUMULATOR),
                    r.number("epsilon", Adagrad.DEFAULT_EPSILON));
            default -> throw new IllegalArgumentException(r.options.field("type")
                    + " must be one of sgd, adam, adamw, rmsprop, adagrad, got '" + type + "'");
        };
        Optimizer optimizer = rule;
        if (scheduleSection != null) {
            if (!(scheduleSection instanceof Map<?, ?> section)) {
                throw new IllegalArgumentException(r.options.field("schedule") + " must be a section, got '"
                        + scheduleSection + "'");
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> values = (Map<String, ?>) section;
            Schedules.Configured s = Schedules.create(r.options.field("schedule"), values);
            r.resolved.put("schedule", s.resolved());
            optimizer = new Scheduled(rule, s.schedule());
        }
        double coupled = coupledDecay(r, type);
        if (coupled != 0) {
            optimizer = new CoupledWeightDecay(optimizer, coupled);
        }
        if (r.options.has("clip_norm")) {
            optimizer = new ClipByGlobalNorm(optimizer, r.number("clip_norm", 0));
        }
        if (r.options.has("clip_value")) {
            optimizer = new ClipByValue(optimizer, r.number("clip_value", 0));
        }
        r.options.done(known(type, r.resolved.get("flavour")));
        return new Configured(optimizer, r.resolved);
    }

    /**
     * λ of the coupled decay: {@code weight_decay} (PyTorch's name; adamw's is decoupled and read with the rule) or
     * its older name {@code l2}, not both.
     */
    private static double coupledDecay(Resolver r, String type) {
        boolean decoupled = type.equals("adamw");
        if (r.options.has("l2")) {
            if (!decoupled && r.options.has("weight_decay")) {
                throw new IllegalArgumentException(r.options.field("l2") + " is the older name of "
                        + r.options.field("weight_decay") + ": give one of them");
            }
            double l2 = r.number("l2", 0.0);
            Check.nonNegative(r.options.field("l2"), l2);
            if (!decoupled && l2 != 0 && !WARNED_L2.getAndSet(true)) {
                LOG.warn("{} is now called {}: PyTorch's coupled weight decay, adding {}·w to the gradient (half of "
                        + "what regularization.l2 of the same value adds); the old name still works",
                        r.options.field("l2"), r.options.field("weight_decay"), l2);
            }
            return l2;
        }
        if (decoupled) {
            return 0;
        }
        double lambda = r.number("weight_decay", 0.0);
        Check.nonNegative(r.options.field("weight_decay"), lambda);
        return lambda;
    }

    private static Sgd sgd(Resolver r) {
        return new Sgd(r.number("lr", Sgd.DEFAULT_LR), r.number("momentum", Sgd.DEFAULT_MOMENTUM),
                r.bool("nesterov", false));
    }

    private static Adam adam(Resolver r) {
        return new Adam(r.number("lr", Adam.DEFAULT_LR), r.number("beta1", Adam.DEFAULT_BETA1),
                r.number("beta2", Adam.DEFAULT_BETA2), r.number("epsilon", Adam.DEFAULT_EPSILON),
                EpsilonConvention.parse(r.options.field("epsilon_convention"),
                        r.string("epsilon_convention", EpsilonConvention.PYTORCH.configName())),
                r.bool("amsgrad", false));
    }

    private static UpdateRule rmsprop(Resolver r) {
        String flavour = r.string("flavour", "tensorflow");
        return switch (flavour) {
            case "tensorflow" -> new RmsPropTf(r.number("lr", RmsPropTf.DEFAULT_LR),
                    r.number("decay", RmsPropTf.DEFAULT_DECAY), r.number("momentum", RmsPropTf.DEFAULT_MOMENTUM),
                    r.number("epsilon", RmsPropTf.DEFAULT_EPSILON), r.bool("centered", false));
            case "pytorch" -> new RmsPropTorch(r.number("lr", RmsPropTorch.DEFAULT_LR),
                    r.number("alpha", RmsPropTorch.DEFAULT_ALPHA), r.number("epsilon", RmsPropTorch.DEFAULT_EPSILON),
                    r.number("momentum", RmsPropTorch.DEFAULT_MOMENTUM), r.bool("centered", false));
            default -> throw new IllegalArgumentException(r.options.field("flavour")
                    + " must be one of tensorflow, pytorch, got '" + flavour + "'");
        };
    }

    private static Set<String> known(String type, Object flavour) {
        Set<String> known = new java.util.TreeSet<>(COMMON);
        switch (type) {
            case "sgd" -> known.addAll(Set.of("momentum", "nesterov", "weight_decay"));
            case "adam" -> known.addAll(Set.of("beta1", "beta2", "epsilon", "epsilon_convention", "amsgrad",
                    "weight_decay"));
            case "adamw" -> known.addAll(Set.of("beta1", "beta2", "epsilon", "epsilon_convention", "amsgrad",
                    "weight_decay"));
            case "rmsprop" -> known.addAll("pytorch".equals(flavour)
                    ? Set.of("flavour", "alpha", "momentum", "epsilon", "centered", "weight_decay")
                    : Set.of("flavour", "decay", "momentum", "epsilon", "centered", "weight_decay"));
            default -> known.addAll(Set.of("initial_accumulator", "epsilon", "weight_decay"));
        }
        return known;
    }

    /** Reads through {@link Options} and records every value, defaults included. */
    static final class Resolver {
        final Options options;
        final Map<String, Object> resolved = new LinkedHashMap<>();

        Resolver(Options options) {
            this.options = options;
        }

        String string(String key, String fallback) {
            String v = options.string(key, fallback);
            resolved.put(key, v);
            return v;
        }

        double number(String key, double fallback) {
            double v = options.number(key, fallback);
            resolved.put(key, v);
            return v;
        }

        boolean bool(String key, boolean fallback) {
            boolean v = options.bool(key, fallback);
            resolved.put(key, v);
            return v;
        }
    }
}
