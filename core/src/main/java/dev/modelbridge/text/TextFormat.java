package dev.modelbridge.text;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.StringPair;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A readable, deterministic text form of a model, graph, function or node, for debugging and test
 * failure messages. It follows ONNX's textual syntax loosely and is not meant to be parsed back.
 *
 * <pre>
 * &lt;ir_version: 8, opset_import: ["" : 17], producer_name: "ModelBridge"&gt;
 * mlp (float[batch,4] x) =&gt; (float[batch,3] y)
 *    &lt;float[4,3] w = {0.1, -0.5, 0.3, 0.9, -0.2, 0.0, 0.7, -0.1, ...} (48 bytes)&gt;
 *    &lt;value_info float[batch,3] MatMul_0&gt;
 * {
 *    MatMul_0 = MatMul (x, w)
 *    y = Relu &lt;alpha: float = 0.1&gt; (MatMul_0)
 *    [fused] z = com.microsoft.FusedOp:v2 (y, , w)
 *    [If_0] r = If (c)
 *       then_branch: graph = then (...) =&gt; (...)
 *       {
 *          ...
 *       }
 * }
 * </pre>
 *
 * <ul>
 *   <li>A model starts with a header of its IR version, opset imports (domain {@code ""} is
 *       ai.onnx), producer, and domain, model version, metadata and training-info count when set.
 *       Its functions follow the main graph, each with a {@code <domain: ..., opset_import: ...>}
 *       header, then {@code name <attribute names, defaults> (inputs) => (outputs)} and a body.
 *   <li>A graph is {@code name (inputs) => (outputs)}, then one {@code <...>} line per
 *       initializer, sparse initializer and value info, then its nodes in braces, indented by 3.
 *   <li>Types: {@code float[batch,4,?]}, where a dim is a size, a symbol or {@code ?} (unknown);
 *       {@code float} alone is a tensor of unknown rank and {@code float[]} a scalar; also
 *       {@code sparse_tensor(..)}, {@code seq(..)}, {@code map(k, v)}, {@code optional(..)},
 *       {@code opaque("domain", "name")}, and {@code ?} for an unspecified type.
 *   <li>A node is {@code [name] outputs = domain.Op:overload <attributes> (inputs)}. The
 *       {@code [name]} is left out when the node has no name or it equals the first output, the
 *       domain when it is ai.onnx, the overload when empty; an absent optional input or output is
 *       an empty slot ({@code (x, , z)}).
 *   <li>An attribute is {@code name: kind = value}: numbers as Java prints them, lists in
 *       brackets, strings quoted (non-UTF-8 bytes as {@code 0x} hex), tensors summarised,
 *       references to a caller's attribute as {@code @name}. Graph-valued attributes are printed
 *       after the node's line, nested and indented.
 *   <li>Tensors: {@code type[dims] name = {values}}: all values when there are at most 8 of a
 *       numeric or string type, else the first 8 and the byte size; other element types show
 *       only the byte size. Data in a file region is not read: {@code <external "file", offset,
 *       size>}.
 *   <li>Names that are not plain ({@code [A-Za-z0-9_./:-]+}) are quoted. Doc strings and
 *       denotations are not shown.
 * </ul>
 */
public final class TextFormat {
  private static final String INDENT = "   ";

  private final StringBuilder out = new StringBuilder();

  private TextFormat() {}

  /** The whole model: header, main graph and functions. */
  public static String format(Model model) {
    TextFormat t = new TextFormat();
    t.modelHeader(model);
    t.graph(model.graph(), 0, "");
    for (Function f : model.functions()) {
      t.function(f);
    }
    return t.out.toString();
  }

  /** One graph with its nested subgraphs. */
  public static String format(Graph graph) {
    TextFormat t = new TextFormat();
    t.graph(graph, 0, "");
    return t.out.toString();
  }

  /** One model-local function. */
  public static String format(Function function) {
    TextFormat t = new TextFormat();
    t.function(function);
    return t.out.toString();
  }

  /** One node with its nested subgraphs. */
  public static String format(Node node) {
    TextFormat t = new TextFormat();
    t.node(node, 0);
    return t.out.toString();
  }

  /** A type, such as {@code float[batch,4]}. */
  public static String format(Type type) {
    return ValueText.type(type);
  }

  /** A tensor's type, name and a summary of its values. */
  public static String format(Tensor tensor) {
    return ValueText.tensor(tensor);
  }

  private void modelHeader(Model m) {
    List<String> fields = new ArrayList<>();
    fields.add("ir_version: " + m.irVersion());
    fields.add("opset_import: " + opsets(m.opsetImports()));
    fields.add("producer_name: " + ValueText.quote(m.producerName()));
    if (!m.producerVersion().isEmpty()) {
      fields.add("producer_version: " + ValueText.quote(m.producerVersion()));
    }
    if (!m.domain().isEmpty()) {
      fields.add("domain: " + ValueText.quote(m.domain()));
    }
    if (m.modelVersion() != 0) {
      fields.add("model_version: " + m.modelVersion());
    }
    if (!m.metadata().isEmpty()) {
      fields.add("metadata_props: " + pairs(m.metadata()));
    }
    if (!m.trainingInfo().isEmpty()) {
      fields.add("training_info: " + m.trainingInfo().size());
    }
    out.append('<').append(String.join(", ", fields)).append(">\n");
  }

