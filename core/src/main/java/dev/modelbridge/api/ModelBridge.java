package dev.modelbridge.api;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.format.Formats;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.inspect.ModelSummary;
import dev.modelbridge.ir.Model;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The public entry point: read, inspect and convert models with the formats on the class path.
 *
 * <pre>{@code
 * ModelBridge mb = ModelBridge.create();
 * Model model = mb.read(Path.of("model.onnx"));
 * mb.convert(Path.of("model.onnx")).to("onnx").externalData(true).writeTo(Path.of("out/model.onnx"));
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ModelBridge {
  private final Formats formats;

  private ModelBridge(Formats formats) {
    this.formats = formats;
  }

  /** An instance with every format found through {@link java.util.ServiceLoader}. */
  public static ModelBridge create() {
    return new ModelBridge(Formats.discover());
  }

  /** An instance with exactly the given formats. */
  public static ModelBridge withFormats(Formats formats) {
    return new ModelBridge(formats);
  }

  public Formats formats() {
    return formats;
  }

  /** The format of a file or folder, detected from its name and first bytes. */
  public ModelFormat detect(Path path) throws ModelException {
    if (!Files.exists(path)) {
      throw new ModelIOException("cannot read", new NoSuchFileException(path.toString())).inFile(path);
    }
    try {
      return formats.detect(path);
    } catch (ModelException e) {
      throw e.inFile(path);
    }
  }

  /**
   * The models at {@code path}: the path itself when it is a model, else every model found in the
   * folder and its subfolders, in name order. A folder that is itself a model (a SavedModel) is
   * not searched further.
   */
  public java.util.List<Path> findModels(Path path) throws ModelException {
    if (!Files.isDirectory(path) || isModel(path)) {
      detect(path);
      return java.util.List.of(path);
    }
    java.util.List<Path> found = new java.util.ArrayList<>();
    try {
      Files.walkFileTree(path, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
          if (!dir.equals(path) && isModel(dir)) {
            found.add(dir);
            return java.nio.file.FileVisitResult.SKIP_SUBTREE;
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
          if (isModel(file)) {
            found.add(file);
          }
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (java.io.IOException e) {
      throw new ModelIOException("cannot list " + path, e);
    }
    java.util.Collections.sort(found);
    return found;
  }

  private boolean isModel(Path p) {
    return formats.all().stream().anyMatch(f -> f.canRead() && f.detectInFolder(p));
  }

  /** Reads a model, detecting its format. */
  public Model read(Path path) throws ModelException {
    return read(path, ReadOptions.defaults());
  }

  public Model read(Path path, ReadOptions options) throws ModelException {
    return detect(path).read(path, options);
  }

  /**
   * Reads a model and summarises it, with its format's own {@linkplain ModelFormat#describe
   * details}. A model that its format describes but cannot convert (an unsupported op, no default
   * signature) still gets a summary, of the details and the reason conversion fails; a model
   * without details fails as {@link #read} does.
   */
  public ModelSummary inspect(Path path) throws ModelException {
    ModelFormat format = detect(path);
    java.util.List<ModelSummary.Detail> details;
    try {
      details = format.describe(path);
    } catch (ModelException e) {
      throw e.inFile(path);
    }
    Model model;
    try {
      model = format.read(path, ReadOptions.defaults());
    } catch (ModelException e) {
      if (details.isEmpty()) {
        throw e;
      }
      return ModelSummary.unconverted(format.id(), path, details, withoutFile(e));
    }
    return ModelSummary.of(model, format.id(), path, details);
  }

  /** The message with its location but not the file, which the summary names already. */
  private static String withoutFile(ModelException e) {
    java.util.List<String> parts = new java.util.ArrayList<>(e.location());
    parts.add(e.detail());
    return String.join(": ", parts);
  }

  /** Starts a conversion of the model at {@code input}. */
  public Conversion convert(Path input) {
    return new Conversion(this, input);
  }
}
