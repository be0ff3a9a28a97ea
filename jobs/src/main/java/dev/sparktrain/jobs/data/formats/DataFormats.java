package dev.sparktrain.jobs.data.formats;

import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.jobs.data.DataFormat;
import dev.sparktrain.jobs.data.DatasetReader;
import dev.sparktrain.jobs.data.csv.CsvReader;
import dev.sparktrain.jobs.data.frame.DataFrameReader;
import dev.sparktrain.jobs.data.idx.IdxReader;
import dev.sparktrain.jobs.data.libsvm.LibSvmReader;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every data format by its {@code data.format} name, in the order the documentation lists them. A new format is its
 * reader (declaring its {@link DataFormat}) plus one line here.
 */
public final class DataFormats {

    public static final List<DataFormat> ALL = List.of(
            IdxReader.FORMAT,
            CsvReader.FORMAT,
            LibSvmReader.FORMAT,
            DataFrameReader.format("parquet"),
            DataFrameReader.format("orc"),
            DataFrameReader.format("json"),
            DataFrameReader.format("table"));

    private DataFormats() {
    }

    public static List<String> names() {
        return ALL.stream().map(DataFormat::name).toList();
    }

    public static Optional<DataFormat> find(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Every key some format reads, the common ones included. */
    public static Set<String> allKeys() {
        Set<String> keys = new TreeSet<>();
        ALL.forEach(f -> keys.addAll(f.keyNames()));
        return keys;
    }

    /** The reader of {@code data}'s format, configured from its section. */
    public static DatasetReader readerFor(DataConfig data) {
        return find(data.format()).orElseThrow(() -> new IllegalArgumentException("data.format must be one of "
                + names() + ", got '" + data.format() + "'")).reader().apply(data);
    }
}
