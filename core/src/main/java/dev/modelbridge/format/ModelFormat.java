package dev.modelbridge.format;

import dev.modelbridge.ModelException;
import dev.modelbridge.inspect.ModelSummary;
import dev.modelbridge.ir.Model;
import java.nio.file.Path;
import java.util.List;

/**
 * A model file format. Implementations live in converter modules and are found through
 * {@link java.util.ServiceLoader}; a new format is a new module with a
 * {@code META-INF/services/dev.modelbridge.format.ModelFormat} entry.
 */
public interface ModelFormat {

  /** Short identifier used on the command line, such as {@code onnx} or {@code savedmodel}. */
  String id();

  /** Other names accepted for {@link #id()}. */
  default List<String> aliases() {
    return List.of();
  }

  /** Whether the file or folder at {@code path} looks like this format, judged by name and first bytes. */
  boolean detect(Path path);

  /**
   * Whether a file or folder met while scanning a folder for models is one of this format. Only
   * names count here, so that side files (external data, variables) are not taken for models.
   */
  default boolean detectInFolder(Path path) {
    return detect(path);
  }

  boolean canRead();

  boolean canWrite();

  /** Reads a model. Inputs are opened read-only and never changed. */
  Model read(Path path, ReadOptions options) throws ModelException;

  /**
   * Writes a model into staged files; the caller commits them, so a failed write leaves nothing
   * behind.
   */
  void write(Model model, StagedOutput output, WriteOptions options) throws ModelException;

  /**
   * The operators of this format that its reader converts to the IR, for coverage listings
   * ({@code modelbridge ops}); empty for formats whose operators are the IR's own (ONNX).
   */
  default List<String> readableOps() {
    return List.of();
  }

  /**
   * The ONNX operators this format's writer converts, for coverage listings
   * ({@code modelbridge ops --savedmodel}), each as {@code domain:op since-versions} or similar;
   * empty for formats whose operators are the IR's own (ONNX).
   */
  default List<String> writableOps() {
    return List.of();
  }

  /**
   * Checks a file in this format's own terms, before or instead of the IR rules: for formats whose
   * validity is not that of the IR graph they convert to (a SavedModel is valid even when an op
   * has no ONNX mapping). Reports through {@code findings}; returns whether the validator should
   * also read the model into the IR and run the IR rules. By default it should.
   */
  default boolean checkNative(Path path, FormatFindings findings) {
    return true;
  }

  /** The checks {@link #checkNative} may report, for rule listings. */
  default List<FormatFindings.Rule> nativeRules() {
    return List.of();
  }

  /**
   * Facts about the model at {@code path} in this format's own terms, for {@code inspect}, read
   * without converting it: for a SavedModel every MetaGraph (tag set) with its signatures and their
   * inputs and outputs. They are shown even when {@link #read} fails, so they must not depend on the
   * conversion. Empty by default: for formats whose IR summary says it all.
   *
   * @throws ModelException when the file cannot be read or parsed at all
   */
  default List<ModelSummary.Detail> describe(Path path) throws ModelException {
    return List.of();
  }

  /** The output name for a model whose input was called {@code baseName} (without extension). */
  String outputName(String baseName);
}
