package dev.modelbridge.tensorflow;

import com.google.protobuf.ByteString;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/** Small GraphDef nodes for tests, written with TensorFlow's protobuf classes. */
final class TinyGraphs {
  private TinyGraphs() {}

  static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs))
        .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
  }

  static NodeDef with(NodeDef n, String key, AttrValue v) {
    return n.toBuilder().putAttr(key, v).build();
  }

  static AttrValue b(boolean v) {
    return AttrValue.newBuilder().setB(v).build();
  }

  static AttrValue s(String v) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(v)).build();
  }

  static AttrValue ints(long... v) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    for (long x : v) {
      l.addI(x);
    }
    return AttrValue.newBuilder().setList(l).build();
  }

  static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  static NodeDef placeholder(String name, long... dims) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("shape", AttrValue.newBuilder().setShape(shape(dims)).build()).build();
  }

  static NodeDef floats(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims));
    for (float v : values) {
      t.addFloatVal(v);
    }
    return constant(name, t.build());
  }

  static NodeDef int32s(String name, int... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(values.length));
    for (int v : values) {
      t.addIntVal(v);
    }
    return constant(name, t.build());
  }

  static NodeDef strings(String name, String... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape(values.length));
    for (String v : values) {
      t.addStringVal(ByteString.copyFromUtf8(v));
    }
    return constant(name, t.build());
  }

  static NodeDef constant(String name, TensorProto t) {
    return NodeDef.newBuilder().setName(name).setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(t.getDtype()).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
  }

  static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  static AttrValue i(long v) {
    return AttrValue.newBuilder().setI(v).build();
  }

  static AttrValue f(float v) {
    return AttrValue.newBuilder().setF(v).build();
  }

  /** A node with attributes given as key, value pairs after the inputs: {@code op(name, "Op", in...).attr(...)}. */
  static NodeDef op(String name, String op, List<String> inputs, Object... keyValues) {
    NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs);
    for (int k = 0; k < keyValues.length; k += 2) {
      Object v = keyValues[k + 1];
      AttrValue a = v instanceof AttrValue av ? av : v instanceof DataType dt ? type(dt)
          : v instanceof Boolean bv ? b(bv) : v instanceof String sv ? s(sv) : v instanceof Float fv ? f(fv)
          : i(((Number) v).longValue());
      b.putAttr((String) keyValues[k], a);
    }
    return b.build();
  }

  static NodeDef placeholder(String name, DataType t, long... dims) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setType(t).build())
        .putAttr("shape", AttrValue.newBuilder().setShape(shape(dims)).build()).build();
  }

  static NodeDef int32s(String name, long[] dims, int... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(dims));
    for (int v : values) {
      t.addIntVal(v);
    }
    return constant(name, t.build());
  }

  static NodeDef int32(String name, int value) {
    return int32s(name, new long[0], value);
  }

  static NodeDef float1(String name, float value) {
    return floats(name, new long[0], value);
  }
}
