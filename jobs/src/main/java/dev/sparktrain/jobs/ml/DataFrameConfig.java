package dev.sparktrain.jobs.ml;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.config.RunConfigParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sparktrain configuration of an estimator that trains on a DataFrame: the same YAML as the CLI's, with
 * {@code path=value} overrides applied as {@code --set} does. The data comes from {@code fit()}, so of the
 * {@code data} section only {@code normalize}, {@code scale} and {@code augment} are kept (a CLI config can be reused
 * as it is); the section saved with the model says the data was a DataFrame. The {@code spark} section is dropped:
 * the DataFrame's own session runs the training.
 */
final class DataFrameConfig {

    /** What {@code data.train_path} says in a model trained through the Spark ML API. */
    static final String DATAFRAME = "<DataFrame given to fit>";

    private DataFrameConfig() {
    }

    /** The resolved tree; validated by {@link #parse}. */
    static ConfigTree resolve(String yaml, List<String> assignments) {
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException("config is not set: give the sparktrain YAML with setConfig(text) or "
                    + "setConfigFile(path)");
        }
        ConfigTree tree = ConfigTree.parse("config", yaml);
        assignments.forEach(tree::set);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("format", "table");
        data.put("train_path", DATAFRAME);
        if (tree.root().get("data") instanceof Map<?, ?> given) {
            for (String kept : List.of("normalize", "scale", "augment")) {
                if (given.containsKey(kept)) {
                    data.put(kept, given.get(kept));
                }
            }
        }
        tree.root().put("data", data);
        tree.root().remove("spark");
        return tree;
    }

    static RunConfig parse(ConfigTree tree) {
        return RunConfigParser.parse(tree);
    }
}
