package dev.sparktrain.ops.config;

/**
 * One key a configured kind accepts: its name, and either its default (an optional key) or an example value (a
 * required key, or an optional one whose default depends on other keys, such as a pooling stride that defaults to
 * the kernel). The declarations are what {@link Kind#create} accepts, and what a registry test builds every kind
 * from.
 */
public record ConfigKey(String name, boolean required, Object value, String derivedDefault) {

    public ConfigKey {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a config key needs a name");
        }
        if (value == null) {
            throw new IllegalArgumentException("config key '" + name + "' needs a default or an example value");
        }
    }

    /** A key that must be given; {@code example} is a valid value. */
    public static ConfigKey required(String name, Object example) {
        return new ConfigKey(name, true, example, null);
    }

    /** A key that may be left out, taking {@code defaultValue}. */
    public static ConfigKey optional(String name, Object defaultValue) {
        return new ConfigKey(name, false, defaultValue, null);
    }

    /** A key that may be left out, with a default that depends on other keys ({@code how}); {@code example} is valid. */
    public static ConfigKey derived(String name, Object example, String how) {
        return new ConfigKey(name, false, example, how);
    }

    /** True when leaving the key out is the same as giving {@link #value}. */
    public boolean hasFixedDefault() {
        return !required && derivedDefault == null;
    }
}
