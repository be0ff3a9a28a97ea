package dev.sparktrain.ops.regularization;

import dev.sparktrain.ops.norms.Norm;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A weight penalty added to the loss (Keras' convention): R(w) = l1·Σ|w| + l2·Σw² + l2Norm·‖w‖₂, so dR/dw =
 * l1·sign(w) + 2·l2·w + l2Norm·w/‖w‖₂ (sign(0) = 0; the last term is 0 at w = 0). {@code l2} is the SQUARED norm
 * (weight decay: its gradient is 2·l2·w, so PyTorch's {@code weight_decay = λ} is {@code l2 = λ/2}); {@code l2Norm}
 * the unsquared one (a group-lasso penalty per tensor, which pulls a whole tensor towards 0 at a constant rate).
 * Elastic net is l1 and l2 at once; {@link #elasticNet} builds it from a total strength λ and a mixing ratio ρ as
 * scikit-learn/glmnet: l1 = λρ, l2 = λ(1 − ρ)/2.
 */
public record Penalty(double l1, double l2, double l2Norm) implements java.io.Serializable {

    public static final Penalty NONE = new Penalty(0, 0);

    /** L1 and squared L2. */
    public Penalty(double l1, double l2) {
        this(l1, l2, 0);
    }

    public Penalty {
        if (!(l2Norm >= 0) || Double.isInfinite(l2Norm)) {
            throw new IllegalArgumentException("l2_norm must be a finite number >= 0, got " + l2Norm);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("l1 must be a finite number >= 0, got " + l1);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
    }

    public static Penalty l1(double strength) {
        return new Penalty(strength, 0);
    }

    public static Penalty l2(double strength) {
        return new Penalty(0, strength);
    }

    /** l1 = strength·ratio, l2 = strength·(1 − ratio)/2, ratio in [0, 1]. */
    public static Penalty elasticNet(double strength, double l1Ratio) {
        if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
            throw new IllegalArgumentException("elastic_net.l1_ratio must be in [0, 1], got " + l1Ratio);
        }
        return new Penalty(strength * l1Ratio, strength * (1 - l1Ratio) / 2);
    }

    public boolean isZero() {
        return l1 == 0 && l2 == 0 && l2Norm == 0;
    }

    /** R(w), in double. */
    public double value(INDArray w) {
        double v = 0;
        if (l1 != 0) {
            v += l1 * w.norm1Number().doubleValue();
        }
        if (l2 != 0) {
            double n2 = w.norm2Number().doubleValue();
            v += l2 * n2 * n2;
        }
        if (l2Norm != 0) {
            v += l2Norm * Norm.L2.of(w);
        }
        return v;
    }

    /** Adds dR/dw into {@code gradient} (in place) and returns R(w). */
    public double addGradientInPlace(INDArray w, INDArray gradient) {
        if (isZero()) {
            return 0;
        }
        if (l1 != 0) {
            gradient.addi(Transforms.sign(w, true).muli(l1));
        }
        if (l2 != 0) {
            gradient.addi(Norm.squaredL2Gradient(w).muli(l2));
        }
        if (l2Norm != 0) {
            gradient.addi(Norm.L2.gradient(w).muli(l2Norm));
        }
        return value(w);
    }
}
