package dev.modelbridge.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A whole model: the main graph with the operator sets it imports, model-local functions, and the
 * identifying metadata. Immutable; {@link #toBuilder()} makes a changed copy.
 */
public record Model(
    long irVersion,
    List<OpsetImport> opsetImports,
    String producerName,
    String producerVersion,
    String domain,
    long modelVersion,
    String docString,
    Graph graph,
    List<StringPair> metadata,
    List<TrainingInfo> trainingInfo,
    List<Function> functions) {

  public Model {
    opsetImports = List.copyOf(opsetImports);
    producerName = Strings.orEmpty(producerName);
    producerVersion = Strings.orEmpty(producerVersion);
    domain = Strings.orEmpty(domain);
    docString = Strings.orEmpty(docString);
    metadata = List.copyOf(metadata);
    trainingInfo = List.copyOf(trainingInfo);
    functions = List.copyOf(functions);
  }

  /** The imported version of a domain ({@code ""} or {@code ai.onnx} for the default domain). */
  public OptionalLong opsetVersion(String opsetDomain) {
    String d = "ai.onnx".equals(opsetDomain) ? "" : opsetDomain;
    return opsetImports.stream()
        .filter(o -> o.domain().equals(d) || ("".equals(d) && "ai.onnx".equals(o.domain())))
        .mapToLong(OpsetImport::version)
        .max();
  }

  public Optional<Function> function(String functionDomain, String functionName) {
    return functions.stream()
        .filter(f -> f.domain().equals(functionDomain) && f.name().equals(functionName))
        .findFirst();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder()
        .irVersion(irVersion)
        .producer(producerName, producerVersion)
        .domain(domain)
        .modelVersion(modelVersion)
        .docString(docString)
        .graph(graph);
    b.opsetImports.addAll(opsetImports);
    b.metadata.addAll(metadata);
    b.trainingInfo.addAll(trainingInfo);
    b.functions.addAll(functions);
    return b;
  }

  /** Builds a model. The IR version defaults to 10 and the producer to ModelBridge. */
  public static final class Builder {
    private long irVersion = 10;
    private final List<OpsetImport> opsetImports = new ArrayList<>();
    private String producerName = "ModelBridge";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private Graph graph;
    private final List<StringPair> metadata = new ArrayList<>();
    private final List<TrainingInfo> trainingInfo = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();

    public Builder irVersion(long v) {
      irVersion = v;
      return this;
    }

    /** Imports an operator set; {@code ""} is the default ai.onnx domain. */
    public Builder opset(String opsetDomain, long version) {
      opsetImports.removeIf(o -> o.domain().equals(opsetDomain));
      opsetImports.add(new OpsetImport(opsetDomain, version));
      return this;
    }

    public Builder clearOpsets() {
      opsetImports.clear();
      return this;
    }

    public Builder producer(String name, String version) {
      producerName = name;
      producerVersion = version;
      return this;
    }

    public Builder domain(String v) {
      domain = v;
      return this;
    }

    public Builder modelVersion(long v) {
      modelVersion = v;
      return this;
    }

    public Builder docString(String v) {
      docString = v;
      return this;
    }

    public Builder graph(Graph g) {
      graph = g;
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.add(new StringPair(key, value));
      return this;
    }

    public Builder function(Function f) {
      functions.add(f);
      return this;
    }

    public Builder trainingInfo(TrainingInfo t) {
      trainingInfo.add(t);
      return this;
    }

    public Model build() {
      if (graph == null) {
        throw new IllegalStateException("a model needs a graph");
      }
      return new Model(
          irVersion, opsetImports, producerName, producerVersion, domain, modelVersion, docString,
          graph, metadata, trainingInfo, functions);
    }
  }
}
