package dev.modelbridge.validate.rules.structure;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.GraphScope;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.RuleContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features of a model that need a minimum IR version, each with the first place it is used.
 * The versions come from the ONNX IR specification (IR.md) and the history of {@code onnx.proto}'s
 * {@code Version} enumeration: 4 bfloat16; 5 quantization annotations; 6 sparse tensors, sequence
 * and map types outside ONNX-ML; 7 training information; 8 model-local functions, optional and
 * sparse tensor types; 9 function attribute defaults and float8 types; 10 overloads, metadata on
 * graphs, nodes, values and tensors, function value infos, 4-bit integers; 11 float4e2m1;
 * 12 float8e8m0; 13 2-bit integers.
 */
final class IrFeatures {

  /** A feature, the IR version it needs, and where it is first used. */
  record Use(String feature, long minIr, Location where) {}

  private final Map<String, Use> first = new LinkedHashMap<>();
  private final boolean onnxMl;

  private IrFeatures(RuleContext context) {
    onnxMl = context.model().opsetImports().stream().anyMatch(o -> o.domain().equals("ai.onnx.ml"));
    Location file = context.fileLocation();
    if (!context.model().trainingInfo().isEmpty()) {
      note("training information (training_info)", 7, file.atField("training_info"));
    }
    for (GraphScope s : context.graphs()) {
      if (s.owner().isEmpty() && s.function().isPresent()) {
        function(s.function().get(), s.location());
      } else {
        graph(s.graph(), s.location());
      }
      for (Node n : s.graph().nodes()) {
        node(n, s.at(n));
      }
    }
  }

  /** The features of the model in {@code context}, in order of first use. */
  static List<Use> of(RuleContext context) {
    return List.copyOf(new IrFeatures(context).first.values());
  }

  private void function(Function f, Location at) {
    note("model-local functions", 8, at);
    if (!f.attributeDefaults().isEmpty()) {
      note("function attributes with default values (attribute_proto)", 9, at.atField("attribute_proto"));
    }
    if (!f.overload().isEmpty()) {
      note("function overloads", 10, at.atField("overload"));
    }
    if (!f.valueInfos().isEmpty()) {
      note("value_info in functions", 10, at.atField("value_info"));
    }
    if (!f.metadata().isEmpty()) {
      note("metadata_props on functions", 10, at.atField("metadata_props"));
    }
    f.valueInfos().forEach(v -> value(v, at.atField("value_info '" + v.name() + "'")));
  }

  private void graph(Graph g, Location at) {
    if (!g.quantizationAnnotations().isEmpty()) {
      note("quantization annotations", 5, at.atField("quantization_annotation"));
    }
    if (!g.metadata().isEmpty()) {
      note("metadata_props on graphs", 10, at.atField("metadata_props"));
    }
    for (int i = 0; i < g.inputs().size(); i++) {
      value(g.inputs().get(i), at.atField(GraphNames.field("input", i, g.inputs().get(i).name())));
    }
    for (int i = 0; i < g.outputs().size(); i++) {
      value(g.outputs().get(i), at.atField(GraphNames.field("output", i, g.outputs().get(i).name())));
    }
    g.valueInfos().forEach(v -> value(v, at.atField("value_info '" + v.name() + "'")));
    g.initializers().forEach(t -> tensor(t, at.atField(GraphNames.initializer(t))));
    for (SparseTensor t : g.sparseInitializers()) {
      sparse(t, at.atField(GraphNames.sparseInitializer(t)));
    }
  }

  private void node(Node n, Location at) {
    if (!n.overload().isEmpty()) {
      note("node overloads", 10, at.atField("overload"));
    }
    if (!n.metadata().isEmpty()) {
      note("metadata_props on nodes", 10, at.atField("metadata_props"));
    }
    for (Attribute a : n.attributes()) {
      Location field = at.atField("attribute '" + a.name() + "'");
      if (a instanceof Attribute.TensorAttr t) {
        tensor(t.value(), field);
      } else if (a instanceof Attribute.TensorsAttr ts) {
        ts.values().forEach(t -> tensor(t, field));
      } else if (a instanceof Attribute.SparseTensorAttr s) {
        sparse(s.value(), field);
      } else if (a instanceof Attribute.SparseTensorsAttr ss) {
        ss.values().forEach(s -> sparse(s, field));
      } else if (a instanceof Attribute.TypeAttr t) {
        type(t.value(), field);
      } else if (a instanceof Attribute.TypesAttr ts) {
        ts.values().forEach(t -> type(t, field));
      }
    }
  }

  private void value(ValueInfo v, Location at) {
    if (!v.metadata().isEmpty()) {
      note("metadata_props on values", 10, at);
    }
    v.type().ifPresent(t -> type(t, at));
  }

  private void sparse(SparseTensor s, Location at) {
    note("sparse tensors", 6, at);
    tensor(s.values(), at);
    tensor(s.indices(), at);
  }

  private void tensor(Tensor t, Location at) {
    element(t.elementType(), at);
    if (!t.metadata().isEmpty()) {
      note("metadata_props on tensors", 10, at);
    }
  }

  private void type(Type t, Location at) {
    if (t instanceof Type.TensorType tt) {
      element(tt.elementType(), at);
    } else if (t instanceof Type.SparseTensorType st) {
      note("sparse tensor types", 8, at);
      element(st.elementType(), at);
    } else if (t instanceof Type.SequenceType seq) {
      collection("sequence types", at);
      nested(seq.elementType(), at);
    } else if (t instanceof Type.MapType map) {
      collection("map types", at);
      element(map.keyType(), at);
      nested(map.valueType(), at);
    } else if (t instanceof Type.OptionalType opt) {
      note("optional types", 8, at);
      nested(opt.elementType(), at);
    }
  }

  private void nested(Optional<Type> t, Location at) {
    t.ifPresent(inner -> type(inner, at));
  }

  /** Sequences and maps came with ONNX-ML first; IR version 6 brought them to plain ONNX. */
  private void collection(String feature, Location at) {
    if (!onnxMl) {
      note(feature + " (outside ONNX-ML)", 6, at);
    }
  }

  private void element(ElementType e, Location at) {
    switch (e) {
      case BFLOAT16 -> note("the bfloat16 type", 4, at);
      case FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> note("float8 types (" + e + ")", 9, at);
      case INT4, UINT4 -> note("4-bit integer types (" + e + ")", 10, at);
      case FLOAT4E2M1 -> note("the float4e2m1 type", 11, at);
      case FLOAT8E8M0 -> note("the float8e8m0 type", 12, at);
      case INT2, UINT2 -> note("2-bit integer types (" + e + ")", 13, at);
      default -> { }
    }
  }

  private void note(String feature, long minIr, Location where) {
    first.putIfAbsent(feature, new Use(feature, minIr, where));
  }
}
