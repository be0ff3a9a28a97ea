package dev.sparktrain.ops.config;

/**
 * A config value out of its range, reported by the record that checks it under its own key name and the section
 * it usually sits in ({@code optimizer.lr must be > 0, got -1.0}). A factory that read the record from another
 * place re-anchors it with {@link #at}: the same check under {@code training.outer_optimizer} reads
 * {@code training.outer_optimizer.lr must be > 0, got -1.0}. In the problem text, {@code {}} stands for the
 * section prefix, so a check that names a sibling field moves with it.
 */
public final class InvalidField extends IllegalArgumentException {

    private final String key;
    private final String problem;

    /**
     * @param section the section the record usually sits in, e.g. {@code optimizer} (empty for none)
     * @param key     the record's own key, relative to the section, e.g. {@code lr} or {@code schedule.gamma}
     * @param problem what is wrong, e.g. {@code must be > 0, got -1.0}
     */
    public InvalidField(String section, String key, String problem) {
        super(prefix(section) + key + " " + problem.replace("{}", prefix(section)));
        this.key = key;
        this.problem = problem;
    }

    private InvalidField(String section, String key, String problem, InvalidField cause) {
        this(section, key, problem);
        initCause(cause);
    }

    /** The same problem for the record read from {@code path} (e.g. {@code training.outer_optimizer}). */
    public InvalidField at(String path) {
        return new InvalidField(path, key, problem, this);
    }

    private static String prefix(String section) {
        return section == null || section.isEmpty() ? "" : section + ".";
    }
}
