package dev.sparktrain.driver.eval;

import dev.sparktrain.driver.exchange.OrderedMerge;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.Iterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Evaluates a model on a cached data set as one Spark job: the loss, and for classifiers the confusion matrix, top-k
 * hits and (two classes) the score histograms behind the AUC.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static EvaluationSum evaluate(JavaSparkContext sc, CachedBlocks data, NetworkSpec spec,
                                         ParameterSnapshot params, int batchSize) {
        TaskKind kind = TaskKind.of(spec);
        Broadcast<ParameterSnapshot> bc = sc.broadcast(params);
        try {
            int classes = kind.classes(spec);
            return OrderedMerge.run(data.rdd(),
                    (partition, blocks) -> evaluatePartition(blocks, spec, bc.value(), kind, batchSize),
                    new EvaluationSum(classes), EvaluationSum::merge);
        } finally {
            bc.destroy();
        }
    }

    private static EvaluationSum evaluatePartition(Iterator<DataBlock> blocks, NetworkSpec spec,
                                                   ParameterSnapshot params, TaskKind kind, int batchSize) {
        EvaluationSum sum = new EvaluationSum(kind.classes(spec));
        if (!blocks.hasNext()) {
            return sum;
        }
        DataBlock block = blocks.next();
        Network network = EvaluationNetworks.withParams(spec, params.params());
        for (int from = 0; from < block.rows(); from += batchSize) {
            try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
                addBatch(sum, network, Batch.slice(block, from, Math.min(batchSize, block.rows() - from)), spec,
                        kind);
            }
        }
        return sum;
    }

    /** One batch's loss and scores; its arrays live in the caller's workspace. */
    private static void addBatch(EvaluationSum sum, Network network, Batch batch, NetworkSpec spec, TaskKind kind) {
        INDArray output = network.output(batch.features());
        double loss = spec.loss().compute(output, batch.labels()).loss();
        switch (kind) {
            case REGRESSION -> sum.addLoss(loss, batch.rows());
            case MULTICLASS -> sum.addScores(loss, batch.labels().toIntVector(), rowMajor(spec.loss().predict(output)));
            case BINARY -> sum.addBinary(loss, batch.labels().toIntVector(), rowMajor(spec.loss().predict(output)));
        }
    }

    /** A matrix's values row by row. */
    private static float[] rowMajor(INDArray matrix) {
        return matrix.dup('c').reshape(matrix.length()).toFloatVector();
    }
}
