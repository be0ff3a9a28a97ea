package dev.sparktrain.driver.exchange;

/**
 * Bytes through the driver's own connections to the workers, counted since its transport was made: what the driver
 * sent and what it received. Messages and their framing count; TCP/IP headers do not.
 */
public record LinkBytes(long sent, long received) {

    /** Nothing counted: no connection of the driver's own carried anything (in memory, or one Spark job per round). */
    public static final LinkBytes ZERO = new LinkBytes(0, 0);

    public LinkBytes plus(LinkBytes other) {
        return new LinkBytes(sent + other.sent, received + other.received);
    }

    public LinkBytes minus(LinkBytes earlier) {
        return new LinkBytes(sent - earlier.sent, received - earlier.received);
    }
}
