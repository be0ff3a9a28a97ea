package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;
import static dev.sparktrain.jobs.onnx.OnnxGraph.real;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Elu;
import dev.sparktrain.ops.activations.Gelu;
import dev.sparktrain.ops.activations.HardSigmoid;
import dev.sparktrain.ops.activations.HardTanh;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.LeakyRelu;
import dev.sparktrain.ops.activations.LogSoftmax;
import dev.sparktrain.ops.activations.Mish;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.activations.Selu;
import dev.sparktrain.ops.activations.Sigmoid;
import dev.sparktrain.ops.activations.Silu;
import dev.sparktrain.ops.activations.Softmax;
import dev.sparktrain.ops.activations.Softplus;
import dev.sparktrain.ops.activations.Softsign;
import dev.sparktrain.ops.activations.Tanh;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX form of every activation, one entry per activation kind, in standard ONNX ops at {@link OnnxExporter#OPSET}
 * (17). Activations ONNX has as one op at that opset map to it (Relu, LeakyRelu, Elu, Selu, Sigmoid, Tanh, Softsign,
 * Softmax and LogSoftmax on the last axis, HardSigmoid with the layer's slope and offset as alpha and beta, Clip for
 * hard_tanh; softplus is Softplus, with β and threshold as Where(βx &gt; threshold, x, Softplus(βx)/β)); the others
 * are composed from
 * standard ops with the library's formula: gelu = x·½(1 + Erf(x/√2)), gelu_tanh = x·½(1 + Tanh(√(2/π)(x + 0.044715x³)))
 * (ONNX's own Gelu op arrives only at opset 20), silu = x·Sigmoid(x), mish = x·Tanh(Softplus(x)) (Mish arrives at
 * opset 18). An activation kind without an entry is refused by name, never skipped.
 */
final class OnnxActivations {

    /** How one activation kind becomes ONNX nodes: returns the name of its output value. */
    @FunctionalInterface
    interface Mapping<A extends Activation> {
        String apply(A activation, String x, String hint, OnnxGraph g);
    }

    private static final Map<Class<?>, Mapping<?>> MAPPINGS = new HashMap<>();

    static {
        register(Identity.class, (a, x, hint, g) -> x);
        register(Relu.class, (a, x, hint, g) -> g.node("Relu", hint, List.of(x)));
        register(LeakyRelu.class, (a, x, hint, g) -> g.node("LeakyRelu", hint, List.of(x), real("alpha", a.alpha())));
        register(Elu.class, (a, x, hint, g) -> g.node("Elu", hint, List.of(x), real("alpha", a.alpha())));
        register(Selu.class, (a, x, hint, g) -> g.node("Selu", hint, List.of(x), real("alpha", Selu.ALPHA),
                real("gamma", Selu.SCALE)));
        register(Gelu.class, OnnxActivations::gelu);
        register(Silu.class, (a, x, hint, g) -> g.node("Mul", hint, List.of(x,
                g.node("Sigmoid", hint + ".sigmoid", List.of(x)))));
        register(Mish.class, (a, x, hint, g) -> g.node("Mul", hint, List.of(x, g.node("Tanh", hint + ".tanh",
                List.of(g.node("Softplus", hint + ".softplus", List.of(x)))))));
        register(Softplus.class, OnnxActivations::softplus);
        register(Sigmoid.class, (a, x, hint, g) -> g.node("Sigmoid", hint, List.of(x)));
        register(HardSigmoid.class, (a, x, hint, g) -> g.node("HardSigmoid", hint, List.of(x),
                real("alpha", a.slope()), real("beta", a.offset())));
        register(Tanh.class, (a, x, hint, g) -> g.node("Tanh", hint, List.of(x)));
        register(HardTanh.class, (a, x, hint, g) -> g.node("Clip", hint, List.of(x, g.scalar(hint + ".min", -1),
                g.scalar(hint + ".max", 1))));
        register(Softsign.class, (a, x, hint, g) -> g.node("Softsign", hint, List.of(x)));
        register(Softmax.class, (a, x, hint, g) -> g.node("Softmax", hint, List.of(x), integer("axis", -1)));
        register(LogSoftmax.class, (a, x, hint, g) -> g.node("LogSoftmax", hint, List.of(x), integer("axis", -1)));
    }

    private OnnxActivations() {
    }

    private static <A extends Activation> void register(Class<A> kind, Mapping<A> mapping) {
        MAPPINGS.put(kind, mapping);
    }

    /** Whether this activation kind has an ONNX form. */
    static boolean has(Activation activation) {
        return MAPPINGS.containsKey(activation.getClass());
    }

    /**
     * Adds {@code activation} applied to {@code x}; returns the output's name ({@code x} itself for identity).
     * {@code where} names the layer for the refusal of an activation without an ONNX form.
     */
    @SuppressWarnings("unchecked")
    static String apply(Activation activation, String x, String hint, OnnxGraph g, String where) {
        Mapping<Activation> mapping = (Mapping<Activation>) MAPPINGS.get(activation.getClass());
        if (mapping == null) {
            throw new IllegalArgumentException("layer " + where + ": activation '" + activation.name()
                    + "' cannot be exported to ONNX (no ONNX mapping for it)");
        }
        return mapping.apply(activation, x, hint, g);
    }

    /**
     * PyTorch's softplus with β and threshold: Where(βx &gt; threshold, x, Softplus(βx)/β); at β = 1 the scaling
     * nodes are left out.
     */
    private static String softplus(Softplus a, String x, String hint, OnnxGraph g) {
        String scaled = a.beta() == 1 ? x : g.node("Mul", hint + ".beta_x", List.of(x, g.scalar(hint + ".beta",
                a.beta())));
        String soft = g.node("Softplus", hint + ".soft", List.of(scaled));
        if (a.beta() != 1) {
            soft = g.node("Div", hint + ".soft_over_beta", List.of(soft, g.scalar(hint + ".beta_div", a.beta())));
        }
        if (Double.isInfinite(a.threshold())) {
            return g.node("Identity", hint, List.of(soft));
        }
        String linear = g.node("Greater", hint + ".linear", List.of(scaled, g.scalar(hint + ".threshold",
                a.threshold())));
        return g.node("Where", hint, List.of(linear, x, soft));
    }

    private static String gelu(Gelu a, String x, String hint, OnnxGraph g) {
        String inner;
        String squash;
        if (a.tanhApproximation()) {
            String cube = g.node("Mul", hint + ".x3", List.of(g.node("Mul", hint + ".x2", List.of(x, x)), x));
            String poly = g.node("Add", hint + ".poly", List.of(g.node("Mul", hint + ".cubic",
                    List.of(cube, g.scalar(hint + ".c", 0.044715))), x));
            inner = g.node("Mul", hint + ".u", List.of(poly, g.scalar(hint + ".sqrt_2_over_pi",
                    Math.sqrt(2 / Math.PI))));
            squash = g.node("Tanh", hint + ".tanh", List.of(inner));
        } else {
            inner = g.node("Mul", hint + ".scaled", List.of(x, g.scalar(hint + ".inv_sqrt2", 1 / Math.sqrt(2))));
            squash = g.node("Erf", hint + ".erf", List.of(inner));
        }
        String half = g.node("Mul", hint + ".cdf", List.of(g.node("Add", hint + ".one_plus", List.of(squash,
                g.scalar(hint + ".one", 1))), g.scalar(hint + ".half", 0.5)));
        return g.node("Mul", hint, List.of(x, half));
    }
}
