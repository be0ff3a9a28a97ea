package dev.sparktrain.jobs.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's limits on what one run accepts (its REST API documentation, {@code mlflow/utils/validation.py}): longer
 * values are refused with a 400, so they are cut here, and batches are split to fit one {@code log-batch} request.
 */
final class MlflowLimits {

    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 8000;
    static final int MAX_KEY = 250;
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_PER_BATCH = 100;
    static final int MAX_TAGS_PER_BATCH = 100;
    /** What a cut value ends with, so a reader sees it was cut. */
    static final String CUT = "...";

    private MlflowLimits() {
    }

    static String paramValue(String value) {
        return cut(value, MAX_PARAM_VALUE);
    }

    static String tagValue(String value) {
        return cut(value, MAX_TAG_VALUE);
    }

    static String key(String key) {
        return cut(key, MAX_KEY);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - CUT.length()) + CUT;
    }

    /** {@code items} in consecutive slices of at most {@code size}. */
    static <T> List<List<T>> slices(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
        }
        return out;
    }
}
