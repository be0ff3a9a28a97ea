package dev.sparktrain.ops.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.ActivationLayer;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Dropout;
import dev.sparktrain.ops.layers.Flatten;
import dev.sparktrain.ops.layers.GlobalAvgPool;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Residual;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.losses.SigmoidFocal;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.regularization.Penalty;
import dev.sparktrain.ops.regularization.Regularization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark ships the spec inside task closures with Java serialization: every description must round-trip. */
class SpecSerializationTest {

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void everyLayerKindAndRegularizationRoundTrip() throws Exception {
        NetworkSpec spec = new NetworkSpec(new Shape(1, 8, 8), List.of(
                new Conv2d(4, Size2.square(3), Size2.square(1), Padding.explicit(1, 1), Size2.square(1), false,
                        Activations.byName("gelu_tanh"), WeightInit.constant(0.1)),
                new BatchNorm(), Pool2d.max(2), new Pool2d(false, Size2.square(2), Size2.square(1), Padding.SAME),
                Residual.of(List.of(Conv2d.of(6, 3, Padding.SAME, Activations.byName("relu")), new BatchNorm(),
                        Residual.of(List.of(Conv2d.of(6, 1, Padding.VALID, Activations.byName("relu")))))),
                new ActivationLayer(Activations.byName("leaky_relu")), new GlobalAvgPool(), new Dropout(0.2),
                new Flatten(), new Dense(3, Activations.byName("identity"), WeightInit.HE_NORMAL)),
                new SoftmaxCrossEntropy(0.1), Regularization.of(Penalty.l2(1e-4)).withLayer(9, Penalty.l1(1e-3)));
        assertEquals(spec, roundTrip(spec));
        for (String name : Activations.names()) {
            assertEquals(Activations.byName(name), roundTrip(Activations.byName(name)));
        }
        Loss focal = new SigmoidFocal(0.25, 2);
        assertEquals(focal, roundTrip(focal));
    }
}