  private static String opsets(List<OpsetImport> opsets) {
    return opsets.stream()
        .map(o -> ValueText.quote(o.domain()) + " : " + o.version())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String pairs(List<StringPair> pairs) {
    return pairs.stream()
        .map(p -> ValueText.quote(p.key()) + " : " + ValueText.quote(p.value()))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** A graph whose first line starts at {@code depth} after {@code prefix}. */
  private void graph(Graph g, int depth, String prefix) {
    indent(depth).append(prefix).append(ValueText.name(g.name())).append(" (")
        .append(valueInfos(g.inputs())).append(") => (").append(valueInfos(g.outputs())).append(")\n");
    for (Tensor t : g.initializers()) {
      indent(depth + 1).append('<').append(ValueText.tensor(t)).append(">\n");
    }
    for (SparseTensor s : g.sparseInitializers()) {
      indent(depth + 1).append('<').append(ValueText.sparse(s)).append(">\n");
    }
    valueInfoLines(g.valueInfos(), depth + 1);
    body(g.nodes(), depth);
  }

  private void function(Function f) {
    List<String> header = new ArrayList<>();
    header.add("domain: " + ValueText.quote(f.domain()));
    header.add("opset_import: " + opsets(f.opsetImports()));
    if (!f.overload().isEmpty()) {
      header.add("overload: " + ValueText.quote(f.overload()));
    }
    out.append('<').append(String.join(", ", header)).append(">\n");
    List<String> attrs = new ArrayList<>(f.attributeNames());
    f.attributeDefaults().forEach(a -> attrs.add(inlineAttribute(a)));
    out.append(ValueText.name(f.name()));
    if (!attrs.isEmpty()) {
      out.append(" <").append(String.join(", ", attrs)).append('>');
    }
    out.append(" (").append(names(f.inputs())).append(") => (").append(names(f.outputs())).append(")\n");
    valueInfoLines(f.valueInfos(), 1);
    body(f.nodes(), 0);
  }

  private void body(List<Node> nodes, int depth) {
    indent(depth).append("{\n");
    for (Node n : nodes) {
      node(n, depth + 1);
    }
    indent(depth).append("}\n");
  }

  private void node(Node n, int depth) {
    indent(depth);
    if (!n.name().isEmpty() && (n.outputs().isEmpty() || !n.name().equals(n.outputs().get(0)))) {
      out.append('[').append(ValueText.name(n.name())).append("] ");
    }
    if (!n.outputs().isEmpty()) {
      out.append(listedNames(n.outputs())).append(" = ");
    }
    out.append(n.domain().isEmpty() || n.domain().equals("ai.onnx") ? "" : n.domain() + ".")
        .append(n.opType())
        .append(n.overload().isEmpty() ? "" : ":" + n.overload());
    List<String> inline = new ArrayList<>();
    List<Attribute> graphs = new ArrayList<>();
    for (Attribute a : n.attributes()) {
      if (a instanceof Attribute.GraphAttr || a instanceof Attribute.GraphsAttr) {
        graphs.add(a);
      } else {
        inline.add(inlineAttribute(a));
      }
    }
    if (!inline.isEmpty()) {
      out.append(" <").append(String.join(", ", inline)).append('>');
    }
    out.append(" (").append(listedNames(n.inputs())).append(")\n");
    for (Attribute a : graphs) {
      String prefix = a.name() + ": " + a.kind().label() + " = ";
      if (a instanceof Attribute.GraphAttr g) {
        graph(g.value(), depth + 1, prefix);
      } else {
        indent(depth + 1).append(prefix).append("[\n");
        for (Graph g : ((Attribute.GraphsAttr) a).values()) {
          graph(g, depth + 2, "");
        }
        indent(depth + 1).append("]\n");
      }
    }
  }

  /** {@code name: kind = value} for every attribute but graphs, which print as blocks. */
  private static String inlineAttribute(Attribute a) {
    return a.name() + ": " + a.kind().label() + " = " + AttributeText.value(a);
  }

  private void valueInfoLines(List<ValueInfo> infos, int depth) {
    for (ValueInfo v : infos) {
      indent(depth).append("<value_info ").append(ValueText.valueInfo(v)).append(">\n");
    }
  }

  private static String valueInfos(List<ValueInfo> infos) {
    return infos.stream().map(ValueText::valueInfo).collect(Collectors.joining(", "));
  }

  private static String names(List<String> names) {
    return names.stream().map(ValueText::name).collect(Collectors.joining(", "));
  }

  private static String listedNames(List<String> names) {
    return names.stream().map(ValueText::listedName).collect(Collectors.joining(", "));
  }

  private StringBuilder indent(int depth) {
    return out.append(INDENT.repeat(depth));
  }
}
