package dev.modelbridge.ir;

import java.util.List;

/**
 * A model-local function: an operator defined by a body of nodes, called by nodes whose domain,
 * op type and overload match. {@code attributeNames} lists attributes without defaults,
 * {@code attributeDefaults} those with one.
 */
public record Function(
    String name,
    String domain,
    String overload,
    List<String> inputs,
    List<String> outputs,
    List<String> attributeNames,
    List<Attribute> attributeDefaults,
    List<Node> nodes,
    String docString,
    List<OpsetImport> opsetImports,
    List<ValueInfo> valueInfos,
    List<StringPair> metadata) {

  public Function {
    name = Strings.orEmpty(name);
    domain = Strings.orEmpty(domain);
    overload = Strings.orEmpty(overload);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributeNames = List.copyOf(attributeNames);
    attributeDefaults = List.copyOf(attributeDefaults);
    nodes = List.copyOf(nodes);
    docString = Strings.orEmpty(docString);
    opsetImports = List.copyOf(opsetImports);
    valueInfos = List.copyOf(valueInfos);
    metadata = List.copyOf(metadata);
  }
}
