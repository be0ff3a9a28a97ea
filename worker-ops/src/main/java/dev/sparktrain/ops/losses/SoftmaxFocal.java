package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax (multi-class) focal loss (Lin et al. 2017 extended to softmax) on logits x: with p = softmax(x),
 * log p the log-softmax, q = 1 − p computed as −expm1(log p), and target row t (one-hot or a distribution),
 * ℓ_i = −α Σ_c t_c·q_c^γ·log p_c. With a_c = γ·q_c^(γ−1)·p_c·log p_c − q_c^γ the gradient is
 * dℓ_i/dx_j = α·(t_j·a_j − p_j·Σ_c t_c·a_c). q^(γ−1) uses max(q, 1e−30). γ = 0 and α = 1 is softmax
 * cross-entropy. A scalar α (default 1) scales the whole loss; a list gives one α_c per class,
 * ℓ_i = −Σ_c α_c·t_c·q_c^γ·log p_c, whose gradient is the formula above with t_c replaced by α_c·t_c (it is linear
 * in t). Defaults γ = 2.
 */
public record SoftmaxFocal(List<Double> alpha, double gamma) implements Loss {

    /** {@code softmax_focal}: alpha [1] (a number, or a list with one per class), gamma [2]. */
    public static final Kind<SoftmaxFocal> KIND = Kind.of("softmax_focal",
            o -> new SoftmaxFocal(o.has("alpha") ? o.numbers("alpha") : List.of(1.0), o.number("gamma", 2.0)),
            ConfigKey.optional("alpha", 1.0), ConfigKey.optional("gamma", 2.0));

    /** One α scaling every class. */
    public SoftmaxFocal(double alpha, double gamma) {
        this(List.of(alpha), gamma);
    }

    public SoftmaxFocal {
        alpha = List.copyOf(alpha);
        if (alpha.isEmpty()) {
            throw new IllegalArgumentException("softmax_focal.alpha must be a number or a non-empty list");
        }
        if (alpha.size() == 1 && (!(alpha.get(0) > 0) || Double.isInfinite(alpha.get(0)))) {
            throw new IllegalArgumentException("softmax_focal.alpha must be a finite number > 0, got " + alpha.get(0));
        }
        for (int c = 0; alpha.size() > 1 && c < alpha.size(); c++) {
            if (!(alpha.get(c) >= 0) || Double.isInfinite(alpha.get(c))) {
                throw new IllegalArgumentException("softmax_focal.alpha[" + c + "] must be a finite number >= 0, got "
                        + alpha.get(c));
            }
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
        // α_c·t_c: the loss and its gradient are linear in the target row.
        INDArray t = Labels.classes(name(), logits, labels).muliRowVector(ClassAlpha.row(name(), alpha, logits));
        INDArray logP = Ops.logSoftmax(logits);
        INDArray p = Transforms.exp(logP, true);
        INDArray q = Transforms.expm1(logP, true).negi();
        INDArray modulator = gamma == 0 ? q.like().assign(1) : Transforms.pow(q, gamma, true);
        INDArray losses = t.mul(modulator).muli(logP).sum(1).negi();
        INDArray a = modulator.neg();
        if (gamma != 0) {
            INDArray qPow = Transforms.pow(Transforms.max(q, SigmoidFocal.Q_FLOOR, true), gamma - 1, false);
            a.addi(qPow.muli(p).muli(logP).muli(gamma));
        }
        INDArray ta = t.mul(a);
        INDArray gradient = ta.sub(p.mulColumnVector(ta.sum(true, 1)));
        return new PerSample(losses, gradient);
    }

    @Override
    public void checkOutputs(long outputs) {
        ClassAlpha.check(name(), alpha, outputs);
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
