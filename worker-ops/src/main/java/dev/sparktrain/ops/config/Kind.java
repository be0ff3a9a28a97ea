package dev.sparktrain.ops.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The descriptor of one configurable kind (a layer, a loss, an optimizer, a data format): the name that picks it in
 * a config's {@code type} (or {@code format}) field, the keys it accepts with their defaults, and how it is built
 * from them. A kind declares itself next to the class it builds; a {@link Registry} lists the kinds of one family.
 *
 * <p>A kind may instead offer variants picked by one of its keys (RMSProp's {@code flavour: tensorflow|pytorch}),
 * each a kind with its own keys: see {@link #choosing}.
 *
 * @param name     the config name, e.g. {@code dense}
 * @param keys     every key besides the one that picks the kind (for a kind with variants: only its selector)
 * @param factory  builds the value from options holding (at least) those keys; reads keys through {@link Options}
 *                 so that errors name the field (unused for a kind with variants)
 * @param variants the variants by name, the first being the default; empty for a plain kind
 */
public record Kind<T>(String name, List<ConfigKey> keys, Function<Options, ? extends T> factory,
                      List<Kind<? extends T>> variants) {

    public Kind {
        keys = List.copyOf(keys);
        variants = List.copyOf(variants);
        Set<String> seen = new TreeSet<>();
        for (ConfigKey key : keys) {
            if (!seen.add(key.name())) {
                throw new IllegalArgumentException("kind '" + name + "' declares key '" + key.name() + "' twice");
            }
        }
        if (!variants.isEmpty() && keys.size() != 1) {
            throw new IllegalArgumentException("kind '" + name + "' with variants declares exactly its selector key");
        }
    }

    public static <T> Kind<T> of(String name, Function<Options, ? extends T> factory, ConfigKey... keys) {
        return new Kind<>(name, List.of(keys), factory, List.of());
    }

    /** A kind with the keys of {@code base} (in front) and {@code more}. */
    public static <T> Kind<T> extending(String name, Kind<?> base, Function<Options, ? extends T> factory,
                                        ConfigKey... more) {
        List<ConfigKey> keys = new ArrayList<>(base.keys());
        keys.addAll(List.of(more));
        return new Kind<>(name, keys, factory, List.of());
    }

    /**
     * A kind whose {@code selector} key picks one of {@code variants} by their names; the first is the default.
     * Each variant accepts only its own keys besides the selector.
     */
    @SafeVarargs
    public static <T> Kind<T> choosing(String name, String selector, Kind<? extends T>... variants) {
        return new Kind<>(name, List.of(ConfigKey.optional(selector, variants[0].name())), null, List.of(variants));
    }

    /** The same kind under another config name (e.g. {@code swish} for {@code silu}). */
    public Kind<T> alias(String otherName) {
        return new Kind<>(otherName, keys, factory, variants);
    }

    /** The declared key names (for a kind with variants: its selector). */
    public Set<String> keyNames() {
        Set<String> names = new TreeSet<>();
        keys.forEach(k -> names.add(k.name()));
        return names;
    }

    /** The variant {@code options} pick, or this kind when it has none. */
    public Kind<? extends T> chosen(Options options) {
        if (variants.isEmpty()) {
            return this;
        }
        ConfigKey selector = keys.get(0);
        String picked = options.string(selector.name(), String.valueOf(selector.value()));
        for (Kind<? extends T> variant : variants) {
            if (variant.name().equals(picked)) {
                return variant;
            }
        }
        throw new IllegalArgumentException(options.field(selector.name()) + " must be one of "
                + String.join(", ", variants.stream().map(Kind::name).toList()) + ", got '" + picked + "'"
                + Suggestions.closest(picked, variants.stream().map(Kind::name).toList())
                        .map(c -> "; did you mean '" + c + "'?").orElse(""));
    }

    /**
     * Builds the value from {@code options}, then refuses any key that was not read, with the closest declared
     * one. {@code selector} is the key that picked the kind ({@code type}), allowed besides the declared ones.
     */
    public T create(Options options, String selector) {
        T value = build(options);
        refuseOtherKeys(options, Set.of(selector));
        return value;
    }

    /** Builds the value from {@code options} without checking for keys it did not read. */
    public T build(Options options) {
        Kind<? extends T> kind = chosen(options);
        return kind == this ? factory.apply(options) : kind.build(options);
    }

    /** The keys {@code options} may hold for this kind: the declared ones, or the selector and the chosen variant's. */
    public Set<String> knownKeys(Options options) {
        Set<String> known = keyNames();
        Kind<? extends T> kind = chosen(options);
        if (kind != this) {
            known.addAll(kind.knownKeys(options));
        }
        return known;
    }

    /** Refuses the first key of {@code options} that is neither known to this kind nor one of {@code others}. */
    public void refuseOtherKeys(Options options, Set<String> others) {
        Set<String> known = knownKeys(options);
        known.addAll(others);
        options.done(known);
    }

    /** As {@link #refuseOtherKeys(Options, Set)} with one other key, the one that picked the kind. */
    public void refuseOtherKeys(Options options, String selector) {
        refuseOtherKeys(options, Set.of(selector));
    }

    /**
     * Every key of this kind (and of the variant {@code options} choose), in declared order, with its value as read
     * from {@code options} or its default: the config with nothing left implicit, as checkpoints record it. Values
     * take the type of the declared default (whole numbers as {@code long}).
     */
    public Map<String, Object> resolve(Options options) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            String name = key.name();
            Object fallback = key.value();
            resolved.put(name, !options.has(name) ? (fallback instanceof Integer i ? (Object) i.longValue() : fallback)
                    : fallback instanceof Boolean ? options.bool(name, false)
                    : fallback instanceof Integer || fallback instanceof Long ? (Object) (long) options.integer(name)
                    : fallback instanceof Number ? (Object) options.number(name)
                    : options.string(name));
        }
        Kind<? extends T> variant = chosen(options);
        if (variant != this) {
            resolved.putAll(variant.resolve(options));
        }
        return resolved;
    }

    /** A config of this kind with every key given (required ones at their example, optional at their default). */
    public Map<String, Object> exampleWithEveryKey() {
        Map<String, Object> config = new LinkedHashMap<>();
        keys.forEach(k -> config.put(k.name(), k.value()));
        return config;
    }

    /** A config of this kind with only the required keys, at their examples. */
    public Map<String, Object> exampleWithRequiredKeys() {
        Map<String, Object> config = new LinkedHashMap<>();
        keys.stream().filter(ConfigKey::required).forEach(k -> config.put(k.name(), k.value()));
        return config;
    }
}
