package dev.sparktrain.driver.exchange;

import java.util.Map;

/** {@link ChannelTransportTest} with local mode's channel over TCP, the links a cluster's workers use. */
class ChannelOverTcpTest extends ChannelTransportTest {

    @Override
    public Map<String, String> sparkSettings() {
        return Map.of(ChannelTransport.IN_MEMORY, "false");
    }

    @Override
    boolean expectInMemory() {
        return false;
    }
}
