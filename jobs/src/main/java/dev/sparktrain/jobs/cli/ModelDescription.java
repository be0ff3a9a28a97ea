package dev.sparktrain.jobs.cli;

import dev.sparktrain.ops.layers.ActivationLayer;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Dropout;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.regularization.Penalty;
import dev.sparktrain.ops.regularization.Regularization;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How {@code inspect} shows a network, in words a user wrote in the config: one row per layer with its activation
 * and its kernel (size, stride, padding), output shape and parameter counts; regularization and option maps as
 * {@code key value} lists, numbers as written ({@code 1e-8}, not {@code 1.0E-8}).
 */
final class ModelDescription {

    private static final String ROW = "%3s  %-10s %-12s %-22s %-14s %10s %12s%n";

    private ModelDescription() {
    }

    static String layers(NetworkSpec spec) {
        List<Shape> shapes = spec.shapes();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, ROW, "#", "layer", "activation", "kernel", "output", "params",
                "not trained"));
        sb.append(String.format(Locale.ROOT, ROW, "-", "input", "", "", shape(shapes.get(0)), 0, 0));
        long total = 0;
        long frozen = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            NetworkSpec.ParameterCount count = spec.parameterCount(i);
            total += count.total();
            frozen += count.notTrained();
            LayerSpec layer = spec.layers().get(i);
            sb.append(String.format(Locale.ROOT, ROW, i, layer.kind(), activation(layer), kernel(layer),
                    shape(shapes.get(i + 1)), count.total(), count.notTrained()));
        }
        sb.append("total: ").append(total).append(" parameters (").append(total - frozen).append(" trained, ")
                .append(frozen).append(" not trained), loss ").append(spec.loss().name()).append('\n');
        return sb.toString();
    }

    static String activation(LayerSpec layer) {
        if (layer instanceof Dense d) {
            return d.activation().name();
        }
        if (layer instanceof Conv2d c) {
            return c.activation().name();
        }
        if (layer instanceof ActivationLayer a) {
            return a.activation().name();
        }
        return "";
    }

    static String kernel(LayerSpec layer) {
        if (layer instanceof Conv2d c) {
            return size(c.kernel()) + " stride " + size(c.stride()) + " " + padding(c.padding())
                    + (c.dilation().h() == 1 && c.dilation().w() == 1 ? "" : " dilation " + size(c.dilation()));
        }
        if (layer instanceof Pool2d p) {
            return size(p.kernel()) + " stride " + size(p.stride()) + " " + padding(p.padding());
        }
        if (layer instanceof Dropout d) {
            return "rate " + number(d.rate());
        }
        if (layer instanceof BatchNorm b) {
            return "momentum " + number(b.momentum());
        }
        return "";
    }

    static String regularization(Regularization r) {
        if (!r.enabled()) {
            return "off";
        }
        StringJoiner parts = new StringJoiner(", ");
        if (!r.global().isZero()) {
            parts.add(penalty(r.global()));
        }
        r.perLayer().forEach((layer, p) -> parts.add("layer " + layer + ": " + penalty(p)));
        return parts.length() == 0 ? "none" : parts.toString();
    }

    /** A map of options as {@code type adam, lr 0.001, beta1 0.9, ...}. */
    static String options(Map<String, Object> values) {
        StringJoiner parts = new StringJoiner(", ");
        values.forEach((k, v) -> parts.add(k + " " + (v instanceof Number n ? number(n.doubleValue())
                : v instanceof Map<?, ?> m ? "{" + options(stringKeys(m)) + "}" : String.valueOf(v))));
        return parts.toString();
    }

    /** A number as people write it: 0.001, 1e-8, 64, 2.5. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e7) {
            String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toString().toLowerCase(Locale.ROOT);
            return s.replace("e+", "e");
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String penalty(Penalty p) {
        StringJoiner parts = new StringJoiner(" ");
        if (p.l1() != 0) {
            parts.add("l1 " + number(p.l1()));
        }
        if (p.l2() != 0) {
            parts.add("l2 " + number(p.l2()));
        }
        return parts.length() == 0 ? "none" : parts.toString();
    }

    private static String size(Size2 s) {
        return s.h() + "x" + s.w();
    }

    private static String padding(Padding p) {
        return switch (p.mode()) {
            case VALID -> "valid";
            case SAME -> "same";
            case EXPLICIT -> "pad " + p.h() + "x" + p.w();
        };
    }

    private static String shape(Shape s) {
        StringJoiner j = new StringJoiner("x");
        for (long d : s.dims()) {
            j.add(Long.toString(d));
        }
        return j.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
