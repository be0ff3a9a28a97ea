package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import dev.sparktrain.ops.config.Suggestions;
import java.util.List;

/**
 * Builds losses from configuration, e.g. {@code loss: {type: softmax_cross_entropy, label_smoothing: 0.1}},
 * {@code {type: huber, delta: 2}}, {@code {type: sigmoid_focal, alpha: 0.25, gamma: 2}}. Each loss declares its
 * options and defaults next to its class (the {@code KIND} constants); a new loss is its class plus one line here.
 * Families:
 * <ul>
 *   <li>{@code mse}, {@code mae}, {@code huber}: regression, labels shaped like the output;</li>
 *   <li>{@code binary_cross_entropy} (on probabilities), {@code binary_cross_entropy_with_logits},
 *       {@code sigmoid_focal}: labels in [0, 1] shaped like the output;</li>
 *   <li>{@code softmax_cross_entropy} / {@code categorical_cross_entropy}, {@code nll} (on log-probabilities),
 *       {@code hinge}, {@code squared_hinge}, {@code softmax_focal}: class indices or one-hot rows.</li>
 * </ul>
 */
public final class Losses {

    /** Every loss, in the order the documentation lists them. */
    public static final Registry<Loss> REGISTRY = new Registry<>(
            MeanSquaredError.KIND,
            MeanAbsoluteError.KIND,
            Huber.KIND,
            BinaryCrossEntropy.KIND,
            BinaryCrossEntropyWithLogits.KIND,
            SoftmaxCrossEntropy.KIND,
            SoftmaxCrossEntropy.KIND.alias("categorical_cross_entropy"),
            NegativeLogLikelihood.KIND,
            MultiClassHinge.KIND,
            MultiClassHinge.SQUARED_KIND,
            SigmoidFocal.KIND,
            SoftmaxFocal.KIND);

    private Losses() {
    }

    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The loss its options describe; {@code type} picks it. Errors name the option's path. */
    public static Loss create(Options o) {
        String type = o.string("type");
        Kind<? extends Loss> kind = REGISTRY.find(type).orElseThrow(() -> new IllegalArgumentException(
                o.field("type") + " '" + type + "' is not a loss" + Suggestions.didYouMean(type, names())));
        Loss loss;
        try {
            loss = kind.build(o);
        } catch (IllegalArgumentException e) {
            if (o.path().isEmpty() || e.getMessage().startsWith(o.path())) {
                throw e;
            }
            throw new IllegalArgumentException(o.path() + ": " + e.getMessage(), e);
        }
        kind.refuseOtherKeys(o, "type");
        return loss;
    }
}
