package dev.sparktrain.driver;

import dev.sparktrain.driver.aggregate.WirePrecision;

/**
 * How rounds move their vectors between the driver and the workers ({@code training.exchange}), validated at
 * construction.
 *
 * @param topology       {@code training.exchange.topology}: {@code star} (default) or {@code tree}; the same results
 *                       either way ({@link ExchangeTopology})
 * @param pseudoGradient {@code training.exchange.pseudo_gradient}: {@code float32} (default), {@code bf16} or
 *                       {@code fp16}, the precision of the local-step modes' pseudo-gradients on the wire, with error
 *                       feedback ({@link WirePrecision})
 */
public record ExchangeConfig(ExchangeTopology topology, WirePrecision pseudoGradient) {

    public ExchangeConfig {
        if (topology == null) {
            throw new IllegalArgumentException("training.exchange.topology must be set");
        }
        if (pseudoGradient == null) {
            throw new IllegalArgumentException("training.exchange.pseudo_gradient must be set");
        }
    }

    /** The defaults: the star, float32. */
    public static ExchangeConfig defaults() {
        return new ExchangeConfig(ExchangeTopology.STAR, WirePrecision.FLOAT32);
    }

    public ExchangeConfig withTopology(ExchangeTopology newTopology) {
        return new ExchangeConfig(newTopology, pseudoGradient);
    }

    public ExchangeConfig withPseudoGradient(WirePrecision newPrecision) {
        return new ExchangeConfig(topology, newPrecision);
    }
}
