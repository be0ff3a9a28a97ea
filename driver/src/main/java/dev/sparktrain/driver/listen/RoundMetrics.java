package dev.sparktrain.driver.listen;

/**
 * What one round did and cost. {@code learningRate}: the training optimizer's rate (after schedules);
 * {@code gradientNorm}: L2 norm of the gradient the driver applied (the pseudo-gradient in the local-step modes);
 * {@code updateRatio}: ‖Δθ‖/‖θ‖ after the update (around 1e-3 is healthy). Times in seconds: {@code seconds} is
 * the round's wall time, split into {@code broadcastSeconds} (driver), {@code jobSeconds} (the Spark job, of
 * which the slowest task spent {@code fetchSeconds} reading the broadcast and {@code computeSeconds} computing;
 * {@code sparkSeconds} is the rest) and {@code driverSeconds} (applying the result). Bytes are array payloads.
 */
public record RoundMetrics(int epoch, int round, int rounds, long samples, double loss, double learningRate,
                           double gradientNorm, double updateNorm, double updateRatio, double seconds,
                           double broadcastSeconds, double jobSeconds, double fetchSeconds, double computeSeconds,
                           double sparkSeconds, double driverSeconds, long broadcastBytes, long resultBytes) {
}
