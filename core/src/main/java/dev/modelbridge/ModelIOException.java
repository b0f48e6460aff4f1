package dev.modelbridge;

import java.io.IOException;

/** Reading or writing a file failed for a reason outside the model: missing file, no space, no permission. */
public class ModelIOException extends ModelException {
  private static final long serialVersionUID = 1L;

  public ModelIOException(String detail, IOException cause) {
    super(detail + (cause.getMessage() == null ? "" : ": " + describe(cause)), cause);
  }

  public ModelIOException(String detail) {
    super(detail);
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    return switch (kind) {
      case "NoSuchFileException" -> "no such file " + e.getMessage();
      case "AccessDeniedException" -> "permission denied " + e.getMessage();
      case "FileAlreadyExistsException" -> "already exists " + e.getMessage();
      default -> e.getMessage();
    };
  }
}
