package dev.sparktrain.jobs.data.idx;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.RawBlocks;
import dev.sparktrain.jobs.data.ReadRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code data.format: idx}: an images file and a labels file ({@link ReadRequest#paths()} {@code [images, labels]}).
 * The driver validates both files; each task reads its own contiguous range of items and checks them (finite
 * values for float/double files, labels against the {@link LabelSpec}), naming the file and the 0-based item index.
 */
public final class IdxReader implements DatasetReader {

    @Override
    public RawBlocks read(JavaSparkContext sc, ReadRequest request) {
        boolean unlabeled = request.paths().size() == 1 && request.labelsOptional();
        if (request.paths().size() != 2 && !unlabeled) {
            throw new IllegalArgumentException("format idx needs an images and a labels file, got " + request.paths());
        }
        String imagesUri = request.paths().get(0);
        // Images without a labels file (predict): every row's label is NaN.
        String labelsUri = unlabeled ? null : request.paths().get(1);
        long rows;
        int rowSize;
        if (unlabeled) {
            IdxHeader header = IdxFile.validate(sc.hadoopConfiguration(), imagesUri);
            if (header.dims().size() < 2) {
                throw new IllegalArgumentException(imagesUri + ": images must have at least 2 dimensions (items, then "
                        + "the shape of one item), found " + header.dims().size() + ": " + header.dims());
            }
            rows = header.items();
            rowSize = header.rowSize();
        } else {
            IdxPair pair = IdxPair.validate(sc.hadoopConfiguration(), imagesUri, labelsUri);
            rows = pair.items();
            rowSize = pair.rowSize();
        }
        int workers = request.workers();
        float scale = request.scale();
        LabelSpec labels = unlabeled ? null : request.labels();
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < workers; p++) {
            partitions.add(p);
        }
        JavaRDD<DataBlock> blocks = sc.parallelize(partitions, workers).mapPartitionsWithIndex((p, ignored) -> {
            long start = rows * p / workers;
            int count = Math.toIntExact(rows * (p + 1) / workers - start);
            float[] x = IdxFile.readRows(imagesUri, start, count, scale);
            float[] y;
            if (labelsUri == null) {
                y = new float[count];
                java.util.Arrays.fill(y, Float.NaN);
            } else {
                y = IdxFile.readRows(labelsUri, start, count, 1f);
            }
            check(imagesUri, labelsUri, start, count, rowSize, x, y, labels);
            return List.of(new DataBlock(count, rowSize, x, y)).iterator();
        }, true);
        return new RawBlocks(blocks, rowSize, imagesUri);
    }

    /**
     * Throws naming the file and item index of the first non-finite value or unacceptable label (labels null: not
     * checked).
     */
    static void check(String images, String labelsFile, long start, int count, int rowSize, float[] x, float[] y,
                      LabelSpec labels) {
        for (int i = 0; i < count; i++) {
            for (int j = i * rowSize; j < (i + 1) * rowSize; j++) {
                if (!Float.isFinite(x[j])) {
                    throw new IllegalArgumentException(String.format("%s item %d: value %d is %s, expected a finite "
                            + "number", images, start + i, j - i * rowSize, x[j]));
                }
            }
            String problem = labels == null ? null : labels.problem(y[i]);
            if (problem != null) {
                throw new IllegalArgumentException(labelsFile + " item " + (start + i) + ": " + problem);
            }
        }
    }
}
