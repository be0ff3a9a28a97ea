package dev.sparktrain.jobs.ml;

import java.util.function.BiFunction;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;

/**
 * Loads what {@link NeuralNetModelWriter} saved: the metadata (class, uid, params) and the model directory, checked
 * by the CLI's model reader (a damaged directory fails with one line naming the file).
 */
final class NeuralNetModelReader<M extends NeuralNetModel<M>> extends MLReader<M> {

    private final Class<M> type;
    private final BiFunction<String, TrainedNetwork, M> create;

    NeuralNetModelReader(Class<M> type, BiFunction<String, TrainedNetwork, M> create) {
        this.type = type;
        this.create = create;
    }

    @Override
    public M load(String path) {
        ModelFiles.requireSaved(path, sparkSession().sparkContext().hadoopConfiguration());
        DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                type.getName());
        M model = create.apply(metadata.uid(), ModelFiles.load(path, sparkSession().sparkContext()
                .hadoopConfiguration()));
        metadata.getAndSetParams(model, scala.Option.empty());
        return model;
    }
}
