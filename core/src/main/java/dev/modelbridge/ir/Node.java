package dev.modelbridge.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One operator application. An absent optional input is an empty name; outputs may be empty names
 * too. Attributes keep the order of the file.
 */
public record Node(
    String name,
    String domain,
    String opType,
    String overload,
    List<String> inputs,
    List<String> outputs,
    List<Attribute> attributes,
    String docString,
    List<StringPair> metadata) {

  public Node {
    name = Strings.orEmpty(name);
    domain = Strings.orEmpty(domain);
    opType = Strings.orEmpty(opType);
    overload = Strings.orEmpty(overload);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = List.copyOf(attributes);
    docString = Strings.orEmpty(docString);
    metadata = List.copyOf(metadata);
  }

  public Optional<Attribute> attribute(String attributeName) {
    return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
  }

  /** The graphs held by this node's attributes (If branches, Loop and Scan bodies). */
  public List<Graph> subgraphs() {
    List<Graph> out = new ArrayList<>();
    for (Attribute a : attributes) {
      if (a instanceof Attribute.GraphAttr g) {
        out.add(g.value());
      } else if (a instanceof Attribute.GraphsAttr gs) {
        out.addAll(gs.values());
      }
    }
    return out;
  }

  /** A short label for messages: the name if any, else the op and first output. */
  public String label() {
    if (!name.isEmpty()) {
      return "'" + name + "' (" + opType + ")";
    }
    return opType + (outputs.isEmpty() ? "" : " producing '" + outputs.get(0) + "'");
  }

  public static Builder builder(String opType) {
    return new Builder(opType);
  }

  public Builder toBuilder() {
    Builder b = new Builder(opType);
    b.name = name;
    b.domain = domain;
    b.overload = overload;
    b.inputs.addAll(inputs);
    b.outputs.addAll(outputs);
    b.attributes.addAll(attributes);
    b.docString = docString;
    b.metadata.addAll(metadata);
    return b;
  }

  /** Builds a node; every setter returns the builder. */
  public static final class Builder {
    private String name = "";
    private String domain = "";
    private final String opType;
    private String overload = "";
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private String docString = "";
    private final List<StringPair> metadata = new ArrayList<>();

    private Builder(String opType) {
      this.opType = opType;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder domain(String v) {
      domain = v;
      return this;
    }

    public Builder overload(String v) {
      overload = v;
      return this;
    }

    public Builder inputs(String... v) {
      inputs.addAll(List.of(v));
      return this;
    }

    public Builder inputs(List<String> v) {
      inputs.addAll(v);
      return this;
    }

    public Builder outputs(String... v) {
      outputs.addAll(List.of(v));
      return this;
    }

    public Builder outputs(List<String> v) {
      outputs.addAll(v);
      return this;
    }

    public Builder attribute(Attribute a) {
      attributes.add(a);
      return this;
    }

    public Builder attributes(List<Attribute> a) {
      attributes.addAll(a);
      return this;
    }

    public Builder docString(String v) {
      docString = v;
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.add(new StringPair(key, value));
      return this;
    }

    public Builder metadata(List<StringPair> v) {
      metadata.addAll(v);
      return this;
    }

    public Node build() {
      return new Node(name, domain, opType, overload, inputs, outputs, attributes, docString, metadata);
    }
  }
}
