package dev.sparktrain.jobs.data;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link DatasetReader} is asked for: one data set (its paths), split into {@code workers} partitions,
 * feature values multiplied by {@code scale}, labels checked against {@code labels}.
 *
 * @param name    {@code train} or {@code test}, for messages and the cached RDD's name
 * @param paths   the reader's paths: {@code [images, labels]} for IDX, {@code [path]} (or a table name) otherwise
 * @param workers number of partitions to produce
 * @param labels  what a label must be
 * @param scale   factor applied to every feature value while reading
 * @param labelsOptional the data may have no labels (a CSV without the label column, IDX images without a labels
 *                file): rows then get the label NaN, which no check refuses; otherwise missing labels are an error
 */
public record ReadRequest(String name, List<String> paths, int workers, LabelSpec labels, float scale,
                          boolean labelsOptional) implements Serializable {

    /** A request for labelled data. */
    public ReadRequest(String name, List<String> paths, int workers, LabelSpec labels, float scale) {
        this(name, paths, workers, labels, scale, false);
    }

    /** The same request, for data that may come without labels (predict): their rows get the label NaN. */
    public ReadRequest unlabeledAllowed() {
        return new ReadRequest(name, paths, workers, labels, scale, true);
    }

    public ReadRequest {
        Objects.requireNonNull(name, "name");
        paths = List.copyOf(paths);
        Objects.requireNonNull(labels, "labels");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
        }
    }

    public String path() {
        return paths.get(0);
    }
}
