package dev.sparktrain.jobs.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration as a plain tree of maps, lists and scalars, as read from YAML, with {@code --set path=value}
 * overrides applied. Validation happens when the tree is turned into records ({@link RunConfigParser}).
 */
public final class ConfigTree {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Map<String, Object> root;

    private ConfigTree(Map<String, Object> root) {
        this.root = root;
    }

    public static ConfigTree read(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(file + ": is a directory, expected a YAML config file");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": config file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": is not UTF-8 text, expected a YAML config file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.io.UncheckedIOException(file + ": permission denied, cannot read the config file", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot read the config file: " + e.getMessage(), e);
        }
        // A byte-order mark (some Windows editors save one) is not part of the YAML.
        return parse(file.toString(), text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    public static ConfigTree parse(String source, String yaml) {
        if (yaml.isBlank() || yaml.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            throw new IllegalArgumentException(source + ": is empty" + (yaml.isBlank() ? "" : " (only comments)")
                    + ", expected a YAML mapping with the sections name, data, model, optimizer, training (see "
                    + "conf/examples/)");
        }
        Object tree = YamlReader.read(source, yaml);
        if (!(tree instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + ": expected a YAML mapping at the top level, got "
                    + (tree == null ? "an empty document" : tree instanceof List<?> ? "a list" : "'" + tree + "'"));
        }
        return new ConfigTree(deepCopy(map));
    }

    /** The tree (mutable copy owned by this object). */
    public Map<String, Object> root() {
        return root;
    }

    /**
     * Applies {@code path=value}: {@code path} is dot-separated map keys and list indices
     * ({@code model.layers.0.units}); {@code value} is read as YAML ({@code 5}, {@code 1e-3}, {@code [1, 28, 28]}).
     */
    @SuppressWarnings("unchecked")
    public void set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set expects path=value, got '" + assignment + "'");
        }
        String path = assignment.substring(0, eq).trim();
        String text = assignment.substring(eq + 1);
        if (text.isBlank()) {
            throw new IllegalArgumentException("--set " + path + "=: the value is empty; give a value, or "
                    + path + "=null to clear the field (back to its default)");
        }
        // null clears the field: the key is removed, as if the config had never given it.
        Object value = YamlReader.read("--set " + path, text);
        String[] keys = path.split("\\.");
        Object node = root;
        for (int i = 0; i < keys.length; i++) {
            boolean last = i == keys.length - 1;
            String key = keys[i];
            String where = String.join(".", java.util.Arrays.copyOf(keys, i + 1));
            if (node instanceof Map<?, ?> m) {
                Map<String, Object> map = (Map<String, Object>) m;
                if (last && value == null) {
                    map.remove(key);
                } else if (last) {
                    map.put(key, value);
                } else {
                    node = map.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
                }
            } else if (node instanceof List<?> l) {
                List<Object> list = (List<Object>) l;
                int index;
                try {
                    index = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--set " + path + ": " + where + " must be a list index, got '"
                            + key + "'");
                }
                if (index < 0 || index >= list.size()) {
                    throw new IllegalArgumentException("--set " + path + ": index " + index + " is outside the list of "
                            + list.size() + " entries");
                }
                if (last && value == null) {
                    throw new IllegalArgumentException("--set " + path + "=null: a list entry cannot be cleared; "
                            + "set the whole list instead");
                } else if (last) {
                    list.set(index, value);
                } else {
                    node = list.get(index);
                }
            } else {
                throw new IllegalArgumentException("--set " + path + ": " + where + " is a value, not a section");
            }
        }
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write config as YAML", e);
        }
    }

    private static Map<String, Object> deepCopy(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
        return out;
    }

    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(copyValue(x)));
            return out;
        }
        return v;
    }
}
