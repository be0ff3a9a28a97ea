package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Multi-class hinge as PyTorch's {@code MultiMarginLoss} (margin 1, Weston–Watkins form): with true class k and
 * m_j = 1 − x_k + x_j, ℓ_i = (1/C) Σ_{j≠k} max(0, m_j)^p, p = 1 ({@code hinge}) or 2 ({@code squared_hinge}).
 * Gradient: for j ≠ k, g_j = p·max(0, m_j)^(p−1)/C (for p = 1 the indicator m_j &gt; 0); for k, −Σ_{j≠k} g_j.
 * Labels are class indices or one-hot rows. {@link #predict} gives the raw scores.
 */
public record MultiClassHinge(boolean squared) implements Loss {

    /** {@code hinge}: no options. */
    public static final Kind<MultiClassHinge> KIND = Kind.of("hinge", o -> new MultiClassHinge(false));
    /** {@code squared_hinge}: no options. */
    public static final Kind<MultiClassHinge> SQUARED_KIND = Kind.of("squared_hinge", o -> new MultiClassHinge(true));

    @Override
    public String name() {
        return squared ? "squared_hinge" : "hinge";
    }

    @Override
    public PerSample perSample(INDArray scores, INDArray labels) {
        INDArray t = Labels.classes(name(), scores, labels);
        double c = scores.size(1);
        INDArray trueScore = scores.mul(t).sum(true, 1);
        INDArray others = t.rsub(1.0);
        INDArray margins = scores.subColumnVector(trueScore).addi(1).muli(others);
        INDArray positive = Transforms.relu(margins, false);
        INDArray losses;
        INDArray g;
        if (squared) {
            losses = positive.mul(positive).sum(1).divi(c);
            g = positive.muli(2);
        } else {
            losses = positive.sum(1).divi(c);
            g = positive.gt(0).castTo(scores.dataType());
        }
        g.divi(c);
        INDArray gradient = g.sub(t.mulColumnVector(g.sum(true, 1)));
        return new PerSample(losses, gradient);
    }

    @Override
    public INDArray predict(INDArray output) {
        return output.dup();
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        Labels.classes(name(), output, labels);
    }
}
