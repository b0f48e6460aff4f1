package dev.modelbridge.cli;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ConversionResult;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code modelbridge convert}: converts each input (a model, or a folder of models) to the target
 * format. One failing input does not stop the others; the exit code is the worst of them.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Converts models to another format (or rewrites them in the same one).",
      "Each output is written to a temporary file and renamed into place when complete;",
      "inputs are never modified and existing outputs are kept unless --force is given."
    })
final class ConvertCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Model files or folders of models.")
  List<Path> inputs;

  @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Target format: onnx or savedmodel.")
  String to;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Destination destination;

  static final class Destination {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (one input model only).")
    Path output;

    @Option(names = "--output-dir", paramLabel = "DIR",
        description = "Output folder; models found in an input folder keep their relative paths.")
    Path outputDir;
  }

  @Option(names = "--external-data",
      description = "Store large tensors in a side file next to the model (<name>.data).")
  boolean externalData;

  @Option(names = "--size-threshold", paramLabel = "BYTES", defaultValue = "1024",
      description = "With --external-data: tensors from this size up go to the side file (default: ${DEFAULT-VALUE}).")
  long sizeThreshold;

  @Option(names = "--weights-as-constants",
      description = "SavedModel output: inline the weights as constants instead of variables (small models only).")
  boolean weightsAsConstants;

  @Option(names = "--force", description = "Overwrite existing output files.")
  boolean force;

  @Option(names = "--tag", paramLabel = "TAGS",
      description = "SavedModel input: the MetaGraph's tag set, comma-separated (default: serve).")
  String tag;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "SavedModel input: the signature to convert (default: serving_default).")
  String signature;

  @Option(names = "--inputs", paramLabel = "NAMES",
      description = "Frozen GraphDef input: input tensor names, comma-separated (default: its placeholders).")
  String graphInputs;

  @Option(names = "--outputs", paramLabel = "NAMES",
      description = "Frozen GraphDef input: output tensor names, comma-separated (default: its sinks).")
  String graphOutputs;

  @Option(names = "--opset", paramLabel = "N",
      description = "TensorFlow input: the ONNX opset to write, 13 to 21 (default: 17).")
  Integer opset;

  @Option(names = "--inputs-as-nchw", paramLabel = "NAMES",
      description = "TensorFlow input: 4-D inputs, comma-separated, that the ONNX model takes as NCHW instead of NHWC.")
  String inputsAsNchw;

  @Option(names = "--inputs-as-nhwc", paramLabel = "NAMES",
      description = "SavedModel output: 4-D inputs, comma-separated, that the signature takes as NHWC instead of the ONNX model's NCHW.")
  String inputsAsNhwc;

  @Option(names = "--outputs-as-nhwc", paramLabel = "NAMES",
      description = "SavedModel output: 4-D outputs, comma-separated, that the signature gives as NHWC instead of NCHW.")
  String outputsAsNhwc;

  @Mixin CommonOptions common;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ModelException {
    if (sizeThreshold < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--size-threshold must not be negative");
    }
    ModelBridge bridge = ModelBridge.create();
    bridge.formats().byId(to);
    List<Job> jobs = plan(bridge);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int exit = ExitCodes.OK;
    for (Job job : jobs) {
      try {
        ConversionResult r = withFormatOptions(bridge.convert(job.input))
            .to(to)
            .externalData(externalData)
            .externalDataThreshold(sizeThreshold)
            .weightsAsConstants(weightsAsConstants)
            .overwrite(force)
            .writeTo(job.output);
        out.printf(Locale.ROOT, "%s -> %s (%s, %.2f s)%n", job.input, r.output(),
            Sizes.human(r.bytesWritten()), r.elapsed().toMillis() / 1000.0);
      } catch (ModelException e) {
        err.println(spec.commandLine().getColorScheme().errorText("modelbridge: " + ErrorPrinter.message(e)));
        if (common.verbose) {
          e.printStackTrace(err);
        }
        exit = Math.max(exit, ExitCodes.of(e));
      }
    }
    out.flush();
    err.flush();
    return exit;
  }

  private dev.modelbridge.api.Conversion withFormatOptions(dev.modelbridge.api.Conversion c) {
    if (tag != null) {
      c.readOption(ReadOptions.TAG, tag);
    }
    if (signature != null) {
      c.readOption(ReadOptions.SIGNATURE, signature);
    }
    if (graphInputs != null) {
      c.readOption(ReadOptions.INPUTS, graphInputs);
    }
    if (graphOutputs != null) {
      c.readOption(ReadOptions.OUTPUTS, graphOutputs);
    }
    if (opset != null) {
      c.readOption("opset", opset.toString());
    }
    if (inputsAsNchw != null) {
      c.readOption("inputsAsNchw", inputsAsNchw);
    }
    if (inputsAsNhwc != null) {
      c.writeOption("inputsAsNhwc", inputsAsNhwc);
    }
    if (outputsAsNhwc != null) {
      c.writeOption("outputsAsNhwc", outputsAsNhwc);
    }
    return c;
  }

  private record Job(Path input, Path output) {}

  private List<Job> plan(ModelBridge bridge) throws ModelException {
    List<Job> jobs = new ArrayList<>();
    for (Path input : inputs) {
      List<Path> models = bridge.findModels(input);
      if (destination.output != null) {
        if (inputs.size() != 1 || models.size() != 1) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "-o takes one input model; use --output-dir for several (found " + models.size() + " in " + input + ")");
        }
        jobs.add(new Job(models.get(0), destination.output));
        continue;
      }
      for (Path model : models) {
        Path relativeDir = Files.isDirectory(input) && !model.equals(input)
            ? input.relativize(model).getParent() : null;
        Path dir = relativeDir == null ? destination.outputDir : destination.outputDir.resolve(relativeDir);
        jobs.add(new Job(model, bridge.convert(model).to(to).outputIn(dir)));
      }
    }
    return jobs;
  }
}
