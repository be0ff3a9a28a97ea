package dev.sparktrain.jobs.cli;

import dev.sparktrain.jobs.onnx.OnnxExport;
import dev.sparktrain.jobs.onnx.OnnxExporter;
import dev.sparktrain.jobs.onnx.proto.OnnxProto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export MODEL --format onnx --out FILE [--overwrite]}: a saved model as an ONNX file that takes raw features
 * as {@code predict} does (see {@link OnnxExporter}). No Spark. Everything is checked and the model built in memory
 * before anything is written; the file appears complete under its name or not at all, and an existing file is
 * refused unless {@code --overwrite}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a saved model to another format (ONNX).")
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory (RUN/model) or run directory")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "onnx (the default)")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file, e.g. model.onnx")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing output file")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("onnx")) {
            throw new IllegalArgumentException("--format '" + format + "' is not an export format; expected onnx");
        }
        ModelProto written = OnnxExport.write(model, out, overwrite);
        String outputs = String.join(",", written.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        System.out.println("export " + written.getGraph().getName() + " (" + model + "): ONNX opset "
                + OnnxExporter.OPSET + ", " + written.getGraph().getNodeCount() + " nodes, input "
                + OnnxExporter.INPUT + ", outputs " + outputs + " -> " + out);
        System.out.println("EXPORT model=" + written.getGraph().getName() + " format=onnx opset=" + OnnxExporter.OPSET
                + " bytes=" + Files.size(out) + " out=" + out);
        return 0;
    }
}
