package dev.sparktrain.driver.exchange;

/**
 * A message between the driver and a worker as both ends see it: a {@link MessageChannel} type ({@code TASK},
 * {@code RESULT}, {@code FAILED} with the error's text, {@code END}) and the object it carries.
 */
record Envelope(byte type, Object body) {
}
