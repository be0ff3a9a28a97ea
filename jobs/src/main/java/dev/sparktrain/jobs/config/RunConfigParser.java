package dev.sparktrain.jobs.config;

import dev.sparktrain.driver.stopping.EarlyStopping;
import dev.sparktrain.driver.ExchangeConfig;
import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.data.Augmentation;
import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.jobs.data.DataFormat;
import dev.sparktrain.jobs.data.formats.DataFormats;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Suggestions;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.LayerSpecs;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.losses.Losses;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.regularization.Regularization;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link ConfigTree} into a validated {@link RunConfig}. Every field is checked where it is read; unknown
 * keys are rejected with the closest known name; defaults live in the records' {@code defaults()}.
 */
public final class RunConfigParser {

    private static final Set<String> MODEL_KEYS = Set.of("input_shape", "layers", "loss", "regularization");
    private static final Set<String> TOP = Set.of("name", "data", "model", "optimizer", "training", "checkpoint",
            "spark", "tracking");

    /** Epochs, steps, checkpoint cadences and counts: more than any run needs, small enough not to overflow. */
    static final int MAX_COUNT = 1_000_000;
    /** Rows per batch (a batch is one array of rows x features floats). */
    static final int MAX_BATCH = 1 << 20;
    /**
     * Data partitions. Every worker is a Spark task in every round and a thread of a local master: beyond this the
     * rounds are all scheduling (ask for more with a bigger batch per worker instead).
     */
    public static final int MAX_WORKERS = 1024;
    /** Features of a LibSVM row. */
    static final int MAX_FEATURES = 1 << 26;

    /** DiLoCo's outer optimizer: Nesterov momentum 0.9 with learning rate 0.7 on the pseudo-gradient. */
    static final Map<String, Object> DEFAULT_OUTER = Map.of("type", "sgd", "lr", 0.7, "momentum", 0.9,
            "nesterov", true);

    private RunConfigParser() {
    }

