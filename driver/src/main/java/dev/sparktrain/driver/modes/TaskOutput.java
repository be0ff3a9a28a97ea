package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;

/** What a {@link RoundTask} returns: its result for the driver's merge, and what its worker carries on. */
public record TaskOutput(RoundSums result, Carry carry) {
}
