package dev.sparktrain.driver;

import java.util.Map;

/**
 * {@link PinnedResultsTest} with Spark's authentication and network encryption on and local mode's channel over TCP:
 * the channel's links then derive their key from Spark's secret and encrypt every frame, and the parameters stay
 * bit for bit the pinned ones.
 */
class PinnedResultsEncryptedOverTcpTest extends PinnedResultsTest {

    @Override
    public Map<String, String> sparkSettings() {
        return Map.of("spark.sparktrain.channel.inMemory", "false",
                "spark.authenticate", "true",
                "spark.authenticate.secret", "pinned results' shared secret",
                "spark.network.crypto.enabled", "true");
    }
}
