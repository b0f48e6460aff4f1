package dev.modelbridge.validate;

import dev.modelbridge.ModelException;

/**
 * A policy file that cannot be used: not valid JSON or YAML, an unknown key, or a value of the
 * wrong kind. The message names the file and the key, such as
 * {@code policy.yaml: key 'opset.min': must be an integer, got "seven"}.
 */
public class PolicyException extends ModelException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String detail) {
    super(detail);
  }

  public PolicyException(String detail, Throwable cause) {
    super(detail, cause);
  }
}
