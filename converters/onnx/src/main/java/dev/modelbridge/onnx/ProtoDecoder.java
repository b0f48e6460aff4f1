package dev.modelbridge.onnx;

import static dev.modelbridge.onnx.TensorDecoder.metadata;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.Limits;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorAnnotation;
import dev.modelbridge.ir.TrainingInfo;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.SparseTensorProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TrainingInfoProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps a parsed {@code ModelProto} to the IR. Errors gain the graph, node and field where they
 * arose. What the IR does not model is refused here with a clear error rather than dropped.
 */
final class ProtoDecoder {
  private final TensorDecoder tensors;
  private final AttributeDecoder attributes;
  private final Limits limits;
  private int graphDepth;
  private long nodeCount;

  ProtoDecoder(ExternalDataResolver externalData) {
    this(externalData, Limits.defaults());
  }

  ProtoDecoder(ExternalDataResolver externalData, Limits limits) {
    this.tensors = new TensorDecoder(externalData);
    this.attributes = new AttributeDecoder(tensors, this);
    this.limits = limits;
  }

  Model model(ModelProto m) throws ModelException {
    if (m.getConfigurationCount() > 0) {
      throw new UnsupportedModelException(
          "multi-device configurations (ModelProto.configuration) are not supported");
    }
    if (!m.hasGraph()) {
      throw new InvalidModelException("the model has no graph");
    }
    List<TrainingInfo> training = new ArrayList<>();
    for (TrainingInfoProto t : m.getTrainingInfoList()) {
      training.add(new TrainingInfo(
          t.hasInitialization() ? Optional.of(graph(t.getInitialization())) : Optional.empty(),
          t.hasAlgorithm() ? Optional.of(graph(t.getAlgorithm())) : Optional.empty(),
          metadata(t.getInitializationBindingList()),
          metadata(t.getUpdateBindingList())));
    }
    FunctionCalls.refuseRecursion(m.getFunctionsList());
    List<Function> functions = new ArrayList<>();
    for (FunctionProto f : m.getFunctionsList()) {
      try {
        functions.add(function(f));
      } catch (ModelException e) {
        throw e.within("function '" + f.getDomain() + ":" + f.getName() + "'");
      }
    }
    return new Model(
        m.getIrVersion(),
        opsets(m.getOpsetImportList()),
        m.getProducerName(),
        m.getProducerVersion(),
        m.getDomain(),
        m.getModelVersion(),
        m.getDocString(),
        graph(m.getGraph()),
        metadata(m.getMetadataPropsList()),
        training,
        functions);
  }

  Graph graph(GraphProto g) throws ModelException {
    // Checked before the graph's contents are decoded: nesting and node count bound the recursion
    // of every later pass (validator, inference, writer) and the IR's size.
    if (graphDepth >= limits.maxGraphDepth()) {
      throw new InvalidModelException("graphs are nested more than " + limits.maxGraphDepth()
          + " deep (limit maxGraphDepth)").within("graph '" + g.getName() + "'");
    }
    countNodes(g.getNodeCount());
    graphDepth++;
    try {
      return decodeGraph(g);
    } finally {
      graphDepth--;
    }
  }

  private void countNodes(int n) throws InvalidModelException {
    nodeCount += n;
    if (nodeCount > limits.maxNodes()) {
      throw new InvalidModelException("the model has more than " + limits.maxNodes() + " nodes (limit maxNodes)");
    }
  }

  private Graph decodeGraph(GraphProto g) throws ModelException {
    try {
      List<Tensor> initializers = new ArrayList<>(g.getInitializerCount());
      for (TensorProto t : g.getInitializerList()) {
        try {
          initializers.add(tensors.decode(t));
        } catch (ModelException e) {
          throw e.within("initializer '" + t.getName() + "'");
        }
      }
      List<SparseTensor> sparse = new ArrayList<>();
      for (SparseTensorProto s : g.getSparseInitializerList()) {
        try {
          sparse.add(tensors.decodeSparse(s));
        } catch (ModelException e) {
          throw e.within("sparse initializer '" + s.getValues().getName() + "'");
        }
      }
      List<Node> nodes = new ArrayList<>(g.getNodeCount());
      for (NodeProto n : g.getNodeList()) {
        nodes.add(node(n));
      }
      List<TensorAnnotation> annotations = new ArrayList<>();
      for (dev.modelbridge.schemas.onnx.TensorAnnotation a : g.getQuantizationAnnotationList()) {
        annotations.add(new TensorAnnotation(a.getTensorName(), metadata(a.getQuantParameterTensorNamesList())));
      }
      return new Graph(
          g.getName(),
          nodes,
          valueInfos(g.getInputList()),
          valueInfos(g.getOutputList()),
          initializers,
          sparse,
          valueInfos(g.getValueInfoList()),
          g.getDocString(),
          annotations,
          metadata(g.getMetadataPropsList()));
    } catch (ModelException e) {
      throw e.within("graph '" + g.getName() + "'");
    }
  }

  Node node(NodeProto n) throws ModelException {
    try {
      if (n.getDeviceConfigurationsCount() > 0) {
        throw new UnsupportedModelException(
            "multi-device configurations (NodeProto.device_configurations) are not supported");
      }
      List<Attribute> attrs = new ArrayList<>(n.getAttributeCount());
      for (var a : n.getAttributeList()) {
        attrs.add(attributes.decode(a));
      }
      return new Node(n.getName(), n.getDomain(), n.getOpType(), n.getOverload(), n.getInputList(),
          n.getOutputList(), attrs, n.getDocString(), metadata(n.getMetadataPropsList()));
    } catch (ModelException e) {
      String label = n.getName().isEmpty()
          ? n.getOpType() + (n.getOutputCount() > 0 ? " producing '" + n.getOutput(0) + "'" : "")
          : "'" + n.getName() + "' (" + n.getOpType() + ")";
      throw e.within("node " + label);
    }
  }

  private Function function(FunctionProto f) throws ModelException {
    countNodes(f.getNodeCount());
    List<Node> nodes = new ArrayList<>(f.getNodeCount());
    for (NodeProto n : f.getNodeList()) {
      nodes.add(node(n));
    }
    List<Attribute> defaults = new ArrayList<>();
    for (var a : f.getAttributeProtoList()) {
      defaults.add(attributes.decode(a));
    }
    return new Function(f.getName(), f.getDomain(), f.getOverload(), f.getInputList(),
        f.getOutputList(), f.getAttributeList(), defaults, nodes, f.getDocString(),
        opsets(f.getOpsetImportList()), valueInfos(f.getValueInfoList()),
        metadata(f.getMetadataPropsList()));
  }

  private List<ValueInfo> valueInfos(List<ValueInfoProto> protos) throws ModelException {
    List<ValueInfo> out = new ArrayList<>(protos.size());
    for (ValueInfoProto v : protos) {
      try {
        out.add(new ValueInfo(v.getName(),
            v.hasType() ? Optional.of(TypeDecoder.type(v.getType())) : Optional.empty(),
            v.getDocString(), metadata(v.getMetadataPropsList())));
      } catch (ModelException e) {
        throw e.within("value '" + v.getName() + "'");
      }
    }
    return out;
  }

  private static List<OpsetImport> opsets(List<OperatorSetIdProto> protos) {
    List<OpsetImport> out = new ArrayList<>(protos.size());
    for (OperatorSetIdProto o : protos) {
      out.add(new OpsetImport(o.getDomain(), o.getVersion()));
    }
    return out;
  }

}
