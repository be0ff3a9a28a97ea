package dev.sparktrain.ops.norms;

import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Vector norms of a flat vector or of each tensor of a layout, reduced in double (one native reduction each):
 * L0 = number of non-zero entries, L1 = Σ|x|, L2 = √Σx², L∞ = max|x|. Used by gradient clipping and
 * diagnostics. NaN entries propagate into L1, L2 and L∞ (so a clipping step sees them).
 */
public enum Norm {
    L0, L1, L2, LINF;

    /** This norm of all entries of {@code x}. */
    public double of(INDArray x) {
        if (x.isEmpty()) {
            return 0;
        }
        INDArray d = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        return switch (this) {
            case L0 -> d.neq(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
            case L1 -> d.norm1Number().doubleValue();
            case L2 -> d.norm2Number().doubleValue();
            case LINF -> d.normmaxNumber().doubleValue();
        };
    }

    /**
     * The gradient of this norm at {@code x}, in a new array of its type: for L1, sign(x) (0 at 0); for L2, the
     * unsquared norm's x/‖x‖₂, and at x = 0, where the norm has no gradient, the zero vector (its subgradient of least
     * norm, as PyTorch's autograd gives for {@code torch.linalg.norm}). The squared norm's is
     * {@link #squaredL2Gradient}. L0 and L∞ have none here.
     */
    public INDArray gradient(INDArray x) {
        return switch (this) {
            case L1 -> org.nd4j.linalg.ops.transforms.Transforms.sign(x, true);
            case L2 -> {
                double norm = of(x);
                yield norm == 0 ? x.like().assign(0) : x.castTo(DataType.DOUBLE).div(norm).castTo(x.dataType());
            }
            case L0, LINF -> throw new UnsupportedOperationException(configName() + " has no gradient here");
        };
    }

    /** The gradient of the squared L2 norm ‖x‖₂² = Σx², 2x (in a new array). */
    public static INDArray squaredL2Gradient(INDArray x) {
        return x.mul(2);
    }

    /** This norm of each tensor of {@code layout} inside {@code flat}, by tensor name, in layout order. */
    public Map<String, Double> perTensor(ParamLayout layout, INDArray flat) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ParamSpec spec : layout.specs()) {
            out.put(spec.name(), of(layout.view(flat, spec.name())));
        }
        return out;
    }

    /** Config name: {@code l0}, {@code l1}, {@code l2}, {@code linf}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
