package dev.sparktrain.jobs.ml;

import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;

/** Saves a model as Spark ML does (metadata with the params, so pipelines can load it) plus its model directory. */
final class NeuralNetModelWriter extends MLWriter {

    private final NeuralNetModel<?> model;

    NeuralNetModelWriter(NeuralNetModel<?> model) {
        this.model = model;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
        ModelFiles.save(model.network(), path, sparkSession().sparkContext().hadoopConfiguration());
    }
}
