package dev.modelbridge;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Base of every error ModelBridge reports about a model. As it rises through a reader, writer or
 * pass it gains context (the file, then the graph, node and field at fault), so that its message
 * names where the problem is in one line.
 */
public class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  private Path file;
  private final Deque<String> context = new ArrayDeque<>();
  private final String detail;

  public ModelException(String detail) {
    super(detail);
    this.detail = detail;
  }

  public ModelException(String detail, Throwable cause) {
    super(detail, cause);
    this.detail = detail;
  }

  /** Names the file at fault, unless a deeper frame already did. */
  public ModelException inFile(Path path) {
    if (file == null) {
      file = path;
    }
    return this;
  }

  /** Adds an outer element ({@code graph 'main'}, {@code node 'conv1' (Conv)}) to the location. */
  public ModelException within(String element) {
    context.addFirst(element);
    return this;
  }

  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The location path from the outermost element to the innermost. */
  public List<String> location() {
    return List.copyOf(context);
  }

  /** The message without file and location. */
  public String detail() {
    return detail;
  }

  @Override
  public String getMessage() {
    StringBuilder b = new StringBuilder();
    if (file != null) {
      b.append(file).append(": ");
    }
    for (String c : context) {
      b.append(c).append(": ");
    }
    return b.append(detail).toString();
  }
}
