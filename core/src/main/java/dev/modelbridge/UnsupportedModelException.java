package dev.modelbridge;

/** The model is well formed but uses something ModelBridge does not (yet) convert. */
public class UnsupportedModelException extends ModelException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String detail) {
    super(detail);
  }
}
