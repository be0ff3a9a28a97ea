package dev.sparktrain.ops.layers;

import java.util.List;

/**
 * Moves ReLU's derivative from a layer whose output is ReLU's into the max-pooling layer right after it. A max-pool's
 * backward puts dLoss/dy only on each window's maximum and zeros elsewhere, and at a maximum ReLU's output equals the
 * window's output; so the pool can zero the gradient of every window whose output is not positive, and the layer
 * before it then uses what it gets as dLoss/dz and skips its own pass over the whole gradient. The result is the same
 * bit for bit: ReLU's derivative makes +0 of what it masks, and the pool's zeros are +0 too.
 *
 * <p>Decided from a sequence of bound layers where each layer's output goes only to the next (a network's, a residual
 * branch's), once, before any pass: the pairs are the adjacent layers where the first {@linkplain
 * Layer#canHandOffReluDerivative can hand off} and the second {@linkplain Layer#canTakeReluDerivative can take}; no
 * other layer sees a difference. Forward passes are unchanged, so evaluation networks (forward only) compute exactly
 * what they did.
 */
public final class ReluDerivativeHandOff {

    private ReluDerivativeHandOff() {
    }

    /** Tells each such pair of adjacent layers to hand ReLU's derivative over; returns how many pairs there were. */
    public static int arrange(List<Layer> layers) {
        int pairs = 0;
        for (int i = 0; i + 1 < layers.size(); i++) {
            Layer producer = layers.get(i);
            Layer consumer = layers.get(i + 1);
            if (producer.canHandOffReluDerivative() && consumer.canTakeReluDerivative()) {
                consumer.takeReluDerivative();
                producer.handOffReluDerivative();
                pairs++;
            }
        }
        return pairs;
    }
}
