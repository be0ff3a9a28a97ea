package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's per-row outputs on cached blocks, computed lazily by the Spark jobs that consume {@link #rdd()} (one
 * block per partition, rows in the input's order). Batches are cut exactly as the driver's {@code Evaluator} cuts
 * them, and the predicted class is chosen as there (the arg-max, or p ≥ 0.5 for one sigmoid output), so predictions
 * agree with evaluation.
 *
 * <p>Each row of a result block holds {@code width} prediction values (class probabilities from the loss's
 * {@code predict}; for a binary model with one sigmoid output p, the two classes' (1 − p, p); or the regression
 * value), then the predicted class and the label's rank (the number of other classes scoring at least as high as the
 * label's, ties counting against it as in evaluation: top-k correct iff rank &lt; k); the block's labels are the
 * input labels. A binary model predicts class 1 when p ≥ 0.5 ({@link TaskKind#binaryClass}, as evaluation and the
 * Spark ML model do), and its label's rank is 0 when it is the predicted class, else 1. Results travel as
 * {@link DataBlock}s, a class the trainer's Kryo registrator already knows. Close to release the broadcast parameters.
 */
public final class Predictions implements AutoCloseable {

    private final Broadcast<ParameterSnapshot> params;
    private final JavaRDD<DataBlock> rdd;
    private final int width;
    private final TaskKind kind;

    public Predictions(JavaSparkContext sc, CachedBlocks data, NetworkSpec spec, ParameterSnapshot snapshot,
                       int batchSize) {
        this.kind = TaskKind.of(spec);
        this.width = kind == TaskKind.REGRESSION ? Math.toIntExact(spec.outputShape().size()) : kind.classes(spec);
        this.params = sc.broadcast(snapshot);
        Broadcast<ParameterSnapshot> bc = params;
        TaskKind k = kind;
        this.rdd = data.rdd().mapPartitions(blocks -> predict(blocks, spec, bc.value(), k, batchSize));
    }

    /** Result blocks, one per partition, in input order; computing them runs the model. */
    public JavaRDD<DataBlock> rdd() {
        return rdd;
    }

    /** Prediction values per row: the class count (2 for a binary model), or 1 for regression. */
    public int width() {
        return width;
    }

    public boolean classifier() {
        return kind != TaskKind.REGRESSION;
    }

    /** Prediction value {@code c} (a class probability, or the regression value) of {@code row}. */
    public float value(DataBlock block, int row, int c) {
        return block.features()[row * (width + 2) + c];
    }

    public int predictedClass(DataBlock block, int row) {
        return (int) block.features()[row * (width + 2) + width];
    }

    /** Rows whose label is among the {@code k} highest outputs, over the whole data set (one Spark job). */
    public long topKHits(int k) {
        int w = width;
        return rdd.map(b -> {
            long hits = 0;
            for (int r = 0; r < b.rows(); r++) {
                hits += b.features()[r * (w + 2) + w + 1] < k ? 1 : 0;
            }
            return hits;
        }).fold(0L, Long::sum);
    }

    @Override
    public void close() {
        params.destroy();
    }

    private static Iterator<DataBlock> predict(Iterator<DataBlock> blocks, NetworkSpec spec, ParameterSnapshot params,
                                               TaskKind kind, int batchSize) {
        if (!blocks.hasNext()) {
            return List.<DataBlock>of().iterator();
        }
        DataBlock block = blocks.next();
        Network network = new Network(spec, Nd4j.createFromArray(params.params()));
        int outputs = Math.toIntExact(spec.outputShape().size());
        int width = kind == TaskKind.REGRESSION ? outputs : kind.classes(spec);
        int stride = width + 2;
        float[] out = new float[block.rows() * stride];
        for (int from = 0; from < block.rows(); from += batchSize) {
            int rows = Math.min(batchSize, block.rows() - from);
            Batch batch = Batch.slice(block, from, rows);
            INDArray output = network.output(batch.features());
            float[] values = flat(spec.loss().predict(output), rows * outputs);
            for (int r = 0; r < rows; r++) {
                int at = (from + r) * stride;
                switch (kind) {
                    case REGRESSION -> System.arraycopy(values, r * outputs, out, at, outputs);
                    case BINARY -> {
                        float p = values[r];
                        int predicted = TaskKind.binaryClass(p);
                        int label = (int) block.labels()[from + r];
                        out[at] = 1 - p;
                        out[at + 1] = p;
                        out[at + 2] = predicted;
                        out[at + 3] = label == 1 - predicted ? 1 : 0;
                    }
                    case MULTICLASS -> {
                        System.arraycopy(values, r * width, out, at, width);
                        out[at + width] = argMax(values, r * width, width);
                        out[at + width + 1] = rank(values, r * width, width, (int) block.labels()[from + r]);
                    }
                }
            }
        }
        return List.of(new DataBlock(block.rows(), stride, out, block.labels())).iterator();
    }

    private static float[] flat(INDArray a, int length) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(length).toFloatVector();
    }

    /** The first index of the largest score, as evaluation picks the class. */
    private static int argMax(float[] scores, int offset, int width) {
        int best = 0;
        for (int c = 1; c < width; c++) {
            best = scores[offset + c] > scores[offset + best] ? c : best;
        }
        return best;
    }

    /** Other classes scoring at least as high as the label's (as {@code EvaluationSum} ranks); 0 without a label. */
    private static int rank(float[] scores, int offset, int width, int label) {
        if (label < 0 || label >= width) {
            return 0;
        }
        float own = scores[offset + label];
        int higher = 0;
        for (int c = 0; c < width; c++) {
            higher += c != label && scores[offset + c] >= own ? 1 : 0;
        }
        return higher;
    }
}
