package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.init.WeightInit;

/**
 * A tensor a layer asks for: its local name ("W", "b"), shape, how to initialise it, the fan-in/fan-out the
 * initialiser scales by, and its {@link Role}: weights are penalised by L1/L2 regularization, biases (and
 * batch-norm scale/shift) are trained but not penalised, state (running statistics) is neither trained nor
 * penalised.
 */
public record ParamShape(String name, long[] shape, WeightInit init, long fanIn, long fanOut, Role role) {

    /** What a tensor is for; decides training and regularization. */
    public enum Role { WEIGHT, BIAS, STATE }

    /** A weight tensor. */
    public ParamShape(String name, long[] shape, WeightInit init, long fanIn, long fanOut) {
        this(name, shape, init, fanIn, fanOut, Role.WEIGHT);
    }

    public ParamShape {
        shape = shape.clone();
        if (role == null) {
            throw new IllegalArgumentException("parameter " + name + ": role must be set");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Values in the tensor: the product of its dimensions. */
    public long length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The same tensor under another local name (a block prefixes its children's). */
    public ParamShape renamed(String newName) {
        return new ParamShape(newName, shape, init, fanIn, fanOut, role);
    }

    public boolean trainable() {
        return role != Role.STATE;
    }
}
