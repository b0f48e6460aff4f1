package dev.modelbridge;

/** The model file is malformed or breaks a rule of its format. */
public class InvalidModelException extends ModelException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String detail) {
    super(detail);
  }

  public InvalidModelException(String detail, Throwable cause) {
    super(detail, cause);
  }
}
