package dev.sparktrain.ops.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of one configured item (a layer, a loss, an optimizer), read with typed getters that name the
 * field in every error ("layers[2].units must be an integer, got 'abc'"). {@link #done()} rejects the keys that
 * were never read, with a "did you mean" suggestion.
 */
public final class Options {

    private final String path;
    private final Map<String, Object> values;
    private final Set<String> read = new TreeSet<>();

    public Options(String path, Map<String, ?> values) {
        this.path = path;
        this.values = new LinkedHashMap<>(values);
    }

    public String path() {
        return path;
    }

    public String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        Object v = require(key);
        return String.valueOf(v);
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** A whole number that fits an int; see {@link #integer(String, int, int)}. */
    public int integer(String key) {
        return integer(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public int integer(String key, int fallback) {
        return has(key) ? integer(key) : fallback;
    }

    /**
     * A whole number in {@code [min, max]}: {@code 12}, {@code 12.0} or {@code "12"}; anything else (a fraction,
     * text, a value out of range such as {@code 1e12}) is refused with
     * {@code "training.epochs: expected a whole number in [1, 1000000], got 1e12"}.
     */
    public int integer(String key, int min, int max) {
        return (int) whole(key, min, max);
    }

    /** As {@link #integer(String, int, int)}, {@code fallback} when the key is not given. */
    public int integer(String key, int fallback, int min, int max) {
        return has(key) ? integer(key, min, max) : fallback;
    }

    /** A whole number in {@code [min, max]} that may need 64 bits (seeds). */
    public long longInteger(String key, long fallback, long min, long max) {
        return has(key) ? whole(key, min, max) : fallback;
    }

    private long whole(String key, long min, long max) {
        Object v = require(key);
        Long whole = null;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            whole = ((Number) v).longValue();
        } else if (v instanceof java.math.BigInteger b && b.bitLength() < 64) {
            whole = b.longValue();
        } else if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 0x1p62) {
            whole = (long) n.doubleValue();
        } else if (!(v instanceof Number)) {
            try {
                whole = Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                whole = null;
            }
        }
        if (whole == null || whole < min || whole > max) {
            throw new IllegalArgumentException(field(key) + ": expected a whole number in [" + min + ", " + max
                    + "], got " + show(v));
        }
        return whole;
    }

    /** A value as the user wrote it, near enough: {@code 1e12} rather than {@code 1.0E12}. */
    static String show(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && (Math.abs(d) >= 1e7 || (d != 0 && Math.abs(d) < 1e-4))) {
                return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toString().toLowerCase(java.util.Locale.ROOT)
                        .replace("e+", "e");
            }
            return d == Math.rint(d) && Double.isFinite(d) ? Long.toString((long) d) + ".0" : Double.toString(d);
        }
        String s = String.valueOf(v);
        return v instanceof String ? "'" + s + "'" : s;
    }

    public double number(String key) {
        Object v = require(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field(key) + " must be a number, got '" + v + "'");
        }
    }

    public double number(String key, double fallback) {
        return has(key) ? number(key) : fallback;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        Object v = require(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(field(key) + " must be true or false, got '" + v + "'");
        };
    }

    /** A list of integers, given as a YAML list or a single integer repeated {@code size} times. */
    public int[] integers(String key, int size) {
        Object v = require(key);
        if (v instanceof List<?> list) {
            if (list.size() != size) {
                throw new IllegalArgumentException(field(key) + " must have " + size + " entries, got " + list.size());
            }
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = new Options(field(key), Map.of(String.valueOf(i), list.get(i))).integer(String.valueOf(i));
            }
            return out;
        }
        int single = integer(key);
        int[] out = new int[size];
        java.util.Arrays.fill(out, single);
        return out;
    }

    /** A number or a YAML list of numbers (a per-class weight list, say), as a list; errors name the entry. */
    public List<Double> numbers(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> list)) {
            return List.of(number(key));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(field(key) + " must be a number or a non-empty list of numbers, got []");
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(new Options(field(key), Map.of(String.valueOf(i), list.get(i))).number(String.valueOf(i)));
        }
        return List.copyOf(out);
    }

    /** True when {@code key} is given as a nested map ({@code {type: leaky_relu, alpha: 0.2}}). */
    public boolean isMap(String key) {
        return values.get(key) instanceof Map<?, ?>;
    }

    /** The nested options under {@code key}, whose errors name {@code path.key.field}. */
    public Options sub(String key) {
        Object v = require(key);
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field(key) + " must be a map of options, got '" + v + "'");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, value) -> copy.put(String.valueOf(k), value));
        return new Options(field(key), copy);
    }

    /**
     * The nested list of items under {@code key} (a YAML list of maps, such as a block's layers), each with its own
     * options whose errors name {@code path.key[i].field}.
     */
    public List<Options> subList(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(field(key) + " must be a non-empty list of maps, got '" + v + "'");
        }
        List<Options> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String itemPath = field(key) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(itemPath + " must be a map of options, got '" + list.get(i) + "'");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, value) -> copy.put(String.valueOf(k), value));
            out.add(new Options(itemPath, copy));
        }
        return out;
    }

    /** Marks every remaining key as an error: the first unknown key, with the closest known one. */
    public void done(Set<String> known) {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + field(key) + "'" + Suggestions.didYouMean(key,
                        known));
            }
        }
    }

    private Object require(String key) {
        read.add(key);
        Object v = values.get(key);
        if (v == null) {
            // A missing required key next to an unknown one is usually a typo: report the typo.
            for (String given : values.keySet()) {
                if (!read.contains(given) && Suggestions.didYouMean(given, Set.of(key)).contains("did you mean")) {
                    throw new IllegalArgumentException("unknown field '" + field(given) + "'; did you mean '" + key
                            + "'?");
                }
            }
            throw new IllegalArgumentException(field(key) + " is required");
        }
        return v;
    }

    /** The keys this item was given. */
    public List<String> keys() {
        return new ArrayList<>(values.keySet());
    }
}
