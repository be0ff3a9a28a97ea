package dev.sparktrain.jobs.cli;

import dev.sparktrain.jobs.config.ConfigTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Which data a saved model runs on (evaluate, predict). By default the model's own config's test set, read with
 * its format and options. {@code --data PATH} (with {@code --labels PATH} for IDX) replaces it; {@code --format F}
 * reads another format than training's (format options then come from {@code --set}); {@code --set data.x=v}
 * changes any data or training option, e.g. {@code --set data.header=true} or {@code --set training.workers=4}.
 */
final class ModelDataOptions {

    /** Data keys that survive a change of format: the transform is the model's, not the data's. */
    private static final Set<String> FORMAT_NEUTRAL = Set.of("normalize", "scale");

    @Option(names = "--data", paramLabel = "PATH",
            description = "Data to run on: a file, directory or glob (IDX: the images file). Default: the model's "
                    + "test data")
    String data;

    @Option(names = "--labels", paramLabel = "PATH", description = "IDX labels file for --data")
    String labels;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Format of --data if it differs from training's: idx, csv, libsvm, parquet, orc, json, table")
    String format;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a data or training option, e.g. --set data.header=true (repeatable)")
    List<String> overrides = new ArrayList<>();

    /** Whether the command needs labels (evaluate) or scores data without them too (predict). */
    private boolean labelsRequired = true;

    /** Set by {@link #applyTo}: IDX images given without a labels file. */
    private boolean unlabeledImages;

    /** For predict: data without labels is accepted (a CSV without the label column, IDX images alone). */
    ModelDataOptions labelsOptional() {
        labelsRequired = false;
        return this;
    }

    /** Whether {@code --data} names IDX images without {@code --labels} (read them alone, without labels). */
    boolean unlabeledImages() {
        return unlabeledImages;
    }

    /** Applies the options to a copy of the model's config tree. */
    @SuppressWarnings("unchecked")
    void applyTo(ConfigTree tree) {
        Object section = tree.root().get("data");
        Map<String, Object> dataMap = section instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        tree.root().put("data", dataMap);
        String trained = String.valueOf(dataMap.getOrDefault("format", "idx"));
        if (format != null && !format.equals(trained)) {
            if (data == null) {
                throw new IllegalArgumentException("--format " + format + " needs --data PATH");
            }
            dataMap.keySet().removeIf(k -> !FORMAT_NEUTRAL.contains(k));
            dataMap.put("format", format);
        }
        for (String o : overrides) {
            String path = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
            if (path.startsWith("model.") || path.equals("model")) {
                throw new IllegalArgumentException("--set " + path + ": the network of a saved model cannot change");
            }
            tree.set(o);
        }
        if (data == null) {
            if (labels != null) {
                throw new IllegalArgumentException("--labels needs --data PATH (the IDX images file)");
            }
            return;
        }
        if ("idx".equals(String.valueOf(dataMap.getOrDefault("format", "idx")))) {
            if (labels == null && labelsRequired) {
                throw new IllegalArgumentException("evaluate needs labels: give --labels PATH (the IDX labels file) "
                        + "with --data " + data + " (predict scores images without labels)");
            }
            unlabeledImages = labels == null;
            // Without labels the images stand in for the labels file the config format requires; ModelData reads
            // the images alone (unlabeledImages()).
            dataMap.put("train_images", data);
            dataMap.put("train_labels", labels == null ? data : labels);
            dataMap.put("test_images", data);
            dataMap.put("test_labels", labels == null ? data : labels);
        } else {
            if (labels != null) {
                throw new IllegalArgumentException("--labels is for format idx; format " + dataMap.get("format")
                        + " reads the label from --data (data.label_column)");
            }
            dataMap.put("train_path", data);
            dataMap.put("test_path", data);
        }
    }
}
