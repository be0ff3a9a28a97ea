package dev.sparktrain.driver;

import java.util.Map;

/** {@link PinnedResultsTest} with local mode's channel over TCP, the links a cluster's workers use. */
class PinnedResultsOverTcpTest extends PinnedResultsTest {

    @Override
    public Map<String, String> sparkSettings() {
        return Map.of("spark.sparktrain.channel.inMemory", "false");
    }
}