    public static RunConfig parse(ConfigTree tree) {
        Map<String, Object> root = tree.root();
        for (String key : root.keySet()) {
            if (!TOP.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + key + "'" + Suggestions.didYouMean(key, TOP));
            }
        }
        Options top = new Options("", Map.of("name", root.getOrDefault("name", "model")));
        String name = top.string("name");
        Map<String, Object> dataSection = new LinkedHashMap<>(section(root, "data", true));
        Object augmentSection = dataSection.remove("augment");
        DataConfig data = data(dataSection);
        Augmentation augmentation = augmentSection == null ? Augmentation.NONE
                : augmentation(new Options("data.augment", sectionValue(augmentSection, "data.augment")));
        NetworkSpec model = model(section(root, "model", true));
        augmentation.requireImages(model.input());
        Optimizer optimizer = Optimizers.create("optimizer", section(root, "optimizer", true)).optimizer();
        Map<String, Object> trainingSection = new LinkedHashMap<>(section(root, "training", false));
        Object earlySection = trainingSection.remove("early_stopping");
        TrainingConfig training = training(trainingSection).withAugmentation(augmentation);
        EarlyStopping earlyStopping = earlySection == null ? null
                : earlyStopping(new Options("training.early_stopping",
                        sectionValue(earlySection, "training.early_stopping")));
        Options c = new Options("checkpoint", section(root, "checkpoint", false));
        CheckpointPolicy d = CheckpointPolicy.defaults();
        CheckpointPolicy checkpoint = new CheckpointPolicy(c.integer("every_epochs", d.everyEpochs(), 1, MAX_COUNT),
                c.integer("every_rounds", d.everyRounds(), 0, MAX_COUNT), c.integer("keep", d.keep(), 1, MAX_COUNT));
        c.done(Set.of("every_epochs", "every_rounds", "keep"));
        Options spark = new Options("spark", section(root, "spark", false));
        String master = spark.has("master") ? SparkMaster.check(spark.field("master"), spark.string("master")) : null;
        spark.done(Set.of("master"));
        Options tracking = new Options("tracking", section(root, "tracking", false));
        MlflowConfig mlflow = tracking.has("mlflow") ? MlflowConfig.parse(tracking.sub("mlflow")) : null;
        tracking.done(Set.of("mlflow"));
        return new RunConfig(name, data, model, optimizer, training, earlyStopping, checkpoint, master, mlflow, tree);
    }

    private static DataConfig data(Map<String, Object> map) {
        Options o = new Options("data", map);
        String format = o.string("format", DataConfig.DEFAULT_FORMAT);
        DataFormat chosen = DataFormats.find(format).orElseThrow(() -> new IllegalArgumentException(
                "data.format must be one of " + DataFormats.names() + ", got '" + format + "'"
                        + Suggestions.didYouMean(format, Set.copyOf(DataFormats.names()))));
        Set<String> allowed = chosen.keyNames();
        Set<String> all = DataFormats.allKeys();
        for (String key : map.keySet()) {
            if (!all.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + o.field(key) + "'"
                        + Suggestions.didYouMean(key, all));
            }
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("data." + key + " does not apply to format " + format
                        + "; its fields are " + allowed);
            }
        }
        java.util.function.UnaryOperator<String> optional = key -> o.has(key) ? o.string(key) : null;
        DataConfig data = new DataConfig(format,
                optional.apply("train_images"), optional.apply("train_labels"),
                optional.apply("test_images"), optional.apply("test_labels"),
                optional.apply("train_path"), optional.apply("test_path"),
                o.bool("header", DataConfig.DEFAULT_HEADER), o.string("delimiter", DataConfig.DEFAULT_DELIMITER),
                o.string("label_column", DataConfig.DEFAULT_LABEL_COLUMN),
                DataConfig.columns(map.get("feature_columns")),
                o.string("features_column", DataConfig.DEFAULT_FEATURES_COLUMN),
                o.integer("num_features", DataConfig.DEFAULT_NUM_FEATURES, 0, MAX_FEATURES),
                DataConfig.Normalize.parse(o.string("normalize", DataConfig.DEFAULT_NORMALIZE)),
                o.number("scale", DataConfig.DEFAULT_SCALE));
        if (map.containsKey("feature_columns")) {
            o.string("feature_columns");
        }
        o.done(all);
        return data;
    }

    /**
     * {@code data.augment}: {@code random_crop: {padding: P}} and {@code horizontal_flip: true}; an empty section
     * augments nothing.
     */
    private static Augmentation augmentation(Options o) {
        int padding = 0;
        if (o.has("random_crop")) {
            Options crop = o.sub("random_crop");
            padding = crop.integer("padding", 1, MAX_BATCH);
            crop.done(Set.of("padding"));
        }
        Augmentation augmentation = new Augmentation(padding, o.bool("horizontal_flip", false));
        o.done(Set.of("random_crop", "horizontal_flip"));
        return augmentation;
    }

    private static NetworkSpec model(Map<String, Object> map) {
        for (String key : map.keySet()) {
            if (!MODEL_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown field 'model." + key + "'"
                        + Suggestions.didYouMean(key, MODEL_KEYS));
            }
        }
        Options o = new Options("model", map);
        Shape input = new Shape(toLongs(o.integers("input_shape", listSize(map.get("input_shape"), "model.input_shape"))));
        Object layersValue = map.get("layers");
        if (!(layersValue instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("model.layers must be a non-empty list of layers, got " + layersValue);
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "model.layers[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> layer)) {
                throw new IllegalArgumentException(path + " must be a mapping such as {type: dense, units: 10}, got "
                        + list.get(i));
            }
            layers.add(LayerSpecs.create(new Options(path, stringKeys(layer))));
        }
        Object lossValue = map.get("loss");
        Map<String, Object> lossMap = lossValue instanceof Map<?, ?> m ? stringKeys(m)
                : lossValue == null ? Map.of() : Map.of("type", lossValue);
        if (lossMap.isEmpty()) {
            throw new IllegalArgumentException("model.loss is required, e.g. softmax_cross_entropy");
        }
        Loss loss = Losses.create(new Options("model.loss", lossMap));
        Regularization regularization = map.get("regularization") == null ? Regularization.NONE
                : Regularization.create(new Options("model.regularization",
                        sectionValue(map.get("regularization"), "model.regularization")));
        return new NetworkSpec(input, layers, loss, regularization);
    }

    private static TrainingConfig training(Map<String, Object> map) {
        Map<String, Object> values = new LinkedHashMap<>(map);
        Object outerSection = values.remove("outer_optimizer");
        Options o = new Options("training", values);
        TrainingConfig d = TrainingConfig.defaults();
        TrainingMode mode = TrainingMode.parse(o.field("mode"), o.string("mode", d.mode().configName()));
        // A given section is validated in every mode, so one config serves all modes (--set training.mode=...);
        // only outer mode uses it.
        Optimizer outer = Optimizers.create("training.outer_optimizer", outerSection == null ? DEFAULT_OUTER
                : sectionValue(outerSection, "training.outer_optimizer")).optimizer();
        if (mode != TrainingMode.OUTER) {
            outer = null;
        }
        TrainingConfig t = new TrainingConfig(
                mode,
                o.integer("epochs", d.epochs(), 1, MAX_COUNT),
                o.integer("batch_size_per_worker", d.batchSizePerWorker(), 1, MAX_BATCH),
                o.integer("workers", d.workers(), 1, MAX_WORKERS),
                o.longInteger("seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
                o.bool("drop_last_batch", d.dropLastBatch()),
                o.integer("eval_batch_size", d.evalBatchSize(), 1, MAX_BATCH),
                o.integer("local_steps", d.localSteps(), 1, MAX_COUNT),
                InnerStatePolicy.parse(o.field("inner_state"), o.string("inner_state", d.innerState().configName())),
                outer,
                RoundTransport.parse(o.field("transport"), o.string("transport", d.transport().configName())),
                o.has("exchange") ? exchange(o.sub("exchange")) : d.exchange(),
                d.augmentation());
        o.done(Set.of("mode", "epochs", "batch_size_per_worker", "workers", "seed", "drop_last_batch",
                "eval_batch_size", "local_steps", "inner_state", "outer_optimizer", "early_stopping", "transport",
                "exchange"));
        return t;
    }

    private static ExchangeConfig exchange(Options o) {
        ExchangeConfig d = ExchangeConfig.defaults();
        ExchangeConfig exchange = new ExchangeConfig(
                ExchangeTopology.parse(o.field("topology"), o.string("topology", d.topology().configName())),
                WirePrecision.parse(o.field("pseudo_gradient"), o.string("pseudo_gradient",
                        d.pseudoGradient().configName())));
        o.done(Set.of("topology", "pseudo_gradient"));
        return exchange;
    }

    private static EarlyStopping earlyStopping(Options o) {
        EarlyStopping rule = new EarlyStopping(o.string("monitor", "test_loss"), o.integer("patience", 3, 1, MAX_COUNT),
                o.number("min_delta", 0.0));
        o.done(Set.of("monitor", "patience", "min_delta"));
        return rule;
    }

    private static int listSize(Object value, String field) {
        if (value instanceof List<?> l) {
            return l.size();
        }
        if (value == null) {
            throw new IllegalArgumentException(field + " is required, e.g. [784] or [1, 28, 28]");
        }
        return 1;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] <= 0) {
                throw new IllegalArgumentException("model.input_shape entries must be > 0, got " + values[i]);
            }
            out[i] = values[i];
        }
        return out;
    }

    private static Map<String, Object> sectionValue(Object value, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + " must be a section (a mapping), got " + value);
        }
        return stringKeys(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> root, String key, boolean required) {
        Object value = root.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("section '" + key + "' is required");
            }
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'" + key + "' must be a section (a mapping), got " + value);
        }
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
