package dev.modelbridge.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.StringPair;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorAnnotation;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.ir.TrainingInfo;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.SparseTensorProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TrainingInfoProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps the IR to a {@code ModelProto}. Strings and numbers at their default value are left absent;
 * tensor bytes are wrapped, not copied, and tensors planned for the side file get external-data
 * entries instead.
 */
final class ProtoEncoder {
  private final ExternalDataPlan plan;

  ProtoEncoder(ExternalDataPlan plan) {
    this.plan = plan;
  }

  ModelProto model(Model m) {
    ModelProto.Builder b = ModelProto.newBuilder().setIrVersion(m.irVersion());
    m.opsetImports().forEach(o -> b.addOpsetImport(opset(o)));
    str(m.producerName(), b::setProducerName);
    str(m.producerVersion(), b::setProducerVersion);
    str(m.domain(), b::setDomain);
    if (m.modelVersion() != 0) {
      b.setModelVersion(m.modelVersion());
    }
    str(m.docString(), b::setDocString);
    b.setGraph(graph(m.graph()));
    b.addAllMetadataProps(entries(m.metadata()));
    for (TrainingInfo t : m.trainingInfo()) {
      TrainingInfoProto.Builder tb = TrainingInfoProto.newBuilder();
      t.initialization().ifPresent(g -> tb.setInitialization(graph(g)));
      t.algorithm().ifPresent(g -> tb.setAlgorithm(graph(g)));
      tb.addAllInitializationBinding(entries(t.initializationBinding()));
      tb.addAllUpdateBinding(entries(t.updateBinding()));
      b.addTrainingInfo(tb);
    }
    m.functions().forEach(f -> b.addFunctions(function(f)));
    return b.build();
  }

  GraphProto graph(Graph g) {
    GraphProto.Builder b = GraphProto.newBuilder();
    g.nodes().forEach(n -> b.addNode(node(n)));
    str(g.name(), b::setName);
    g.initializers().forEach(t -> b.addInitializer(tensor(t)));
    g.sparseInitializers().forEach(s -> b.addSparseInitializer(sparse(s)));
    str(g.docString(), b::setDocString);
    g.inputs().forEach(v -> b.addInput(valueInfo(v)));
    g.outputs().forEach(v -> b.addOutput(valueInfo(v)));
    g.valueInfos().forEach(v -> b.addValueInfo(valueInfo(v)));
    for (TensorAnnotation a : g.quantizationAnnotations()) {
      var ab = dev.modelbridge.schemas.onnx.TensorAnnotation.newBuilder();
      str(a.tensorName(), ab::setTensorName);
      ab.addAllQuantParameterTensorNames(entries(a.parameterTensorNames()));
      b.addQuantizationAnnotation(ab);
    }
    b.addAllMetadataProps(entries(g.metadata()));
    return b.build();
  }

  NodeProto node(Node n) {
    NodeProto.Builder b = NodeProto.newBuilder().addAllInput(n.inputs()).addAllOutput(n.outputs());
    str(n.name(), b::setName);
    str(n.opType(), b::setOpType);
    str(n.domain(), b::setDomain);
    str(n.overload(), b::setOverload);
    n.attributes().forEach(a -> b.addAttribute(attribute(a)));
    str(n.docString(), b::setDocString);
    b.addAllMetadataProps(entries(n.metadata()));
    return b.build();
  }

  private FunctionProto function(Function f) {
    FunctionProto.Builder b = FunctionProto.newBuilder();
    str(f.name(), b::setName);
    b.addAllInput(f.inputs()).addAllOutput(f.outputs()).addAllAttribute(f.attributeNames());
    f.attributeDefaults().forEach(a -> b.addAttributeProto(attribute(a)));
    f.nodes().forEach(n -> b.addNode(node(n)));
    str(f.docString(), b::setDocString);
    f.opsetImports().forEach(o -> b.addOpsetImport(opset(o)));
    str(f.domain(), b::setDomain);
    str(f.overload(), b::setOverload);
    f.valueInfos().forEach(v -> b.addValueInfo(valueInfo(v)));
    b.addAllMetadataProps(entries(f.metadata()));
    return b.build();
  }

