package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.RoundTransport;
import java.util.List;
import java.util.Map;

/** {@link TreeExchangeTest} with local mode's channel over TCP: the links a cluster's workers use, among them too. */
class TreeExchangeOverTcpTest extends TreeExchangeTest {

    @Override
    public Map<String, String> sparkSettings() {
        return Map.of("spark.master", "local[5]", ChannelTransport.IN_MEMORY, "false");
    }

    @Override
    List<RoundTransport> transports() {
        return List.of(RoundTransport.CHANNEL);
    }
}
