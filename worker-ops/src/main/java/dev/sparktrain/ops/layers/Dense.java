package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.ParamShape.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fully connected layer {@code y = f(x·W + b)} with {@code W} of shape {@code [in, out]}, initialised by
 * {@code weightInit} (fanIn = in, fanOut = out; default Glorot uniform) and {@code b} by zeros.
 */
public record Dense(int units, Activation activation, WeightInit weightInit) implements LayerSpec {

    /** {@code dense}: units, activation [identity], weight_init [glorot_uniform]. */
    public static final Kind<Dense> KIND = Kind.of("dense",
            o -> new Dense(o.integer("units"), Activations.create(o, "activation", "identity"),
                    LayerOptions.weightInit(o)),
            ConfigKey.required("units", 4), ConfigKey.optional("activation", "identity"),
            ConfigKey.optional("weight_init", "glorot_uniform"));

    public Dense(int units, Activation activation) {
        this(units, activation, WeightInit.GLOROT_UNIFORM);
    }

    public Dense {
        if (units <= 0) {
            throw new IllegalArgumentException("dense.units must be > 0, got " + units);
        }
        if (activation == null) {
            throw new IllegalArgumentException("dense.activation must be set");
        }
        if (weightInit == null) {
            throw new IllegalArgumentException("dense.weight_init must be set");
        }
    }

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException("input " + input + " has rank " + input.rank()
                    + ", expected a vector (add a flatten layer before it)");
        }
        return new Shape(units);
    }

    @Override
    public List<ParamShape> params(Shape input) {
        long in = input.dim(0);
        return List.of(
                new ParamShape("W", new long[] {in, units}, weightInit, in, units, Role.WEIGHT),
                new ParamShape("b", new long[] {units}, WeightInit.ZEROS, in, units, Role.BIAS));
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.of(activation);
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return List.of(new MatrixProduct(1, input.size(), units));
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new DenseLayer(activation, params.get("W"), params.get("b"), grads.get("W"), grads.get("b"));
    }
}
