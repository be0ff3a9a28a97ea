package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.config.DataConfig;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.DatasetReaders;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.ReadRequest;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.jobs.data.TaskErrors;
import dev.sparktrain.jobs.data.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Reads the data set a saved model is evaluated on or predicts for: the test set of {@code run.data()} (its format
 * and options), transformed with the model's {@link ModelNormalization} rather than statistics of the new data.
 * The blocks keep the input's row order: partition {@code p} holds the rows after those of partitions {@code < p}.
 */
public final class ModelData {

    private ModelData() {
    }

    /** The test set of {@code run}, read into {@code training.workers} cached blocks and normalised. */
    public static CachedBlocks read(JavaSparkContext sc, RunConfig run, ModelNormalization normalization) {
        return read(sc, run, normalization, false, false);
    }

    /**
     * As above; with {@code labelsOptional} (predict) data without labels is read too, its rows labelled NaN;
     * {@code imagesOnly}: IDX images without a labels file.
     */
    public static CachedBlocks read(JavaSparkContext sc, RunConfig run, ModelNormalization normalization,
                                    boolean labelsOptional, boolean imagesOnly) {
        requireData(run);
        DataConfig data = run.data();
        List<String> paths = new ArrayList<>();
        for (String p : imagesOnly ? data.testPaths().subList(0, 1) : data.testPaths()) {
            paths.add("table".equals(data.format()) ? p : absolute(p));
        }
        ReadRequest request = new ReadRequest("test", paths, run.training().workers(),
                LabelSpec.forModel(run.model()), normalization.readScale());
        if (labelsOptional) {
            request = request.unlabeledAllowed();
        }
        CachedBlocks blocks = TrainingData.read(sc, DatasetReaders.forConfig(data), request, run.model().input());
        Standardization st = normalization.standardization();
        if (st == null) {
            return blocks;
        }
        try {
            JavaRDD<DataBlock> standardized = blocks.rdd().map(st::apply);
            return TaskErrors.surface(() -> CachedBlocks.cache(standardized, blocks.rowsPerPartition().length,
                    blocks.featureSize(), "sparktrain test data"));
        } finally {
            blocks.release();
        }
    }

    /** Throws unless {@code run}'s data section names a test set (checked before Spark starts). */
    public static void requireData(RunConfig run) {
        if (!run.data().hasTest()) {
            throw new IllegalArgumentException("no data given: use --data PATH (with --labels PATH for format idx), or "
                    + "--set data.test_path=... / data.test_images=...");
        }
    }

    /** Local paths (and globs) as absolute {@code file:} URIs, as training resolves them; URIs are kept. */
    static String absolute(String path) {
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !path.matches("^[a-zA-Z]:\\\\.*")) {
            return path;
        }
        return "file:" + Path.of(path).toAbsolutePath().normalize();
    }
}