  AttributeProto attribute(Attribute a) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name())
        .setType(AttributeProto.AttributeType.forNumber(a.kind().code()));
    str(a.docString(), b::setDocString);
    if (a instanceof Attribute.RefAttr r) {
      b.setRefAttrName(r.referencedName());
    } else if (a instanceof Attribute.FloatAttr v) {
      b.setF(v.value());
    } else if (a instanceof Attribute.IntAttr v) {
      b.setI(v.value());
    } else if (a instanceof Attribute.StringAttr v) {
      b.setS(bytes(v.value()));
    } else if (a instanceof Attribute.TensorAttr v) {
      b.setT(tensor(v.value()));
    } else if (a instanceof Attribute.GraphAttr v) {
      b.setG(graph(v.value()));
    } else if (a instanceof Attribute.SparseTensorAttr v) {
      b.setSparseTensor(sparse(v.value()));
    } else if (a instanceof Attribute.TypeAttr v) {
      b.setTp(TypeEncoder.type(v.value()));
    } else if (a instanceof Attribute.FloatsAttr v) {
      b.addAllFloats(v.values());
    } else if (a instanceof Attribute.IntsAttr v) {
      b.addAllInts(v.values());
    } else if (a instanceof Attribute.StringsAttr v) {
      v.values().forEach(s -> b.addStrings(bytes(s)));
    } else if (a instanceof Attribute.TensorsAttr v) {
      v.values().forEach(t -> b.addTensors(tensor(t)));
    } else if (a instanceof Attribute.GraphsAttr v) {
      v.values().forEach(g -> b.addGraphs(graph(g)));
    } else if (a instanceof Attribute.SparseTensorsAttr v) {
      v.values().forEach(s -> b.addSparseTensors(sparse(s)));
    } else if (a instanceof Attribute.TypesAttr v) {
      v.values().forEach(t -> b.addTypeProtos(TypeEncoder.type(t)));
    }
    return b.build();
  }

  TensorProto tensor(Tensor t) {
    TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.elementType().code());
    for (long d : t.dims()) {
      b.addDims(d);
    }
    str(t.name(), b::setName);
    str(t.docString(), b::setDocString);
    b.addAllMetadataProps(entries(t.metadata()));
    TensorData data = t.data();
    ExternalDataPlan.Slot slot = plan.slot(t);
    if (slot != null) {
      b.setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", plan.fileName()))
          .addExternalData(entry("offset", Long.toString(slot.offset())))
          .addExternalData(entry("length", Long.toString(slot.length())));
    } else if (data instanceof TensorData.StringList strings) {
      strings.strings().forEach(s -> b.addStringData(bytes(s)));
    } else if (data.byteSize() > 0) {
      b.setRawData(UnsafeByteOperations.unsafeWrap(data.bytes()));
    }
    return b.build();
  }

  private SparseTensorProto sparse(SparseTensor s) {
    return SparseTensorProto.newBuilder()
        .setValues(tensor(s.values()))
        .setIndices(tensor(s.indices()))
        .addAllDims(s.dims())
        .build();
  }

  private static ValueInfoProto valueInfo(ValueInfo v) {
    ValueInfoProto.Builder b = ValueInfoProto.newBuilder();
    str(v.name(), b::setName);
    v.type().ifPresent(t -> b.setType(TypeEncoder.type(t)));
    str(v.docString(), b::setDocString);
    b.addAllMetadataProps(entries(v.metadata()));
    return b.build();
  }

  private static OperatorSetIdProto opset(OpsetImport o) {
    OperatorSetIdProto.Builder b = OperatorSetIdProto.newBuilder().setVersion(o.version());
    str(o.domain(), b::setDomain);
    return b.build();
  }

  private static ByteString bytes(Bytes b) {
    return UnsafeByteOperations.unsafeWrap(b.toByteArray());
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  static List<StringStringEntryProto> entries(List<StringPair> pairs) {
    return pairs.stream().map(p -> entry(p.key(), p.value())).toList();
  }

  static void str(String value, Consumer<String> setter) {
    if (!value.isEmpty()) {
      setter.accept(value);
    }
  }
}
