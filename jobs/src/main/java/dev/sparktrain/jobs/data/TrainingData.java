package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.config.DataConfig;
import dev.sparktrain.jobs.config.DataConfig.Normalize;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.frame.DataFrameBlocks;
import dev.sparktrain.ops.layers.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Reads the configured data sets into cached blocks, one per worker: the format's {@link DatasetReader} parses and
 * checks every row while it builds the blocks; then the row counts are checked (not empty, at least one row per
 * worker), uneven partitions are evened out and, with {@code data.normalize: standardize}, the training set's
 * statistics are computed (one job over the cached blocks) and applied to both sets. A bad row fails with the
 * reader's one-line message, not Spark's task failure report.
 */
public final class TrainingData {

    /** The Spark job group of reading and caching the data. */
    public static final String JOB_GROUP = "sparktrain-data";

    private TrainingData() {
    }

    /** Reads {@code run.data()}'s training set and, if given, its test set. */
    public static LoadedData load(JavaSparkContext sc, RunConfig run) {
        DataConfig data = run.data();
        DatasetReader reader = DatasetReaders.forConfig(data);
        LabelSpec labels = LabelSpec.forModel(run.model());
        int workers = run.training().workers();
        float scale = data.normalize() == Normalize.SCALE ? (float) data.scale() : 1f;
        CachedBlocks train = read(sc, reader, new ReadRequest("train", resolve(data, data.trainPaths()), workers,
                labels, scale), run.model().input());
        CachedBlocks test = null;
        try {
            test = data.hasTest() ? read(sc, reader, new ReadRequest("test", resolve(data, data.testPaths()), workers,
                    labels, scale), run.model().input()) : null;
            if (data.normalize() != Normalize.STANDARDIZE) {
                return new LoadedData(train, test, null);
            }
            Standardization st = TaskErrors.surface(() -> Standardization.fit(train));
            return new LoadedData(standardize(train, st, "train"), test == null ? null : standardize(test, st, "test"),
                    st);
        } catch (RuntimeException e) {
            train.release();
            if (test != null) {
                test.release();
            }
            throw e;
        }
    }

    /** Reads one IDX images/labels pair, as before other formats existed (classification, {@code data.scale}). */
    public static CachedBlocks load(JavaSparkContext sc, RunConfig run, String images, String labels, String name) {
        ReadRequest request = new ReadRequest(name, List.of(absolute(images), absolute(labels)),
                run.training().workers(), LabelSpec.forModel(run.model()), (float) run.data().scale());
        return read(sc, new dev.sparktrain.jobs.data.idx.IdxReader(), request, run.model().input());
    }

    /**
     * For library users: a DataFrame with a features column (Spark ML vector or array of float/double) and a numeric
     * label column, read into cached blocks on {@code workers} partitions.
     */
    public static CachedBlocks fromDataFrame(Dataset<Row> df, String featuresColumn, String labelColumn, int workers,
                                             LabelSpec labels) {
        return fromDataFrame(df, featuresColumn, labelColumn, workers, labels, 1f);
    }

    /** As above, every feature value multiplied by {@code scale} ({@code data.normalize: scale}). */
    public static CachedBlocks fromDataFrame(Dataset<Row> df, String featuresColumn, String labelColumn, int workers,
                                             LabelSpec labels, float scale) {
        ReadRequest request = new ReadRequest("train", List.of("DataFrame"), workers, labels, scale);
        return cache(TaskErrors.surface(() -> DataFrameBlocks.read(df, featuresColumn, labelColumn, workers, labels,
                scale, "DataFrame")), request);
    }

    /** Reads, checks the feature count against {@code input} (null: any), caches and checks the row counts. */
    public static CachedBlocks read(JavaSparkContext sc, DatasetReader reader, ReadRequest request, Shape input) {
        sc.setJobGroup(JOB_GROUP, "read and cache " + request.name() + " data", false);
        RawBlocks raw = TaskErrors.surface(() -> reader.read(sc, request));
        if (input != null && raw.featureSize() != input.size()) {
            throw new IllegalArgumentException(raw.source() + ": rows have " + raw.featureSize() + " features, but "
                    + "model.input_shape " + java.util.Arrays.toString(input.dims()) + " expects " + input.size());
        }
        return cache(raw, request);
    }

    /** Caches {@code raw}, checks the row counts and evens out the partitions if needed. */
    public static CachedBlocks cache(RawBlocks raw, ReadRequest request) {
        int workers = request.workers();
        String name = "sparktrain " + request.name() + " data";
        CachedBlocks blocks = TaskErrors.surface(() -> CachedBlocks.cache(raw.rdd(), workers, raw.featureSize(), name));
        long rows = blocks.totalRows();
        if (rows == 0 || rows < workers) {
            blocks.release();
            throw new IllegalArgumentException(rows == 0 ? raw.source() + ": the " + request.name() + " data set has "
                    + "no rows" : raw.source() + ": " + rows + " rows cannot feed " + workers + " workers "
                    + "(training.workers); use fewer workers or more data");
        }
        if (!Rebalance.needed(blocks.rowsPerPartition())) {
            return blocks;
        }
        return recache(blocks, Rebalance.evenly(blocks), name);
    }

    /** {@code blocks} standardized with {@code st} and cached; {@code blocks} itself is released. */
    public static CachedBlocks standardize(CachedBlocks blocks, Standardization st, String name) {
        return recache(blocks, blocks.rdd().map(st::apply), "sparktrain " + name + " data");
    }

    /** Caches {@code next} (computed from {@code old}), then releases {@code old}. */
    private static CachedBlocks recache(CachedBlocks old, JavaRDD<DataBlock> next, String name) {
        try {
            return TaskErrors.surface(() -> CachedBlocks.cache(next, old.rowsPerPartition().length, old.featureSize(),
                    name));
        } finally {
            old.release();
        }
    }

    private static List<String> resolve(DataConfig data, List<String> paths) {
        List<String> out = new ArrayList<>();
        for (String p : paths) {
            out.add("table".equals(data.format()) ? p : absolute(p));
        }
        return out;
    }

    /** Local paths (globs too) become absolute {@code file:} URIs (executors may run elsewhere); URIs are kept. */
    static String absolute(String path) {
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !path.matches("^[a-zA-Z]:\\\\.*")) {
            return path;
        }
        return "file:" + Path.of(path).toAbsolutePath().normalize();
    }
}
