package dev.modelbridge.tensorflow;

import java.util.List;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A frozen TensorFlow {@code GraphDef} file, weights held as constants. Read options:
 * {@code inputs} and {@code outputs} (comma-separated tensor names; by default the Placeholders and
 * the graph's sinks), {@code opset}, {@code inputsAsNchw} and {@code optimize} (as for SavedModels). Detected only when named explicitly, since a {@code .pb} in
 * a folder may be anything; writing is not supported yet.
 */
public final class GraphDefFormat implements ModelFormat {

  @Override
  public String id() {
    return "graphdef";
  }

  /** A file other than {@code saved_model.pb} that parses as a GraphDef with nodes. */
  @Override
  public boolean detect(Path path) {
    if (!Files.isRegularFile(path) || path.getFileName() == null) {
      return false;
    }
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.equals("saved_model.pb") || name.endsWith(".onnx") || name.endsWith(".pbtxt")) {
      return false;
    }
    return GraphDefReader.looksLikeGraphDef(path);
  }

  @Override
  public boolean detectInFolder(Path path) {
    return false;
  }

  @Override
  public boolean canRead() {
    return true;
  }

  @Override
  public boolean canWrite() {
    return false;
  }

  @Override
  public Model read(Path path, ReadOptions options) throws ModelException {
    return GraphDefReader.read(path, options);
  }

  @Override
  public void write(Model model, StagedOutput output, WriteOptions options) throws ModelException {
    throw new UnsupportedModelException("writing TensorFlow GraphDefs is not supported yet");
  }

  @Override
  public String outputName(String baseName) {
    return baseName + ".pb";
  }

  @Override
  public List<String> readableOps() {
    return dev.modelbridge.tensorflow.convert.OpRegistry.standard().supportedOps();
  }
}
