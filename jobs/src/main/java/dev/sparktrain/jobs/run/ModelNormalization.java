package dev.sparktrain.jobs.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparktrain.jobs.data.DataConfig.Normalize;
import dev.sparktrain.jobs.data.DataConfig;
import dev.sparktrain.jobs.data.Standardization;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feature transform a model was trained with, saved as {@code model/normalization.json} so that evaluate and
 * predict feed the network what it saw in training: {@code none}, {@code scale} (every value times {@code scale},
 * applied while reading) or {@code standardize} (the training set's per-feature mean and std).
 *
 * <pre>{"format": "sparktrain-normalization-1", "normalize": "standardize", "scale": 1.0, "features": 784,
 *  "mean": [...], "std": [...]}</pre>
 *
 * @param normalize how features were transformed
 * @param scale     factor applied while reading (1 unless {@code scale})
 * @param features  number of features per row
 * @param standardization mean and std for {@code standardize}, otherwise null
 */
public record ModelNormalization(Normalize normalize, double scale, int features, Standardization standardization)
        implements Serializable {

    public static final String FILE_NAME = "normalization.json";
    static final String FORMAT = "sparktrain-normalization-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelNormalization {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
        }
        if (normalize != Normalize.SCALE && scale != 1.0) {
            throw new IllegalArgumentException("scale " + scale + " given with normalize " + normalize.configName());
        }
        if ((normalize == Normalize.STANDARDIZE) != (standardization != null)) {
            throw new IllegalArgumentException("mean and std are given exactly with normalize standardize");
        }
        if (standardization != null && standardization.mean().length != features) {
            throw new IllegalArgumentException("mean and std have " + standardization.mean().length
                    + " values, expected one per feature (" + features + ")");
        }
    }

    /** What training applied: the data section's settings and, for standardize, the fitted statistics. */
    public static ModelNormalization of(DataConfig data, int features, Standardization fitted) {
        return new ModelNormalization(data.normalize(), data.normalize() == Normalize.SCALE ? data.scale() : 1.0,
                features, data.normalize() == Normalize.STANDARDIZE ? fitted : null);
    }

    /** The factor for {@code ReadRequest.scale}. */
    public float readScale() {
        return (float) scale;
    }

    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", FORMAT);
        out.put("normalize", normalize.configName());
        out.put("scale", scale);
        out.put("features", features);
        if (standardization != null) {
            out.put("mean", standardization.mean());
            out.put("std", standardization.std());
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write normalization as JSON", e);
        }
    }

    /** Parses and checks a {@code normalization.json}; messages say what is wrong (the caller names the file). */
    public static ModelNormalization parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + (e.getMessage() == null ? e : e.getMessage().lines().findFirst().orElse("")));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("expected format '" + FORMAT + "', got " + root.get("format"));
        }
        Normalize normalize = Normalize.parse(root.path("normalize").asText());
        JsonNode scale = root.get("scale");
        JsonNode features = root.get("features");
        if (scale == null || !scale.isNumber() || features == null || !features.canConvertToInt()
                || features.asInt() < 1) {
            throw new IllegalArgumentException("expected a number 'scale' and a positive integer 'features'");
        }
        Standardization st = null;
        if (normalize == Normalize.STANDARDIZE) {
            float[] mean = floats(root, "mean", features.asInt());
            float[] std = floats(root, "std", features.asInt());
            for (float s : std) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("'std' values must be > 0, got " + s);
                }
            }
            st = new Standardization(mean, std);
        }
        return new ModelNormalization(normalize, scale.asDouble(), features.asInt(), st);
    }

    private static float[] floats(JsonNode root, String key, int expected) {
        JsonNode array = root.get(key);
        if (array == null || !array.isArray() || array.size() != expected) {
            throw new IllegalArgumentException("'" + key + "' must be a list of " + expected + " numbers, got "
                    + (array == null ? "none" : array.size() + " entries"));
        }
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
                throw new IllegalArgumentException("'" + key + "'[" + i + "] must be a finite number, got " + v);
            }
            out[i] = v.floatValue();
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (normalize) {
            case NONE -> "none";
            case SCALE -> "scale x" + scale;
            case STANDARDIZE -> "standardize (" + features + " features, training-set mean and std)";
        };
    }
}
