package dev.modelbridge.text;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The value part of an attribute's text, {@code name: kind = value}. */
final class AttributeText {
  private AttributeText() {}

  static String value(Attribute a) {
    if (a instanceof Attribute.FloatAttr f) {
      return Float.toString(f.value());
    } else if (a instanceof Attribute.IntAttr i) {
      return Long.toString(i.value());
    } else if (a instanceof Attribute.StringAttr s) {
      return ValueText.bytes(s.value());
    } else if (a instanceof Attribute.TensorAttr t) {
      return ValueText.tensor(t.value());
    } else if (a instanceof Attribute.GraphAttr g) {
      return graphSummary(g.value());
    } else if (a instanceof Attribute.SparseTensorAttr s) {
      return ValueText.sparse(s.value());
    } else if (a instanceof Attribute.TypeAttr t) {
      return ValueText.type(t.value());
    } else if (a instanceof Attribute.FloatsAttr f) {
      return list(f.values(), v -> Float.toString(v));
    } else if (a instanceof Attribute.IntsAttr i) {
      return list(i.values(), v -> Long.toString(v));
    } else if (a instanceof Attribute.StringsAttr s) {
      return list(s.values(), ValueText::bytes);
    } else if (a instanceof Attribute.TensorsAttr t) {
      return list(t.values(), ValueText::tensor);
    } else if (a instanceof Attribute.GraphsAttr g) {
      return list(g.values(), AttributeText::graphSummary);
    } else if (a instanceof Attribute.SparseTensorsAttr s) {
      return list(s.values(), ValueText::sparse);
    } else if (a instanceof Attribute.TypesAttr t) {
      return list(t.values(), ValueText::type);
    } else if (a instanceof Attribute.RefAttr r) {
      return "@" + r.referencedName();
    }
    throw new IllegalArgumentException("unknown attribute " + a);
  }

  /**
   * A one-line stand-in for a graph, used only where a graph cannot be printed as a block (a
   * function's default attribute value); node attributes print their graphs in full.
   */
  private static String graphSummary(Graph g) {
    return "graph " + ValueText.name(g.name()) + " {" + g.nodes().size() + " nodes}";
  }

  private static <T> String list(List<T> values, Function<T, String> format) {
    return values.stream().map(format).collect(Collectors.joining(", ", "[", "]"));
  }
}
