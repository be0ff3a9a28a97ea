package dev.sparktrain.jobs.data;

import dev.sparktrain.ops.config.ConfigKey;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The descriptor of one data format: its name in {@code data.format}, the keys of the data section it reads (besides
 * {@code format}, {@code normalize} and {@code scale}, which every format takes) with their defaults, and how its
 * reader is built from the validated section. A reader class declares its format next to itself; the formats are
 * registered in {@code jobs.data.formats.DataFormats}. The section's values live in {@link DataConfig},
 * the one place for their defaults and checks.
 */
public record DataFormat(String name, List<ConfigKey> keys, Function<DataConfig, DatasetReader> reader) {

    /** The keys every format takes. */
    public static final Set<String> COMMON_KEYS = Set.of("format", "normalize", "scale");

    public DataFormat {
        keys = List.copyOf(keys);
    }

    /** The keys of this format, the common ones included. */
    public Set<String> keyNames() {
        Set<String> names = new TreeSet<>(COMMON_KEYS);
        keys.forEach(k -> names.add(k.name()));
        return names;
    }
}
