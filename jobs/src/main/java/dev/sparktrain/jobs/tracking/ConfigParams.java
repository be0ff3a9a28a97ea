package dev.sparktrain.jobs.tracking;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved config tree as MLflow params: one param per leaf, named by its dotted path ({@code optimizer.lr},
 * {@code model.layers.0.units}); a list of plain values is one param ({@code model.input_shape = [784]}). The
 * {@code tracking} section describes the logging itself and is left out. Keys and values are cut to MLflow's limits.
 */
final class ConfigParams {

    private ConfigParams() {
    }

    static Map<String, String> flatten(Map<String, Object> root) {
        Map<String, String> out = new LinkedHashMap<>();
        root.forEach((key, value) -> {
            if (!"tracking".equals(key)) {
                add(out, key, value);
            }
        });
        return out;
    }

    private static void add(Map<String, String> out, String path, Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.put(MlflowLimits.key(path), "{}");
            }
            map.forEach((k, v) -> add(out, path + "." + k, v));
        } else if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map || v instanceof List)) {
            for (int i = 0; i < list.size(); i++) {
                add(out, path + "." + i, list.get(i));
            }
        } else {
            out.put(MlflowLimits.key(path), MlflowLimits.paramValue(String.valueOf(value)));
        }
    }
}
