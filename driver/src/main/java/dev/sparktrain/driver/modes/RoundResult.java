package dev.sparktrain.driver.modes;

import dev.sparktrain.ps.ParameterServer;

/**
 * What one round did: samples used and their mean loss; the server's update, with the L2 norms of the gradient the
 * driver applied (the mean gradient in {@code sync} mode, the pseudo-gradient θ − mean(θ_workers) in the local-step
 * modes) and of the parameter change; the training optimizer's learning rate; and what the round cost. The norms of a
 * fused update are measured when first read, at the latest before the server changes again.
 */
public record RoundResult(long samples, double loss, ParameterServer.Update update, double learningRate,
                          RoundCost cost) {

    public static final RoundResult EMPTY = new RoundResult(0, Double.NaN, new ParameterServer.Update(0, 0),
            Double.NaN, RoundCost.NONE);

    public double gradientNorm() {
        return update.gradientNorm();
    }

    public double updateNorm() {
        return update.updateNorm();
    }
}
