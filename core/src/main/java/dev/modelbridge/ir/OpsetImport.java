package dev.modelbridge.ir;

/** An operator set that a model or function imports: a domain ({@code ""} is ai.onnx) and a version. */
public record OpsetImport(String domain, long version) {
  public OpsetImport {
    domain = Strings.orEmpty(domain);
  }

  /** The domain with the default domain spelled out, for messages. */
  public String displayDomain() {
    return domain.isEmpty() ? "ai.onnx" : domain;
  }
}
