package dev.sparktrain.jobs.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exported model loaded by ONNX Runtime: creating the session parses the file and checks the graph (types and
 * shapes inferred through every node, every op known at its opset), so a malformed export fails here. Graph
 * optimisations are off, so ONNX Runtime computes the graph as written rather than a fused rewrite of it.
 */
final class OrtModel implements AutoCloseable {

    private final OrtSession session;

    OrtModel(byte[] model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        options.setIntraOpNumThreads(1);
        session = OrtEnvironment.getEnvironment().createSession(model, options);
    }

    OrtSession session() {
        return session;
    }

    /** Every output for {@code rows} rows of {@code width} raw features each (row-major), by name, flattened. */
    Map<String, Object> run(float[] features, int rows, int width) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Object> out = new LinkedHashMap<>();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {rows, width});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                out.put(e.getKey(), switch (t.getInfo().type) {
                    case FLOAT -> {
                        FloatBuffer b = t.getFloatBuffer();
                        float[] v = new float[b.remaining()];
                        b.get(v);
                        yield v;
                    }
                    case INT64 -> {
                        java.nio.LongBuffer b = t.getLongBuffer();
                        long[] v = new long[b.remaining()];
                        b.get(v);
                        yield v;
                    }
                    default -> throw new AssertionError("unexpected output type " + t.getInfo().type);
                });
            }
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
