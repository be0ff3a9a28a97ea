package dev.sparktrain.driver.modes;

/**
 * What one round did: samples used and their mean loss; the L2 norms of the gradient the driver applied (the mean
 * gradient in {@code sync} mode, the pseudo-gradient θ − mean(θ_workers) in the local-step modes) and of the
 * parameter change; the training optimizer's learning rate; and what the round cost.
 */
public record RoundResult(long samples, double loss, double gradientNorm, double updateNorm, double learningRate,
                          RoundCost cost) {

    public static final RoundResult EMPTY = new RoundResult(0, Double.NaN, 0, 0, Double.NaN, RoundCost.NONE);
}
