package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.jobs.data.Standardization;
import dev.sparktrain.jobs.run.ModelNormalization;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a model over DataFrame rows inside a task: rows are gathered into batches of {@code batchSize}, their
 * features normalised as in training and passed through the network in one forward pass per batch (no per-row ND4J
 * calls), and each input row comes out with the model's columns appended, in input order.
 *
 * @param spec          the network
 * @param normalization the feature transform of training
 * @param featureIndex  position of the features column (a Spark ML vector or an array of numbers)
 * @param featuresCol   its name, for messages
 * @param batchSize     rows per forward pass
 * @param outputs       the columns to append, in order
 */
record RowPredictor(NetworkSpec spec, ModelNormalization normalization, int featureIndex, String featuresCol,
                    int batchSize, List<OutputColumn> outputs) implements Serializable {

    RowPredictor {
        outputs = List.copyOf(outputs);
    }

    /** The input rows with the output columns appended; the network is built on the first batch. */
    Iterator<Row> apply(Iterator<Row> rows, float[] params) {
        return new Iterator<>() {
            private Network network;
            private final List<Row> batch = new ArrayList<>();
            private Object[][] appended;
            private int next;
            private long done;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                batch.clear();
                next = 0;
                while (batch.size() < batchSize && rows.hasNext()) {
                    batch.add(rows.next());
                }
                if (batch.isEmpty()) {
                    return false;
                }
                if (network == null) {
                    network = new Network(spec, Nd4j.createFromArray(params));
                }
                appended = columns(network, batch, done);
                done += batch.size();
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row in = batch.get(next);
                Object[] values = new Object[in.length() + outputs.size()];
                for (int i = 0; i < in.length(); i++) {
                    values[i] = in.get(i);
                }
                System.arraycopy(appended[next], 0, values, in.length(), outputs.size());
                next++;
                return RowFactory.create(values);
            }
        };
    }

    /** The output columns of {@code rows}, which follow {@code first} rows of the partition: one forward pass. */
    Object[][] columns(Network network, List<Row> rows, long first) {
        int n = rows.size();
        int f = normalization.features();
        float[] x = new float[n * f];
        for (int r = 0; r < n; r++) {
            read(rows.get(r).get(featureIndex), x, r * f, f, first + r);
        }
        float[][] out = forward(network, x, n);
        int width = Math.toIntExact(spec.outputShape().size());
        TaskKind kind = TaskKind.of(spec);
        Object[][] values = new Object[n][outputs.size()];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < outputs.size(); c++) {
                values[r][c] = outputs.get(c).value(kind, out[0], out[1], r, width);
            }
        }
        return values;
    }

    /**
     * Raw outputs and the loss's prediction ({@code [raw, predicted]}, row-major) for {@code rows} rows of
     * features as read (normalised here).
     */
    float[][] forward(Network network, float[] features, int rows) {
        int f = normalization.features();
        DataBlock block = new DataBlock(rows, f, features, new float[rows]);
        Standardization st = normalization.standardization();
        if (st != null) {
            block = st.apply(block);
        }
        INDArray output = network.output(Batch.slice(block, 0, rows).features());
        return new float[][] {flat(output), flat(spec.loss().predict(output))};
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }

    /** Copies one row's features into {@code x} at {@code at}, scaled, checking size and values. */
    void read(Object value, float[] x, int at, int size, long row) {
        float scale = normalization.readScale();
        if (value instanceof DenseVector d) {
            check(d.size(), size, row);
            double[] v = d.values();
            for (int i = 0; i < size; i++) {
                x[at + i] = finite(v[i] * scale, i, row);
            }
        } else if (value instanceof SparseVector s) {
            check(s.size(), size, row);
            int[] idx = s.indices();
            double[] v = s.values();
            for (int k = 0; k < idx.length; k++) {
                x[at + idx[k]] = finite(v[k] * scale, idx[k], row);
            }
        } else if (value instanceof scala.collection.Seq<?> seq) {
            check(seq.size(), size, row);
            for (int i = 0; i < size; i++) {
                Object e = seq.apply(i);
                if (e == null) {
                    throw new IllegalArgumentException(where(row) + "feature " + i + " is null");
                }
                x[at + i] = finite(((Number) e).doubleValue() * scale, i, row);
            }
        } else {
            throw new IllegalArgumentException(where(row) + (value == null ? "features are null"
                    : "features are a " + value.getClass().getSimpleName() + ", expected a vector or an array"));
        }
    }

    private void check(int actual, int expected, long row) {
        if (actual != expected) {
            throw new IllegalArgumentException(where(row) + "has " + actual + " values, the model expects "
                    + expected);
        }
    }

    private float finite(double v, int i, long row) {
        float f = (float) v;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException(where(row) + "feature " + i + " is " + v + ", expected a finite number");
        }
        return f;
    }

    private String where(long row) {
        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
        return "column '" + featuresCol + "' (" + (task == null ? "" : "partition " + task.partitionId() + ", ")
                + "row " + row + "): ";
    }
}
