package dev.modelbridge.schema.gen;

import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.schema.AttributeSpec;
import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchema.Arity;
import dev.modelbridge.schema.OpSchema.Parameter;
import dev.modelbridge.schema.TypeConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the facts of ONNX's operator changelog markdown ({@code docs/Changelog.md},
 * {@code docs/Changelog-ml.md}), which ONNX generates from its operator definitions: for each
 * {@code ### Op-N} section the Version, Attributes, Inputs, Outputs and Type Constraints lists.
 * Descriptions are skipped; only names, types, markers and defaults are kept.
 */
final class ChangelogParser {
  private static final Pattern DOMAIN = Pattern.compile("^# (ai\\.onnx[\\w.]*)( \\(default\\))?\\s*$");
  private static final Pattern OPSET = Pattern.compile("^## Version (\\d+) of ");
  private static final Pattern OP = Pattern.compile(
      "^### <a name=\"([^\"]+)-(\\d+)\"></a>\\*\\*[^*]+\\*\\*( \\(deprecated\\))?</a>\\s*$");
  private static final Pattern SECTION = Pattern.compile(
      "^#### (Version|Attributes|Inputs|Outputs|Type Constraints)\\s*(\\((\\d+) - (\\d+|&#8734;)\\))?\\s*$");
  private static final Pattern ENTRY = Pattern.compile(
      "^<dt><tt>([^<]+)</tt>(?: \\(([^)]*)\\))? : (.*)</dt>\\s*$");
  private static final Pattern DEFAULT = Pattern.compile("^(.*?) \\(default is (.*)\\)$");

  private final List<OpSchema> schemas = new ArrayList<>();
  private final Map<String, Integer> latest = new TreeMap<>();
  private String domain;
  private Op op;
  private String section = "";
  private final boolean lenient;

  /** @param lenient skip unknown sections (Operators.md has Examples) instead of failing */
  ChangelogParser(boolean lenient) {
    this.lenient = lenient;
  }

  ChangelogParser() {
    this(false);
  }

  /** Parses one changelog file; may be called for several files. */
  void parse(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      try {
        line(lines.get(i));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + lines.get(i), e);
      }
    }
    finish();
  }

  List<OpSchema> schemas() {
    return schemas;
  }

  Map<String, Integer> latestVersions() {
    return latest;
  }

  private void line(String line) {
    Matcher m;
    if ((m = DOMAIN.matcher(line)).matches()) {
      finish();
      domain = m.group(1);
    } else if ((m = OPSET.matcher(line)).find()) {
      finish();
      latest.merge(domain, Integer.parseInt(m.group(1)), Math::max);
    } else if ((m = OP.matcher(line)).matches()) {
      finish();
      String name = m.group(1);
      String prefix = domain + ".";
      if (!"ai.onnx".equals(domain) && name.startsWith(prefix)) {
        name = name.substring(prefix.length());
      }
      op = new Op(domain, name, Integer.parseInt(m.group(2)), m.group(3) != null);
    } else if (line.startsWith("### ")) {
      throw new IllegalArgumentException("unrecognised operator heading");
    } else if (op != null && (m = SECTION.matcher(line)).matches()) {
      section = m.group(1);
      if (m.group(2) != null) {
        Arity range = new Arity(Integer.parseInt(m.group(3)),
            "&#8734;".equals(m.group(4)) ? Arity.UNBOUNDED : Integer.parseInt(m.group(4)));
        if ("Inputs".equals(section)) {
          op.inputRange = range;
        } else {
          op.outputRange = range;
        }
      }
    } else if (op != null && line.startsWith("#### ")) {
      if (!lenient) {
        throw new IllegalArgumentException("unrecognised section");
      }
      section = "";
    } else if (op != null && !section.isEmpty() && (m = ENTRY.matcher(line)).matches()) {
      entry(m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3));
    } else if (op != null && !section.isEmpty() && line.startsWith("<dt>")) {
      throw new IllegalArgumentException("unrecognised entry");
    }
  }

  private void entry(String name, String flags, String rest) {
    switch (section) {
      case "Attributes" -> op.attributes.add(attribute(name, rest));
      case "Inputs" -> op.inputs.add(parameter(name, flags, rest));
      case "Outputs" -> op.outputs.add(parameter(name, flags, rest));
      case "Type Constraints" -> op.constraints.add(new TypeConstraint(name, splitTypes(rest)));
      default -> throw new IllegalArgumentException("entry outside a list section");
    }
  }

  private static AttributeSpec attribute(String name, String rest) {
    if (rest.endsWith(" (required)")) {
      return new AttributeSpec(name, kind(rest.substring(0, rest.length() - 11)), true, Optional.empty());
    }
    Matcher d = DEFAULT.matcher(rest);
    if (d.matches()) {
      String value = d.group(2);
      // The docs wrap a few float defaults in parentheses: "(default is (3.402823e+38))".
      if (value.startsWith("(") && value.endsWith(")")) {
        value = value.substring(1, value.length() - 1);
      }
      return new AttributeSpec(name, kind(d.group(1)), false, Optional.of(value));
    }
    return new AttributeSpec(name, kind(rest), false, Optional.empty());
  }

  private static AttributeKind kind(String text) {
    String t = text.startsWith("list of ") ? text.substring(8) : text;
    String label = switch (t) {
      case "int", "ints" -> text.startsWith("list") ? "ints" : "int";
      case "float", "floats" -> text.startsWith("list") ? "floats" : "float";
      case "string", "strings" -> text.startsWith("list") ? "strings" : "string";
      case "tensor", "tensors" -> text.startsWith("list") ? "tensors" : "tensor";
      case "graph", "graphs" -> text.startsWith("list") ? "graphs" : "graph";
      case "sparse_tensor", "sparse_tensors" -> text.startsWith("list") ? "sparse_tensors" : "sparse_tensor";
      case "type_proto", "type_protos" -> text.startsWith("list") ? "type_protos" : "type_proto";
      default -> throw new IllegalArgumentException("unknown attribute type '" + text + "'");
    };
    for (AttributeKind k : AttributeKind.values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new IllegalStateException(label);
  }

  private static Parameter parameter(String name, String flags, String type) {
    boolean optional = false;
    boolean variadic = false;
    boolean heterogeneous = false;
    for (String f : flags.split(",")) {
      switch (f.strip()) {
        case "optional" -> optional = true;
        case "variadic" -> variadic = true;
        case "heterogeneous" -> heterogeneous = true;
        case "differentiable", "non-differentiable", "" -> { }
        default -> throw new IllegalArgumentException("unknown parameter marker '" + f + "'");
      }
    }
    Parameter.Option option = variadic ? Parameter.Option.VARIADIC
        : optional ? Parameter.Option.OPTIONAL : Parameter.Option.SINGLE;
    return new Parameter(name, type.strip(), option, 1, !heterogeneous);
  }

  /** Splits {@code tensor(float), map(int64, string)} at the commas outside parentheses. */
  static List<String> splitTypes(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(list.substring(start, i).strip());
        start = i + 1;
      }
    }
    out.add(list.substring(start).strip());
    return out;
  }

  private void finish() {
    if (op != null) {
      schemas.add(op.build());
    }
    op = null;
    section = "";
  }

  /** One operator section being read. */
  private static final class Op {
    final String domain;
    final String name;
    final int since;
    final boolean deprecated;
    Arity inputRange;
    Arity outputRange;
    final List<Parameter> inputs = new ArrayList<>();
    final List<Parameter> outputs = new ArrayList<>();
    final List<AttributeSpec> attributes = new ArrayList<>();
    final List<TypeConstraint> constraints = new ArrayList<>();

    Op(String domain, String name, int since, boolean deprecated) {
      this.domain = domain;
      this.name = name;
      this.since = since;
      this.deprecated = deprecated;
    }

    OpSchema build() {
      List<Parameter> in = withMinArity(inputs, inputRange);
      List<Parameter> out = withMinArity(outputs, outputRange);
      return new OpSchema(domain, name, since, deprecated, in, out, arity(in, inputRange),
          arity(out, outputRange), attributes, constraints);
    }

    /**
     * The docs give a range only when the minimum and maximum differ; otherwise both are what ONNX
     * computes: every parameter counts to the maximum, and the minimum reaches up to the last
     * single one (an optional parameter before a single one still takes a position).
     */
    private Arity arity(List<Parameter> params, Arity range) {
      if (range != null) {
        return range;
      }
      int min = 0;
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).option() == Parameter.Option.VARIADIC) {
          throw new IllegalArgumentException(name + "-" + since + ": variadic parameter without a range");
        }
        if (params.get(i).option() == Parameter.Option.SINGLE) {
          min = i + 1;
        }
      }
      if (min != params.size()) {
        throw new IllegalArgumentException(name + "-" + since + ": optional parameters without a range");
      }
      return new Arity(min, params.size());
    }

    /**
     * A trailing variadic parameter's minimum count is what the range minimum leaves after the
     * parameters before it (ONNX counts optional ones there too).
     */
    private List<Parameter> withMinArity(List<Parameter> params, Arity range) {
      List<Parameter> out = new ArrayList<>(params);
      for (int i = 0; i < out.size(); i++) {
        Parameter p = out.get(i);
        if (p.option() == Parameter.Option.VARIADIC) {
          if (i != out.size() - 1 || range == null) {
            throw new IllegalArgumentException(name + "-" + since + ": variadic parameter not last or without range");
          }
          out.set(i, new Parameter(p.name(), p.type(), p.option(), Math.max(0, range.min() - i), p.homogeneous()));
        }
      }
      return out;
    }
  }
}
