package dev.modelbridge.e2e.tensorflow.tfjava;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A library function written as a FunctionDef, such as the cond or body of a While, as
 * {@code tf.function} writes them: node inputs name an output argument ({@code MatMul:product:0}).
 * (TensorFlow Java's ConcreteFunction cannot return DT_VARIANT values, which a loop over TensorLists
 * does, so the test writes the proto; TensorFlow checks it when the graph imports it.)
 */
final class FunctionBuilder {
  private final OpDef.Builder signature;
  private final FunctionDef.Builder function = FunctionDef.newBuilder();
  private final List<String> args = new ArrayList<>();

  FunctionBuilder(String name) {
    signature = OpDef.newBuilder().setName(name);
  }

  /**
   * An argument as {@code tf.function} declares a traced function's: with its
   * {@code _user_specified_name}, and a resource argument with a unique id.
   */
  String userArg(String name, DataType dtype) {
    int index = args.size();
    arg(name, dtype);
    function.putArgAttr(index, FunctionDef.ArgAttrs.newBuilder().putAttr("_user_specified_name", attr(name)).build());
    if (dtype == DataType.DT_RESOURCE) {
      function.putResourceArgUniqueId(index, index);
    }
    return name;
  }

  /** A function attribute, such as {@code _api_implements}; values as for {@link #op}. */
  FunctionBuilder attr(String key, Object value) {
    function.putAttr(key, attr(value));
    return this;
  }

  /**
   * A call of library function {@code fn} by {@code op} (PartitionedCall or StatefulPartitionedCall)
   * with the attributes tf.function gives it; returns output 0 (others through {@link #out}).
   */
  String call(String op, String name, String fn, List<String> inputs, List<DataType> in, List<DataType> out) {
    return op(op, name, "output", inputs, "Tin", types(in), "Tout", types(out), "f", func(fn), "config", "",
        "config_proto", CONFIG_PROTO, "executor_type", "", "_collective_manager_ids", AttrValue.newBuilder()
            .setList(AttrValue.ListValue.getDefaultInstance()).build());
  }

  /** The ConfigProto tf.function serialises into each call (CPU and GPU device counts and so on). */
  private static final AttrValue CONFIG_PROTO = AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFrom(
      new byte[] {10, 7, 10, 3, 67, 80, 85, 16, 1, 10, 7, 10, 3, 71, 80, 85, 16, 0, 50, 2, 74, 0, 56, 1, -126, 1, 0}))
      .build();

  /** A list-of-types attribute, such as a While's {@code T}. */
  static AttrValue types(List<DataType> types) {
    return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(types)).build();
  }

  /** A function attribute value, such as a While's {@code body}. */
  static AttrValue func(String name) {
    return AttrValue.newBuilder().setFunc(org.tensorflow.proto.NameAttrList.newBuilder().setName(name)).build();
  }

  /** A list-of-shapes attribute ({@code -1}: unknown size), such as a While's {@code output_shapes}. */
  static AttrValue shapes(List<long[]> shapes) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    shapes.forEach(s -> l.addShape(shape(s)));
    return AttrValue.newBuilder().setList(l).build();
  }

  /** The next argument, of type {@code dtype}; returns its name, as nodes refer to it. */
  String arg(String name, DataType dtype) {
    signature.addInputArg(OpDef.ArgDef.newBuilder().setName(name).setType(dtype));
    args.add(name);
    return name;
  }

  /**
   * A node; {@code outArg} is the op's output argument (such as {@code z} for AddV2); {@code attrs}
   * are name/value pairs (DataType, Long, Boolean, String or AttrValue). Returns output 0.
   */
  String op(String op, String name, String outArg, List<String> inputs, Object... attrs) {
    NodeDef.Builder n = NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs);
    for (int i = 0; i < attrs.length; i += 2) {
      n.putAttr((String) attrs[i], attr(attrs[i + 1]));
    }
    function.addNodeDef(n);
    return name + ":" + outArg + ":0";
  }

  /** An element-wise op of float or int32 values: the output argument and attribute its kind has. */
  String math(String op, String name, DataType t, String... inputs) {
    return op(op, name, op.equals("LogicalAnd") ? "z" : op.startsWith("Sigmoid") || op.equals("Tanh") ? "y" : "z",
        List.of(inputs), op.equals("LogicalAnd") ? new Object[0] : new Object[] {"T", t});
  }

  /** Output {@code k} of the list output of {@code ref} (such as Split's {@code output}). */
  static String out(String ref, int k) {
    return ref.substring(0, ref.lastIndexOf(':') + 1) + k;
  }

  /** An int32 constant of the given shape. */
  String ints(String name, int[] values, long... shape) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(shape));
    for (int v : values) {
      t.addIntVal(v);
    }
    return op("Const", name, "output", List.of(), "dtype", DataType.DT_INT32,
        "value", AttrValue.newBuilder().setTensor(t).build());
  }

  /** A float32 scalar constant. */
  String floatScalar(String name, float value) {
    TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape())
        .addFloatVal(value).build();
    return op("Const", name, "output", List.of(), "dtype", DataType.DT_FLOAT,
        "value", AttrValue.newBuilder().setTensor(t).build());
  }

  /** The function returning {@code results}, whose types are {@code types}, in order. */
  FunctionDef build(List<String> results, List<DataType> types) {
    for (int k = 0; k < results.size(); k++) {
      String name = String.format("out_%02d", k);
      signature.addOutputArg(OpDef.ArgDef.newBuilder().setName(name).setType(types.get(k)));
      function.putRet(name, results.get(k));
    }
    return function.setSignature(signature).build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  private static AttrValue attr(Object v) {
    if (v instanceof AttrValue a) {
      return a;
    } else if (v instanceof DataType t) {
      return AttrValue.newBuilder().setType(t).build();
    } else if (v instanceof Long l) {
      return AttrValue.newBuilder().setI(l).build();
    } else if (v instanceof Integer i) {
      return AttrValue.newBuilder().setI(i).build();
    } else if (v instanceof Float x) {
      return AttrValue.newBuilder().setF(x).build();
    } else if (v instanceof Boolean b) {
      return AttrValue.newBuilder().setB(b).build();
    } else if (v instanceof String s) {
      return AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8(s)).build();
    }
    throw new IllegalArgumentException("attribute value " + v);
  }
}
