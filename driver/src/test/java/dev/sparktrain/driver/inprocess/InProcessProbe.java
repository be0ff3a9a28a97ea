package dev.sparktrain.driver.inprocess;

import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.optim.Adam;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Run by {@link InProcessWithoutSparkTest} in a JVM without Spark or Scala on its class path: says whether Spark is
 * reachable, then trains one of the pinned runs in process and prints its checksum.
 */
public final class InProcessProbe {

    private InProcessProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean spark;
        try {
            Class.forName("org.apache.spark.SparkContext");
            spark = true;
        } catch (ClassNotFoundException e) {
            spark = false;
        }
        System.out.println("spark-on-classpath=" + spark);
        NetworkSpec spec = new NetworkSpec(new Shape(5), List.of(new Dense(6, new Relu()),
                new Dense(3, new Identity())), new SoftmaxCrossEntropy());
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 7).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null);
        List<DataBlock> partitions = List.of(TestBlocks.random(90, 5, 3, 1, 1), TestBlocks.random(61, 5, 3, 1, 2));
        float[] params = InProcessTrainer.fit(spec, Adam.defaults(0.02), config, partitions).params().toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(4 * params.length);
        for (float v : params) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        System.out.println("sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(bytes.array())).substring(0, 16));
    }
}
