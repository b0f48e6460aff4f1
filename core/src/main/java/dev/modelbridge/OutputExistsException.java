package dev.modelbridge;

import java.nio.file.Path;

/** An output file already exists and overwriting was not asked for. */
public class OutputExistsException extends ModelException {
  private static final long serialVersionUID = 1L;

  public OutputExistsException(Path path) {
    super(path + " already exists (pass --force to overwrite)");
  }
}
