package dev.sparktrain.jobs.data;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * Reads one data set format into blocks of contiguous float arrays. The driver checks what it cheaply can (files,
 * headers, schemas); tasks parse their own share of the data and check every row (finite features, a label that
 * {@link ReadRequest#labels()} accepts), throwing an {@link IllegalArgumentException} that names the file and row.
 * Implementations hold only their format's options; {@code DataFormats} picks one from {@code data.format}.
 */
public interface DatasetReader {

    /** The Spark job group of reading and caching the data (its jobs are cancelled together on Ctrl-C). */
    String JOB_GROUP = "sparktrain-data";

    RawBlocks read(JavaSparkContext sc, ReadRequest request);
}
