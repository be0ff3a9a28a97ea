package dev.sparktrain.driver.exchange;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The work of one task of a round or evaluation job: one result from one partition's rows. Run by
 * {@link OrderedMerge}; a retried task must return the same result.
 */
@FunctionalInterface
public interface PartitionTask<T, R> extends Serializable {

    R run(int partition, Iterator<T> rows);
}
