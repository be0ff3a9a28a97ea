package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Sigmoid focal loss (Lin et al. 2017, as torchvision's {@code sigmoid_focal_loss}) on logits x, targets
 * y ∈ [0, 1]: with p = σ(x), ce = softplus(x) − x·y, q = 1 − p_t = y·σ(−x) + (1 − y)·σ(x) and
 * α_t = α·y + (1 − α)(1 − y) (α_t = 1 when α &lt; 0, "no balancing"), the element loss is α_t·ce·q^γ and
 * ℓ_i is its mean over the D outputs. α is one number for every output, or a list with one α_c per output column
 * (per class of a multi-label head, as detection codebases weight rare classes), each in [0, 1]. Derivative:
 * d/dx = α_t·[(p − y)·q^γ − γ·ce·(2y − 1)·p(1 − p)·q^(γ−1)], q computed from σ(±x) so it is exact near 0;
 * q^(γ−1) uses max(q, 1e−30) so that γ &lt; 1 stays finite where q underflows. γ = 0, α &lt; 0 is plain binary
 * cross-entropy with logits. Defaults α = 0.25, γ = 2.
 */
public record SigmoidFocal(List<Double> alpha, double gamma) implements Loss {

    /** {@code sigmoid_focal}: alpha [0.25] (a number, or a list with one per output), gamma [2]. */
    public static final Kind<SigmoidFocal> KIND = Kind.of("sigmoid_focal",
            o -> new SigmoidFocal(o.has("alpha") ? o.numbers("alpha") : List.of(0.25), o.number("gamma", 2.0)),
            ConfigKey.optional("alpha", 0.25), ConfigKey.optional("gamma", 2.0));

    static final double Q_FLOOR = 1e-30;

    /** One α for every output. */
    public SigmoidFocal(double alpha, double gamma) {
        this(List.of(alpha), gamma);
    }

    public SigmoidFocal {
        alpha = List.copyOf(alpha);
        if (alpha.isEmpty()) {
            throw new IllegalArgumentException("sigmoid_focal.alpha must be a number or a non-empty list");
        }
        if (alpha.size() == 1 && (!(alpha.get(0) <= 1) || Double.isNaN(alpha.get(0)))) {
            throw new IllegalArgumentException("sigmoid_focal.alpha must be in [0, 1] (or < 0 to disable), got "
                    + alpha.get(0));
        }
        for (int c = 0; alpha.size() > 1 && c < alpha.size(); c++) {
            if (!(alpha.get(c) >= 0 && alpha.get(c) <= 1)) {
                throw new IllegalArgumentException("sigmoid_focal.alpha[" + c + "] must be in [0, 1], got "
                        + alpha.get(c));
            }
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
        PerSample elements = elements(x, labels);
        double d = x.size(1);
        return new PerSample(elements.losses().sum(1).divi(d), elements.gradient().divi(d));
    }

    /** α_t·ce·q^γ per element. */
    @Override
    public INDArray unreduced(INDArray x, INDArray labels) {
        return elements(x, labels).losses();
    }

    /** The element losses {@code [B, D]} and their derivatives, before the mean over D. */
    private PerSample elements(INDArray x, INDArray labels) {
        INDArray y = Labels.sameShape(name(), x, labels);
        Labels.checkUnitInterval(name(), "labels", y);
        INDArray p = Ops.sigmoid(x);
        INDArray pNeg = Ops.sigmoid(x.neg());
        INDArray q = y.mul(pNeg).addi(y.rsub(1.0).muli(p));
        INDArray ce = Ops.softplus(x).subi(x.mul(y));
        INDArray alphaT = null;
        if (alpha.size() > 1 || alpha.get(0) >= 0) {
            // α_t = α·y + (1 − α)(1 − y) = (1 − α) + y·(2α − 1), α a [1, D] row.
            INDArray a = ClassAlpha.row(name(), alpha, x);
            alphaT = y.mulRowVector(a.mul(2).subi(1)).addiRowVector(a.rsub(1.0));
        }
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
        return new PerSample(loss, grad);
    }

    @Override
    public void checkOutputs(long outputs) {
        ClassAlpha.check(name(), alpha, outputs);
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
