package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.config.RunConfig;
import dev.sparktrain.jobs.data.DataConfig.Normalize;
import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.RawBlocks;
import dev.sparktrain.jobs.data.ReadRequest;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.jobs.data.TaskErrors;
import dev.sparktrain.jobs.data.formats.DataFormats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The first rows of a config's training set, read and checked by the format's reader and normalised as training
 * would, for debugging on a few real samples (gradcheck, sanity). Only the partitions needed are computed. With
 * {@code data.normalize: standardize} the mean and std are those of the rows read (not of the whole training set).
 */
public final class TrainingSample {

    private TrainingSample() {
    }

    /** Up to {@code rows} rows (fewer if the data set is smaller) as one batch. */
    public static Batch first(JavaSparkContext sc, RunConfig run, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("sample size must be >= 1, got " + rows);
        }
        DataConfig data = run.data();
        List<String> paths = new ArrayList<>();
        for (String p : data.trainPaths()) {
            paths.add("table".equals(data.format()) ? p : TrainingData.absolute(p));
        }
        float scale = data.normalize() == Normalize.SCALE ? (float) data.scale() : 1f;
        ReadRequest request = new ReadRequest("train", paths, run.training().workers(),
                LabelSpec.forModel(run.model()), scale);
        DatasetReader reader = DataFormats.readerFor(data);
        RawBlocks raw = TaskErrors.surface(() -> reader.read(sc, request));
        long inputs = run.model().input().size();
        if (raw.featureSize() != inputs) {
            throw new IllegalArgumentException(raw.source() + ": rows have " + raw.featureSize() + " features, but "
                    + "model.input_shape " + Arrays.toString(run.model().input().dims()) + " expects " + inputs);
        }
        List<DataBlock> blocks = new ArrayList<>();
        int have = 0;
        Iterator<DataBlock> it = TaskErrors.surface(() -> raw.rdd().toLocalIterator());
        while (have < rows && TaskErrors.surface(it::hasNext)) {
            DataBlock b = TaskErrors.surface(it::next);
            blocks.add(b);
            have += b.rows();
        }
        if (have == 0) {
            throw new IllegalArgumentException(raw.source() + ": the training data set has no rows");
        }
        DataBlock all = DataBlock.concat(blocks, raw.featureSize());
        if (data.normalize() == Normalize.STANDARDIZE) {
            all = standardization(all).apply(all);
        }
        return Batch.slice(all, 0, Math.min(rows, all.rows()));
    }

    /** Mean and population std of the block's rows per feature (std 1 where a feature is constant). */
    static Standardization standardization(DataBlock block) {
        int f = block.featureSize();
        double[] sum = new double[f];
        double[] sq = new double[f];
        float[] x = block.features();
        for (int r = 0, at = 0; r < block.rows(); r++) {
            for (int j = 0; j < f; j++, at++) {
                sum[j] += x[at];
            }
        }
        float[] mean = new float[f];
        for (int j = 0; j < f; j++) {
            mean[j] = (float) (sum[j] / block.rows());
        }
        for (int r = 0, at = 0; r < block.rows(); r++) {
            for (int j = 0; j < f; j++, at++) {
                double d = x[at] - mean[j];
                sq[j] += d * d;
            }
        }
        float[] std = new float[f];
        for (int j = 0; j < f; j++) {
            float s = (float) Math.sqrt(sq[j] / block.rows());
            std[j] = s > 0 ? s : 1f;
        }
        return new Standardization(mean, std);
    }
}
