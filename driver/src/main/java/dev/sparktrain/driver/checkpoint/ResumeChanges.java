package dev.sparktrain.driver.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What may differ between the config a checkpoint was written with and the config that resumes it. The run goes on
 * from the checkpoint's parameters, optimizer state and position, so everything that decides the maths of a step
 * must be equal: the model, the optimizer (its schedule's horizon included, e.g. {@code decay_steps}: schedules
 * count optimizer steps, never the run's total, so extending a run leaves them as they were) and the training
 * fields that shape rounds (mode, workers, batch size, seed, local steps, ...). What only says how long to train, when
 * to stop, how often to checkpoint or how to evaluate may change: {@link #MAY_CHANGE} here, and the config sections
 * that are not compared at all ({@code name}, {@code checkpoint}, {@code spark}, and {@code data} but for
 * {@code data.augment}, which decides what every training step sees).
 */
public final class ResumeChanges {

    /** Sections compared field by field. */
    static final List<String> COMPARED = List.of("model", "optimizer", "training");
    /** The one compared part of the {@code data} section. */
    static final String AUGMENT = "augment";

    /** Fields (and everything under them) of the compared sections that a resumed run may change. */
    public static final List<String> MAY_CHANGE = List.of("training.epochs", "training.early_stopping",
            "training.eval_batch_size", "training.transport", "training.exchange.topology");

    private ResumeChanges() {
    }

    /** The dotted paths of fields that differ and may not, sorted; empty when the checkpoint fits. */
    public static List<String> forbidden(Map<String, ?> saved, Map<String, ?> current) {
        List<String> out = new ArrayList<>();
        for (String path : differing(saved, current)) {
            if (MAY_CHANGE.stream().noneMatch(allowed -> path.equals(allowed) || path.startsWith(allowed + "."))) {
                out.add(path);
            }
        }
        return out;
    }

    /**
     * Throws {@link Refused} naming every field that differs and may not, with both values of the first, and the
     * ways out.
     */
    static void requireFits(Path checkpoint, Map<String, ?> saved, Map<String, ?> current) {
        List<String> fields = forbidden(saved, current);
        if (fields.isEmpty()) {
            return;
        }
        String first = fields.get(0);
        throw new Refused("checkpoint " + checkpoint + " does not fit this config: " + first + " is "
                + render(valueAt(saved, first)) + " in the run, " + render(valueAt(current, first)) + " now"
                + (fields.size() > 1 ? " (also " + String.join(", ", fields.subList(1, fields.size())) + ")" : "")
                + "; a resumed run may change only " + String.join(", ", MAY_CHANGE)
                + " and the data (but data.augment), checkpoint and spark sections; for other changes start a new run"
                + " (another --out)"
                + " or replace this one with --overwrite");
    }

    /** A checkpoint that is intact but was written under a config that differs where it may not. */
    public static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    private static Object valueAt(Map<String, ?> config, String path) {
        Object node = config;
        for (String key : path.split("\\.")) {
            if (node instanceof Map<?, ?> m) {
                node = m.get(key);
            } else if (node instanceof List<?> l && key.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(key) < l.size()) {
                node = l.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return node;
    }

    private static String render(Object value) {
        return value == null ? "unset" : String.valueOf(value);
    }

    /** Whether the value at {@code path} (dotted) differs. */
    static boolean differs(Map<String, ?> saved, Map<String, ?> current, String path) {
        return differing(saved, current).stream().anyMatch(p -> p.equals(path) || p.startsWith(path + "."));
    }

    private static List<String> differing(Map<String, ?> saved, Map<String, ?> current) {
        List<String> out = new ArrayList<>();
        for (String section : COMPARED) {
            collect(section, saved.get(section), current.get(section), out);
        }
        collect("data." + AUGMENT, augment(saved), augment(current), out);
        return out;
    }

    private static Object augment(Map<String, ?> config) {
        return config.get("data") instanceof Map<?, ?> data ? data.get(AUGMENT) : null;
    }

    private static void collect(String path, Object a, Object b, List<String> out) {
        // A section on one side only is compared field by field against none: its fields are what differs.
        if (a == null && b instanceof Map<?, ?>) {
            a = Map.of();
        } else if (b == null && a instanceof Map<?, ?>) {
            b = Map.of();
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                collect(path + "." + k, ma.get(k), mb.get(k), out);
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            Iterator<?> ia = la.iterator();
            Iterator<?> ib = lb.iterator();
            for (int i = 0; ia.hasNext(); i++) {
                collect(path + "." + i, ia.next(), ib.next(), out);
            }
        } else if (!sameValue(a, b)) {
            out.add(path);
        }
    }

    /** Equal values; numbers by value, so 10 and 10.0 (YAML int against a --set double) are the same. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return a == null ? b == null : b != null && String.valueOf(a).equals(String.valueOf(b));
    }
}
