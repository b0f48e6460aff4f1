package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.SparseTensorProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TypeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps {@code AttributeProto} to the typed IR attribute. Files written before IR version 2 may omit
 * the {@code type} field; the kind is then taken from the value field that is set.
 */
final class AttributeDecoder {
  private final TensorDecoder tensors;
  private final ProtoDecoder graphs;

  AttributeDecoder(TensorDecoder tensors, ProtoDecoder graphs) {
    this.tensors = tensors;
    this.graphs = graphs;
  }

  Attribute decode(AttributeProto a) throws ModelException {
    try {
      return decodeValue(a);
    } catch (ModelException e) {
      throw e.within("attribute '" + a.getName() + "'");
    }
  }

  private Attribute decodeValue(AttributeProto a) throws ModelException {
    AttributeKind kind = kind(a);
    String name = a.getName();
    String doc = a.getDocString();
    if (a.hasRefAttrName()) {
      return new Attribute.RefAttr(name, kind, a.getRefAttrName(), doc);
    }
    return switch (kind) {
      case FLOAT -> new Attribute.FloatAttr(name, a.getF(), doc);
      case INT -> new Attribute.IntAttr(name, a.getI(), doc);
      case STRING -> new Attribute.StringAttr(name, Bytes.copyOf(a.getS().toByteArray()), doc);
      case TENSOR -> new Attribute.TensorAttr(name, tensors.decode(a.getT()), doc);
      case GRAPH -> new Attribute.GraphAttr(name, graphs.graph(a.getG()), doc);
      case SPARSE_TENSOR -> new Attribute.SparseTensorAttr(name, tensors.decodeSparse(a.getSparseTensor()), doc);
      case TYPE -> new Attribute.TypeAttr(name, TypeDecoder.type(a.getTp()), doc);
      case FLOATS -> new Attribute.FloatsAttr(name, a.getFloatsList(), doc);
      case INTS -> new Attribute.IntsAttr(name, a.getIntsList(), doc);
      case STRINGS -> {
        List<Bytes> values = new ArrayList<>(a.getStringsCount());
        a.getStringsList().forEach(s -> values.add(Bytes.copyOf(s.toByteArray())));
        yield new Attribute.StringsAttr(name, values, doc);
      }
      case TENSORS -> {
        List<Tensor> values = new ArrayList<>();
        for (TensorProto t : a.getTensorsList()) {
          values.add(tensors.decode(t));
        }
        yield new Attribute.TensorsAttr(name, values, doc);
      }
      case GRAPHS -> {
        List<Graph> values = new ArrayList<>();
        for (GraphProto g : a.getGraphsList()) {
          values.add(graphs.graph(g));
        }
        yield new Attribute.GraphsAttr(name, values, doc);
      }
      case SPARSE_TENSORS -> {
        List<SparseTensor> values = new ArrayList<>();
        for (SparseTensorProto s : a.getSparseTensorsList()) {
          values.add(tensors.decodeSparse(s));
        }
        yield new Attribute.SparseTensorsAttr(name, values, doc);
      }
      case TYPES -> {
        List<Type> values = new ArrayList<>();
        for (TypeProto t : a.getTypeProtosList()) {
          values.add(TypeDecoder.type(t));
        }
        yield new Attribute.TypesAttr(name, values, doc);
      }
    };
  }

  private static AttributeKind kind(AttributeProto a) throws InvalidModelException {
    if (a.hasType() && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
      return AttributeKind.fromCode(a.getType().getNumber())
          .orElseThrow(() -> new InvalidModelException("unknown attribute type " + a.getType()));
    }
    if (a.hasF()) {
      return AttributeKind.FLOAT;
    } else if (a.hasI()) {
      return AttributeKind.INT;
    } else if (a.hasS()) {
      return AttributeKind.STRING;
    } else if (a.hasT()) {
      return AttributeKind.TENSOR;
    } else if (a.hasG()) {
      return AttributeKind.GRAPH;
    } else if (a.hasSparseTensor()) {
      return AttributeKind.SPARSE_TENSOR;
    } else if (a.hasTp()) {
      return AttributeKind.TYPE;
    } else if (a.getFloatsCount() > 0) {
      return AttributeKind.FLOATS;
    } else if (a.getIntsCount() > 0) {
      return AttributeKind.INTS;
    } else if (a.getStringsCount() > 0) {
      return AttributeKind.STRINGS;
    } else if (a.getTensorsCount() > 0) {
      return AttributeKind.TENSORS;
    } else if (a.getGraphsCount() > 0) {
      return AttributeKind.GRAPHS;
    } else if (a.getSparseTensorsCount() > 0) {
      return AttributeKind.SPARSE_TENSORS;
    } else if (a.getTypeProtosCount() > 0) {
      return AttributeKind.TYPES;
    }
    throw new InvalidModelException("attribute has neither a type nor a value");
  }
}
