package dev.modelbridge.tensorflow;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TensorFlow SavedModel format: a folder with {@code saved_model.pb} (or
 * {@code saved_model.pbtxt}) and {@code variables/}. Read options: {@code tag} (comma-separated tag
 * set, default {@code serve}), {@code signature} (default {@code serving_default}) and
 * {@code opset} (the ONNX opset of the IR, default 17), {@code inputsAsNchw} (4-D inputs to take as
 * NCHW) and {@code optimize} ({@code false} skips the transpose optimisation). Writing: see
 * {@link dev.modelbridge.tensorflow.export.SavedModelWriter}.
 */
public final class SavedModelFormat implements ModelFormat {

  @Override
  public String id() {
    return "savedmodel";
  }

  @Override
  public List<String> aliases() {
    return List.of("tensorflow", "tf");
  }

  /** A folder holding {@code saved_model.pb(txt)}, or that file itself. */
  @Override
  public boolean detect(Path path) {
    if (Files.isDirectory(path)) {
      return SavedModelReader.modelFile(path).isPresent();
    }
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    return Files.isRegularFile(path) && (name.equals("saved_model.pb") || name.equals("saved_model.pbtxt"));
  }

  /** Only the folder counts as the model when scanning, not the files inside it. */
  @Override
  public boolean detectInFolder(Path path) {
    return Files.isDirectory(path) && SavedModelReader.modelFile(path).isPresent();
  }

  @Override
  public boolean canRead() {
    return true;
  }

  @Override
  public boolean canWrite() {
    return true;
  }

  @Override
  public Model read(Path path, ReadOptions options) throws ModelException {
    return SavedModelReader.read(path, options);
  }

  /** Every MetaGraph with its signatures, and the checkpoint's size, without converting. */
  @Override
  public List<dev.modelbridge.inspect.ModelSummary.Detail> describe(Path path) throws ModelException {
    return SavedModelDescription.describe(path);
  }

  @Override
  public void write(Model model, StagedOutput output, WriteOptions options) throws ModelException {
    dev.modelbridge.tensorflow.export.SavedModelWriter.write(model, output.openFolder(), options);
  }

  @Override
  public String outputName(String baseName) {
    return baseName;
  }

  @Override
  public List<String> writableOps() {
    return dev.modelbridge.tensorflow.export.SavedModelWriter.supportedOps();
  }

  @Override
  public List<String> readableOps() {
    return dev.modelbridge.tensorflow.convert.OpRegistry.standard().supportedOps();
  }

  /** SavedModels are validated in TensorFlow's terms, not through their ONNX conversion. */
  @Override
  public boolean checkNative(Path path, dev.modelbridge.format.FormatFindings findings) {
    SavedModelChecker.check(Files.isDirectory(path) ? path : path.toAbsolutePath().getParent(), findings);
    return false;
  }

  @Override
  public List<dev.modelbridge.format.FormatFindings.Rule> nativeRules() {
    return SavedModelChecker.RULES;
  }
}
