package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sigmoid focal loss (Lin et al. 2017, as torchvision's {@code sigmoid_focal_loss}) on logits x, targets
 * y ∈ [0, 1]: with p = σ(x), ce = softplus(x) − x·y, q = 1 − p_t = y·σ(−x) + (1 − y)·σ(x) and
 * α_t = α·y + (1 − α)(1 − y) (α_t = 1 when α &lt; 0, "no balancing"), the element loss is α_t·ce·q^γ and
 * ℓ_i is its mean over the D outputs. Derivative:
 * d/dx = α_t·[(p − y)·q^γ − γ·ce·(2y − 1)·p(1 − p)·q^(γ−1)], q computed from σ(±x) so it is exact near 0;
 * q^(γ−1) uses max(q, 1e−30) so that γ &lt; 1 stays finite where q underflows. γ = 0, α &lt; 0 is plain binary
 * cross-entropy with logits. Defaults α = 0.25, γ = 2.
 */
public record SigmoidFocal(double alpha, double gamma) implements Loss {

    /** {@code sigmoid_focal}: alpha [0.25], gamma [2]. */
    public static final Kind<SigmoidFocal> KIND = Kind.of("sigmoid_focal",
            o -> new SigmoidFocal(o.number("alpha", 0.25), o.number("gamma", 2.0)),
            ConfigKey.optional("alpha", 0.25), ConfigKey.optional("gamma", 2.0));

    static final double Q_FLOOR = 1e-30;

    public SigmoidFocal {
        if (!(alpha <= 1) || Double.isNaN(alpha)) {
            throw new IllegalArgumentException("sigmoid_focal.alpha must be in [0, 1] (or < 0 to disable), got "
                    + alpha);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("sigmoid_focal.gamma must be a finite number >= 0, got " + gamma);
        }
    }

    @Override
    public String name() {
        return "sigmoid_focal";
    }

    @Override
    public PerSample perSample(INDArray x, INDArray labels) {
        INDArray y = Labels.sameShape(name(), x, labels);
        Labels.checkUnitInterval(name(), "labels", y);
        double d = x.size(1);
        INDArray p = Ops.sigmoid(x);
        INDArray pNeg = Ops.sigmoid(x.neg());
        INDArray q = y.mul(pNeg).addi(y.rsub(1.0).muli(p));
        INDArray ce = Ops.softplus(x).subi(x.mul(y));
        INDArray alphaT = alpha < 0 ? null : y.mul(2 * alpha - 1).addi(1 - alpha);
        INDArray modulator = gamma == 0 ? q.like().assign(1) : Transforms.pow(q, gamma, true);
        INDArray loss = ce.mul(modulator);
        INDArray grad = p.sub(y).muli(modulator);
        if (gamma != 0) {
            INDArray qPow = Transforms.pow(Transforms.max(q, Q_FLOOR, true), gamma - 1, false);
            INDArray second = y.mul(2).subi(1).muli(p).muli(pNeg).muli(qPow).muli(ce).muli(gamma);
            grad.subi(second);
        }
        if (alphaT != null) {
            loss.muli(alphaT);
            grad.muli(alphaT);
        }
        return new PerSample(loss.sum(1).divi(d), grad.divi(d));
    }

    @Override
    public INDArray predict(INDArray output) {
        return Ops.sigmoid(output);
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        Labels.checkUnitInterval(name(), "labels", Labels.sameShape(name(), output, labels));
    }
}
