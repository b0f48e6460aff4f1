package dev.modelbridge.api;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.ModelReport;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.validate.Validator;
import dev.modelbridge.validate.rules.Rules;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One conversion, configured fluently and run by {@link #writeTo(Path)}: read, then write to
 * staged files that are renamed into place only when complete. The input is never changed; an
 * output that would replace it is refused.
 */
public final class Conversion {
  private final ModelBridge bridge;
  private final Path input;
  private String targetFormat = "onnx";
  private WriteOptions writeOptions = WriteOptions.defaults();
  private ReadOptions readOptions = ReadOptions.defaults();
  private boolean overwrite;

  Conversion(ModelBridge bridge, Path input) {
    this.bridge = bridge;
    this.input = input;
  }

  /** The target format id, such as {@code onnx}. */
  public Conversion to(String formatId) {
    this.targetFormat = formatId;
    return this;
  }

  public Conversion externalData(boolean enabled) {
    writeOptions = writeOptions.withExternalData(enabled);
    return this;
  }

  public Conversion externalDataThreshold(long bytes) {
    writeOptions = writeOptions.withThreshold(bytes);
    return this;
  }

  /** For formats with variables (SavedModel): weights as constants in the graph, for small models. */
  public Conversion weightsAsConstants(boolean enabled) {
    writeOptions = writeOptions.withWeightsAsConstants(enabled);
    return this;
  }

  public Conversion writeOptions(WriteOptions options) {
    writeOptions = options;
    return this;
  }

  public Conversion readOptions(ReadOptions options) {
    readOptions = options;
    return this;
  }

  /** Sets one format-specific read option (see {@link ReadOptions}), such as the TensorFlow tag. */
  public Conversion readOption(String name, String value) {
    readOptions = readOptions.with(name, value);
    return this;
  }

  /** Sets one format-specific write option (see {@link WriteOptions}), such as SavedModel's {@code inputsAsNhwc}. */
  public Conversion writeOption(String name, String value) {
    writeOptions = writeOptions.with(name, value);
    return this;
  }

  /** Whether existing output files may be replaced. */
  public Conversion overwrite(boolean allowed) {
    overwrite = allowed;
    return this;
  }

  /** The output path this conversion would use inside {@code dir}, named after the input. */
  public Path outputIn(Path dir) throws ModelException {
    String name = input.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return dir.resolve(bridge.formats().byId(targetFormat).outputName(base));
  }

  /** Runs the conversion, writing the main output file at {@code output}. */
  public ConversionResult writeTo(Path output) throws ModelException {
    long start = System.nanoTime();
    ModelFormat from = bridge.detect(input);
    ModelFormat to = bridge.formats().byId(targetFormat);
    Path out = output.toAbsolutePath().normalize();
    refuseOverwritingInput(out);
    Model model = from.read(input, readOptions);
    if (!from.id().equals(to.id())) {
      checkConverted(model, out);
    }
    try (StagedOutput staged = new StagedOutput(out, overwrite).protect(InputFiles.of(input, model))) {
      to.write(model, staged, writeOptions);
      staged.commit();
      List<Path> files = staged.files();
      long bytes = 0;
      for (Path f : files) {
        bytes += f.toFile().length();
      }
      return new ConversionResult(input, out, from.id(), to.id(), files, bytes,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (ModelException e) {
      throw e.inFile(out);
    }
  }

  /**
   * A model converted from another format is validated before it is written: an error here is a
   * conversion bug, and writing the model would hand it on to whoever loads it next.
   */
  private static void checkConverted(Model model, Path out) throws ModelException {
    Validator validator = Validator.builder().rules(Rules.all().stream()
        .filter(r -> !r.id().startsWith("policy.") && !r.id().startsWith("hygiene.")).toList()).threads(1).build();
    ModelReport report = validator.validate(model, out);
    List<Finding> errors = report.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      Finding first = errors.get(0);
      throw new InvalidModelException("the converted model fails validation: " + first.message() + " ["
          + first.ruleId() + "]" + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "")
          + "; this is a bug in the converter");
    }
  }

  private void refuseOverwritingInput(Path out) throws ModelException {
    Path in = input.toAbsolutePath().normalize();
    boolean same;
    try {
      same = in.equals(out) || (Files.exists(out) && Files.isSameFile(in, out));
    } catch (java.io.IOException e) {
      same = false;
    }
    if (same || out.startsWith(in) && Files.isDirectory(in)) {
      throw new ModelException("the output would replace the input; choose another output path").inFile(input);
    }
  }
}
