package dev.modelbridge.schema;

import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.schema.OpSchema.Arity;
import dev.modelbridge.schema.OpSchema.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The line-based, tab-separated text form of operator schemas, one block per operator version:
 *
 * <pre>
 * domain  ai.onnx  28                                   highest operator set version covered
 * op      ai.onnx  Concat  13  in=1..*  out=1  [deprecated]
 * in      inputs   T       variadic:1[:heterogeneous]   also single, optional
 * out     concat_result  T  single
 * attr    axis     int     required                     also optional, or default &lt;value&gt;
 * type    T        tensor(uint8)  tensor(uint16)  ...
 * </pre>
 *
 * Lines starting with {@code #} and blank lines are ignored. The generator in the core tests
 * ({@code dev.modelbridge.schema.gen.SchemaGenerator}) writes it from ONNX's operator changelog.
 */
public final class OpSchemaFormat {
  private static final String TAB = "\t";

  private OpSchemaFormat() {}

  /** Schemas and the highest covered operator set version of each domain. */
  public record Table(List<OpSchema> schemas, Map<String, Integer> latestVersions) {
    public Table {
      schemas = List.copyOf(schemas);
      latestVersions = Map.copyOf(latestVersions);
    }
  }

  /** Reads the text form; throws {@link IllegalArgumentException} naming the line at fault. */
  public static Table read(List<String> lines) {
    List<OpSchema> schemas = new ArrayList<>();
    Map<String, Integer> latest = new TreeMap<>();
    Block block = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(TAB, -1);
      try {
        switch (f[0]) {
          case "domain" -> latest.put(f[1], Integer.parseInt(f[2]));
          case "op" -> {
            if (block != null) {
              schemas.add(block.build());
            }
            block = new Block(f);
          }
          case "in" -> block.inputs.add(parameter(f));
          case "out" -> block.outputs.add(parameter(f));
          case "attr" -> block.attributes.add(attribute(f));
          case "type" -> block.constraints.add(
              new TypeConstraint(f[1], Arrays.asList(f).subList(2, f.length)));
          default -> throw new IllegalArgumentException("unknown record '" + f[0] + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("operator table line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (block != null) {
      schemas.add(block.build());
    }
    return new Table(schemas, latest);
  }

  /** Writes the text form, in the order given. */
  public static List<String> write(Table table) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(table.latestVersions()).forEach((d, v) -> out.add("domain" + TAB + d + TAB + v));
    for (OpSchema s : table.schemas()) {
      out.add("");
      out.add(String.join(TAB, "op", s.domain(), s.name(), Integer.toString(s.sinceVersion()),
          "in=" + arity(s.inputArity()), "out=" + arity(s.outputArity()))
          + (s.deprecated() ? TAB + "deprecated" : ""));
      s.inputs().forEach(p -> out.add(parameter("in", p)));
      s.outputs().forEach(p -> out.add(parameter("out", p)));
      for (AttributeSpec a : s.attributes()) {
        String tail = a.required() ? "required"
            : a.defaultValue().map(v -> "default" + TAB + v).orElse("optional");
        out.add(String.join(TAB, "attr", a.name(), a.kind().label(), tail));
      }
      for (TypeConstraint c : s.typeConstraints()) {
        out.add("type" + TAB + c.variable() + TAB + String.join(TAB, c.allowedTypes()));
      }
    }
    return out;
  }

  private static String arity(Arity a) {
    if (a.min() == a.max()) {
      return Integer.toString(a.min());
    }
    return a.min() + ".." + (a.max() == Arity.UNBOUNDED ? "*" : Integer.toString(a.max()));
  }

  private static Arity arity(String field, String prefix) {
    if (!field.startsWith(prefix)) {
      throw new IllegalArgumentException("expected " + prefix + "..., got " + field);
    }
    String v = field.substring(prefix.length());
    int dots = v.indexOf("..");
    if (dots < 0) {
      int n = Integer.parseInt(v);
      return new Arity(n, n);
    }
    String max = v.substring(dots + 2);
    return new Arity(Integer.parseInt(v.substring(0, dots)),
        "*".equals(max) ? Arity.UNBOUNDED : Integer.parseInt(max));
  }

  private static String parameter(String kind, Parameter p) {
    String option = switch (p.option()) {
      case SINGLE -> "single";
      case OPTIONAL -> "optional";
      case VARIADIC -> "variadic:" + p.minArity() + (p.homogeneous() ? "" : ":heterogeneous");
    };
    return String.join(TAB, kind, p.name(), p.type(), option);
  }

  private static Parameter parameter(String[] f) {
    String option = f[3];
    if ("single".equals(option)) {
      return new Parameter(f[1], f[2], Parameter.Option.SINGLE, 1, true);
    }
    if ("optional".equals(option)) {
      return new Parameter(f[1], f[2], Parameter.Option.OPTIONAL, 1, true);
    }
    String[] v = option.split(":");
    if (!"variadic".equals(v[0]) || v.length < 2) {
      throw new IllegalArgumentException("unknown parameter option '" + option + "'");
    }
    boolean heterogeneous = v.length > 2 && "heterogeneous".equals(v[2]);
    return new Parameter(f[1], f[2], Parameter.Option.VARIADIC, Integer.parseInt(v[1]), !heterogeneous);
  }

  private static AttributeSpec attribute(String[] f) {
    AttributeKind kind = Arrays.stream(AttributeKind.values()).filter(k -> k.label().equals(f[2]))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown attribute type '" + f[2] + "'"));
    return switch (f[3]) {
      case "required" -> new AttributeSpec(f[1], kind, true, Optional.empty());
      case "optional" -> new AttributeSpec(f[1], kind, false, Optional.empty());
      case "default" -> new AttributeSpec(f[1], kind, false, Optional.of(f[4]));
      default -> throw new IllegalArgumentException("unknown attribute flag '" + f[3] + "'");
    };
  }

  /** Collects the lines of one {@code op} block. */
  private static final class Block {
    final String[] head;
    final List<Parameter> inputs = new ArrayList<>();
    final List<Parameter> outputs = new ArrayList<>();
    final List<AttributeSpec> attributes = new ArrayList<>();
    final List<TypeConstraint> constraints = new ArrayList<>();

    Block(String[] head) {
      this.head = head;
    }

    OpSchema build() {
      boolean deprecated = head.length > 6 && "deprecated".equals(head[6]);
      return new OpSchema(head[1], head[2], Integer.parseInt(head[3]), deprecated, inputs, outputs,
          arity(head[4], "in="), arity(head[5], "out="), attributes, constraints);
    }
  }
}
