package dev.sparktrain.jobs.data.libsvm;

import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.GrowableFloats;
import dev.sparktrain.jobs.data.LabelSpec;
import dev.sparktrain.jobs.data.RawBlocks;
import dev.sparktrain.jobs.data.ReadRequest;
import dev.sparktrain.jobs.data.text.LineSource;
import dev.sparktrain.jobs.data.text.TextFiles;
import dev.sparktrain.jobs.data.text.TextPiece;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code data.format: libsvm}: lines {@code label index:value ...} with 1-based, increasing indices; missing indices
 * are zeros, text after {@code #} is a comment, blank lines are skipped. The files are cut into one byte range per
 * worker as for CSV. Without {@code num_features} one extra Spark job finds the largest index first.
 */
public final class LibSvmReader implements DatasetReader {

    private final int numFeatures;

    /** @param numFeatures features per row, or 0 to infer it from the largest index in the data */
    public LibSvmReader(int numFeatures) {
        if (numFeatures < 0) {
            throw new IllegalArgumentException("data.num_features must be >= 0 (0: inferred), got " + numFeatures);
        }
        this.numFeatures = numFeatures;
    }

    @Override
    public RawBlocks read(JavaSparkContext sc, ReadRequest request) {
        List<TextFiles.TextFile> files = TextFiles.list(sc.hadoopConfiguration(), request.path());
        List<List<TextPiece>> pieces = TextFiles.split(files, request.workers());
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < request.workers(); p++) {
            partitions.add(p);
        }
        LabelSpec labels = request.labels();
        float scale = request.scale();
        int size = numFeatures;
        if (size == 0) {
            sc.setJobGroup(dev.sparktrain.jobs.data.TrainingData.JOB_GROUP, "find the number of features of " + request.name() + " data", false);
            List<Integer> max = sc.parallelize(partitions, request.workers()).mapPartitionsWithIndex(
                    (p, ignored) -> List.of(parse(pieces.get(p), labels, 0, scale, null)).iterator(), true).collect();
            size = max.stream().mapToInt(Integer::intValue).max().orElse(0);
            if (size == 0) {
                throw new IllegalArgumentException(TextPiece.display(request.path()) + ": no features in any row "
                        + "(no index:value pairs); set data.num_features if all rows are zero");
            }
        }
        int featureSize = size;
        JavaRDD<DataBlock> blocks = sc.parallelize(partitions, request.workers()).mapPartitionsWithIndex((p, ignored) -> {
            GrowableFloats x = new GrowableFloats(featureSize * 64);
            GrowableFloats y = new GrowableFloats(64);
            parse(pieces.get(p), labels, featureSize, scale, new GrowableFloats[] {x, y});
            return List.of(new DataBlock(y.size(), featureSize, x.toArray(), y.toArray())).iterator();
        }, true);
        return new RawBlocks(blocks, featureSize, TextPiece.display(request.path()));
    }

    /**
     * Runs in a task: parses every line of {@code pieces}; with {@code out = {features, labels}} appends the rows
     * ({@code numFeatures} values each), without only checks them. Returns the largest index seen.
     */
    static int parse(List<TextPiece> pieces, LabelSpec labels, int numFeatures, float scale, GrowableFloats[] out) {
        Configuration conf = new Configuration();
        int max = 0;
        for (TextPiece piece : pieces) {
            try (LineSource lines = LineSource.open(conf, piece)) {
                for (String line = lines.next(); line != null; line = lines.next()) {
                    max = Math.max(max, LibSvmLine.parse(line, lines, labels, numFeatures, scale, out));
                }
            }
        }
        return max;
    }
}
