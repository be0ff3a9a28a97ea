package dev.sparktrain.jobs.run;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
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
 * them, and the predicted class is the arg-max of the raw output as there, so predictions agree with evaluation.
 *
 * <p>Each row of a result block holds {@code width} prediction values (class probabilities from the loss's
 * {@code predict}, or the regression value), then the predicted class and the label's rank (the number of classes
 * whose raw output is strictly greater than the label's: top-k correct iff rank &lt; k); the block's labels are the
 * input labels. Results travel as {@link DataBlock}s, a class the trainer's Kryo registrator already knows.
 * Close to release the broadcast parameters.
 */
public final class Predictions implements AutoCloseable {

    private final Broadcast<ParameterSnapshot> params;
    private final JavaRDD<DataBlock> rdd;
    private final int width;
    private final boolean classifier;

    public Predictions(JavaSparkContext sc, CachedBlocks data, NetworkSpec spec, ParameterSnapshot snapshot,
                       boolean classifier, int batchSize) {
        this.width = Math.toIntExact(spec.outputShape().size());
        this.classifier = classifier;
        this.params = sc.broadcast(snapshot);
        Broadcast<ParameterSnapshot> bc = params;
        int w = width;
        this.rdd = data.rdd().mapPartitions(blocks -> predict(blocks, spec, bc.value(), w, classifier, batchSize));
    }

    /** Result blocks, one per partition, in input order; computing them runs the model. */
    public JavaRDD<DataBlock> rdd() {
        return rdd;
    }

    /** Prediction values per row: the class count, or 1 for regression. */
    public int width() {
        return width;
    }

    public boolean classifier() {
        return classifier;
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
                                               int width, boolean classifier, int batchSize) {
        if (!blocks.hasNext()) {
            return List.<DataBlock>of().iterator();
        }
        DataBlock block = blocks.next();
        Network network = new Network(spec, Nd4j.createFromArray(params.params()));
        int stride = width + 2;
        float[] out = new float[block.rows() * stride];
        for (int from = 0; from < block.rows(); from += batchSize) {
            int rows = Math.min(batchSize, block.rows() - from);
            Batch batch = Batch.slice(block, from, rows);
            INDArray output = network.output(batch.features());
            float[] values = flat(spec.loss().predict(output), rows * width);
            float[] raw = flat(output, rows * width);
            int[] predicted = classifier ? output.argMax(1).toIntVector() : new int[rows];
            for (int r = 0; r < rows; r++) {
                int at = (from + r) * stride;
                System.arraycopy(values, r * width, out, at, width);
                out[at + width] = predicted[r];
                out[at + width + 1] = classifier ? rank(raw, r * width, width, (int) block.labels()[from + r]) : 0;
            }
        }
        return List.of(new DataBlock(block.rows(), stride, out, block.labels())).iterator();
    }

    private static float[] flat(INDArray a, int length) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(length).toFloatVector();
    }

    private static int rank(float[] raw, int offset, int width, int label) {
        float own = raw[offset + label];
        int greater = 0;
        for (int c = 0; c < width; c++) {
            greater += raw[offset + c] > own ? 1 : 0;
        }
        return greater;
    }
}
