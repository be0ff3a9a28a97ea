package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hard sigmoid f(z) = clip(slope·z + offset, 0, 1); f'(z) = slope where 0 &lt; slope·z + offset &lt; 1, else 0.
 * Two forms are in use under one name:
 * <ul>
 *   <li>PyTorch's {@code Hardsigmoid} and Keras 3: relu6(z + 3)/6, slope 1/6, offset ½ (the default);</li>
 *   <li>Keras 2 and TensorFlow 1 ({@code tf.keras.activations.hard_sigmoid} before Keras 3): clip(0.2z + 0.5, 0, 1),
 *       {@code {type: hard_sigmoid, slope: 0.2}}.</li>
 * </ul>
 */
public record HardSigmoid(double slope, double offset) implements Activation {

    /** PyTorch's and Keras 3's slope. */
    public static final double PYTORCH_SLOPE = 1.0 / 6;
    /** Keras 2's and TensorFlow 1's slope. */
    public static final double KERAS2_SLOPE = 0.2;
    public static final double DEFAULT_OFFSET = 0.5;

    /** {@code hard_sigmoid}: slope [1/6], offset [0.5]. */
    public static final Kind<HardSigmoid> KIND = Kind.of("hard_sigmoid",
            o -> new HardSigmoid(o.number("slope", PYTORCH_SLOPE), o.number("offset", DEFAULT_OFFSET)),
            ConfigKey.optional("slope", PYTORCH_SLOPE), ConfigKey.optional("offset", DEFAULT_OFFSET));

    /** PyTorch's form. */
    public HardSigmoid() {
        this(PYTORCH_SLOPE, DEFAULT_OFFSET);
    }

    public HardSigmoid {
        if (!(slope > 0) || Double.isInfinite(slope)) {
            throw new IllegalArgumentException("hard_sigmoid.slope must be a finite number > 0, got " + slope);
        }
        if (!Double.isFinite(offset)) {
            throw new IllegalArgumentException("hard_sigmoid.offset must be a finite number, got " + offset);
        }
    }

    /** Keras 2's and TensorFlow 1's form, clip(0.2z + 0.5, 0, 1). */
    public static HardSigmoid keras2() {
        return new HardSigmoid(KERAS2_SLOPE, DEFAULT_OFFSET);
    }

    @Override
    public String name() {
        return "hard_sigmoid";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.min(Transforms.max(z.mul(slope).addi(offset), 0.0, false), 1.0, false);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray u = z.mul(slope).addi(offset);
        INDArray inside = u.gt(0).castTo(z.dataType()).muli(u.lt(1).castTo(z.dataType()));
        return inside.muli(slope).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
