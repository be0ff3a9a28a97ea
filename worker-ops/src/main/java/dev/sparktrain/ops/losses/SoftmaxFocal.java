package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax (multi-class) focal loss (Lin et al. 2017 extended to softmax) on logits x: with p = softmax(x),
 * log p the log-softmax, q = 1 − p computed as −expm1(log p), and target row t (one-hot or a distribution),
 * ℓ_i = −α Σ_c t_c·q_c^γ·log p_c. With a_c = γ·q_c^(γ−1)·p_c·log p_c − q_c^γ the gradient is
 * dℓ_i/dx_j = α·(t_j·a_j − p_j·Σ_c t_c·a_c). q^(γ−1) uses max(q, 1e−30). γ = 0 and α = 1 is softmax
 * cross-entropy. A scalar α (default 1) scales the whole loss; defaults γ = 2.
 */
public record SoftmaxFocal(double alpha, double gamma) implements Loss {

    /** {@code softmax_focal}: alpha [1], gamma [2]. */
    public static final Kind<SoftmaxFocal> KIND = Kind.of("softmax_focal",
            o -> new SoftmaxFocal(o.number("alpha", 1.0), o.number("gamma", 2.0)),
            ConfigKey.optional("alpha", 1.0), ConfigKey.optional("gamma", 2.0));

    public SoftmaxFocal {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("softmax_focal.alpha must be a finite number > 0, got " + alpha);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("softmax_focal.gamma must be a finite number >= 0, got " + gamma);
        }
    }

    @Override
    public String name() {
        return "softmax_focal";
    }

    @Override
    public PerSample perSample(INDArray logits, INDArray labels) {
        INDArray t = Labels.classes(name(), logits, labels);
        INDArray logP = Ops.logSoftmax(logits);
        INDArray p = Transforms.exp(logP, true);
        INDArray q = Transforms.expm1(logP, true).negi();
        INDArray modulator = gamma == 0 ? q.like().assign(1) : Transforms.pow(q, gamma, true);
        INDArray losses = t.mul(modulator).muli(logP).sum(1).muli(-alpha);
        INDArray a = modulator.neg();
        if (gamma != 0) {
            INDArray qPow = Transforms.pow(Transforms.max(q, SigmoidFocal.Q_FLOOR, true), gamma - 1, false);
            a.addi(qPow.muli(p).muli(logP).muli(gamma));
        }
        INDArray ta = t.mul(a);
        INDArray gradient = ta.sub(p.mulColumnVector(ta.sum(true, 1))).muli(alpha);
        return new PerSample(losses, gradient);
    }

    @Override
    public INDArray predict(INDArray logits) {
        return Ops.softmax(logits);
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        Labels.classes(name(), output, labels);
    }
}
