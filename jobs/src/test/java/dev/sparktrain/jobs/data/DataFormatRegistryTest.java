package dev.sparktrain.jobs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.jobs.config.ConfigTree;
import dev.sparktrain.jobs.config.RunConfigParser;
import dev.sparktrain.jobs.data.csv.CsvReader;
import dev.sparktrain.jobs.data.formats.DataFormats;
import dev.sparktrain.jobs.data.frame.DataFrameReader;
import dev.sparktrain.jobs.data.idx.IdxReader;
import dev.sparktrain.jobs.data.libsvm.LibSvmReader;
import dev.sparktrain.ops.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every registered data format is read from the keys it declares, with the defaults it declares. */
class DataFormatRegistryTest {

    private static DataConfig parse(Map<String, Object> data) {
        String section = data.entrySet().stream().map(e -> e.getKey() + ": " + yaml(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        return RunConfigParser.parse(ConfigTree.parse("t.yaml", "data: " + section + "\n" + """
                model:
                  input_shape: [4]
                  layers: [{type: dense, units: 3}]
                  loss: softmax_cross_entropy
                optimizer: {type: adam}
                """)).data();
    }

    private static String yaml(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static Map<String, Object> config(DataFormat format, boolean everyKey) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("format", format.name());
        format.keys().stream().filter(k -> everyKey || k.required()).forEach(k -> config.put(k.name(), k.value()));
        return config;
    }

    @Test
    void everyFormatReadsItsDeclaredKeysWithItsDeclaredDefaults() {
        assertEquals(List.of("idx", "csv", "libsvm", "parquet", "orc", "json", "table"), DataFormats.names());
        Map<String, Class<?>> readers = Map.of("idx", IdxReader.class, "csv", CsvReader.class, "libsvm",
                LibSvmReader.class, "parquet", DataFrameReader.class, "orc", DataFrameReader.class, "json",
                DataFrameReader.class, "table", DataFrameReader.class);
        for (DataFormat format : DataFormats.ALL) {
            DataConfig every = parse(config(format, true));
            assertEquals(format.name(), every.format());
            assertInstanceOf(readers.get(format.name()), DataFormats.readerFor(every));
            Map<String, Object> defaults = config(format, false);
            DataConfig implicit = parse(defaults);
            for (ConfigKey key : format.keys()) {
                if (key.hasFixedDefault()) {
                    defaults.put(key.name(), key.value());
                }
            }
            assertEquals(implicit, parse(defaults), format.name());
        }
    }

    @Test
    void unknownFormatsAndKeysAreRefusedWithTheClosestName() {
        assertEquals("data.format must be one of [idx, csv, libsvm, parquet, orc, json, table], got 'parquat'; did "
                + "you mean 'parquet'?", assertThrows(IllegalArgumentException.class,
                () -> parse(Map.of("format", "parquat", "train_path", "t"))).getMessage());
        for (DataFormat format : DataFormats.ALL) {
            Map<String, Object> config = config(format, false);
            String key = format.keys().get(0).name();
            config.put(key + "s", config.remove(key));
            String message = assertThrows(IllegalArgumentException.class, () -> parse(config)).getMessage();
            assertTrue(message.startsWith("unknown field 'data." + key + "s'; did you mean '" + key + "'?"),
                    format.name() + ": " + message);
        }
    }
}
