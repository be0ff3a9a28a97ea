package dev.sparktrain.ops.config;

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
 * @param name      the config name, e.g. {@code dense}
 * @param keys      every key besides the one that picks the kind
 * @param factory   builds the value from options holding (at least) those keys; reads keys through {@link Options}
 *                  so that errors name the field
 */
public record Kind<T>(String name, List<ConfigKey> keys, Function<Options, ? extends T> factory) {

    public Kind {
        keys = List.copyOf(keys);
        Set<String> seen = new TreeSet<>();
        for (ConfigKey key : keys) {
            if (!seen.add(key.name())) {
                throw new IllegalArgumentException("kind '" + name + "' declares key '" + key.name() + "' twice");
            }
        }
    }

    public static <T> Kind<T> of(String name, Function<Options, ? extends T> factory, ConfigKey... keys) {
        return new Kind<>(name, List.of(keys), factory);
    }

    /** The same kind under another config name (e.g. {@code swish} for {@code silu}). */
    public Kind<T> alias(String otherName) {
        return new Kind<>(otherName, keys, factory);
    }

    /** The declared key names. */
    public Set<String> keyNames() {
        Set<String> names = new TreeSet<>();
        keys.forEach(k -> names.add(k.name()));
        return names;
    }

    /**
     * Builds the value from {@code options}, then refuses any key that was not read, with the closest declared
     * one. {@code selector} is the key that picked the kind ({@code type}), allowed besides the declared ones.
     */
    public T create(Options options, String selector) {
        T value = build(options);
        refuseOtherKeys(options, selector);
        return value;
    }

    /** Builds the value from {@code options} without checking for keys it did not read. */
    public T build(Options options) {
        return factory.apply(options);
    }

    /** Refuses the first key of {@code options} that is neither declared nor {@code selector}. */
    public void refuseOtherKeys(Options options, String selector) {
        Set<String> known = keyNames();
        known.add(selector);
        options.done(known);
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
