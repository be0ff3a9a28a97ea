package dev.sparktrain.ops.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kinds of one family (layers, losses, optimizers, data formats) by config name, in registration order. */
public final class Registry<T> {

    private final Map<String, Kind<? extends T>> kinds = new LinkedHashMap<>();

    @SafeVarargs
    public Registry(Kind<? extends T>... kinds) {
        for (Kind<? extends T> kind : kinds) {
            if (this.kinds.put(kind.name(), kind) != null) {
                throw new IllegalArgumentException("kind '" + kind.name() + "' is registered twice");
            }
        }
    }

    /** The config names, in registration order. */
    public List<String> names() {
        return List.copyOf(kinds.keySet());
    }

    /** The kinds, in registration order. */
    public List<Kind<? extends T>> kinds() {
        return Collections.unmodifiableList(new ArrayList<>(kinds.values()));
    }

    public Optional<Kind<? extends T>> find(String name) {
        return Optional.ofNullable(kinds.get(name));
    }
}
