package dev.modelbridge.tensorflow.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * A TensorFlow GraphDef under construction: unique, valid node names and typed attribute setters,
 * so that handlers never write protobuf by hand. A graph made by {@link #function} is the body of a
 * function of the root graph's library instead (see {@link TfFunction}).
 */
public final class TfGraph {
  /** The GraphDef version the emitted ops are written for (TensorFlow 2.x semantics). */
  static final int PRODUCER = 1482;

  private final GraphDef.Builder graph = GraphDef.newBuilder()
      .setVersions(VersionDef.newBuilder().setProducer(PRODUCER));
  private final Set<String> names = new HashSet<>();
  /** The graph whose library holds the functions; {@code this} for a GraphDef. */
  private final TfGraph root;
  private final Set<String> functionNames;

  public TfGraph() {
    this.root = this;
    this.functionNames = new HashSet<>();
  }

  private TfGraph(TfGraph root) {
    this.root = root;
    this.functionNames = null;
  }

  /** An empty graph for the body of a function of this graph's library. */
  TfGraph function() {
    return new TfGraph(root);
  }

  /** Adds {@code f} to the library under a unique name derived from its signature's name; returns the name. */
  String addFunction(FunctionDef f) {
    String base = sanitize(f.getSignature().getName()).replace('/', '_');
    String name = base;
    for (int i = 1; !root.functionNames.add(name); i++) {
      name = base + "_" + i;
    }
    FunctionDef.Builder b = f.toBuilder();
    b.getSignatureBuilder().setName(name);
    root.graph.getLibraryBuilder().addFunction(b);
    return name;
  }

  /** The nodes added so far. */
  List<NodeDef> nodes() {
    return graph.getNodeList();
  }

  /** Reserves {@code name} (a function argument) so that no node takes it. */
  boolean reserve(String name) {
    return names.add(name);
  }

  /** A node name derived from {@code hint}: invalid characters replaced, made unique. */
  public String uniqueName(String hint) {
    String base = sanitize(hint);
    String name = base;
    for (int i = 1; !names.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /** TensorFlow node names match {@code [A-Za-z0-9.][A-Za-z0-9_.\-/>]*}. */
  static String sanitize(String hint) {
    StringBuilder b = new StringBuilder();
    for (char c : hint.toCharArray()) {
      boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == '>');
      b.append(ok ? c : '_');
    }
    if (b.length() == 0 || !(Character.isLetterOrDigit(b.charAt(0)) || b.charAt(0) == '.')) {
      b.insert(0, 'v');
    }
    return b.toString();
  }

  /** Starts a node of {@code op}, named after {@code hint}. */
  public Node op(String op, String hint) {
    return new Node(op, uniqueName(hint));
  }

  public GraphDef build() {
    return graph.build();
  }

  /** A constant of any dtype from little-endian bytes, as TensorFlow's tensor_content holds them. */
  public TfRef constant(String hint, DataType dtype, long[] dims, ByteBuffer littleEndian) {
    TensorProto t = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape(dims))
        .setTensorContent(ByteString.copyFrom(littleEndian.duplicate())).build();
    return op("Const", hint).attr("dtype", dtype).attr("value", AttrValue.newBuilder().setTensor(t).build())
        .output(dtype);
  }

  /** A string constant: a scalar when {@code scalar}, else a vector of {@code values}. */
  public TfRef strings(String hint, boolean scalar, List<String> values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
        .setTensorShape(shape(scalar ? new long[0] : new long[] {values.size()}));
    values.forEach(v -> t.addStringVal(ByteString.copyFromUtf8(v)));
    return op("Const", hint).attr("dtype", DataType.DT_STRING).attr("value", AttrValue.newBuilder().setTensor(t).build())
        .output(DataType.DT_STRING);
  }

  public TfRef int64s(String hint, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return constant(hint, DataType.DT_INT64, new long[] {values.length}, b.flip());
  }

  public TfRef int32s(String hint, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putInt(Math.toIntExact(v));
    }
    return constant(hint, DataType.DT_INT32, new long[] {values.length}, b.flip());
  }

  /** A scalar of {@code dtype} (a float, an integer or a bool type) holding {@code value}. */
  public TfRef scalar(String hint, DataType dtype, double value) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case DT_FLOAT -> b.putFloat((float) value);
      case DT_DOUBLE -> b.putDouble(value);
      case DT_INT64 -> b.putLong((long) value);
      case DT_INT32 -> b.putInt((int) value);
      case DT_INT16, DT_UINT16 -> b.putShort((short) value);
      case DT_INT8, DT_UINT8, DT_BOOL -> b.put((byte) value);
      default -> throw new IllegalArgumentException("no scalar constants of " + dtype);
    }
    return constant(hint, dtype, new long[0], b.flip());
  }

  /** A shape; {@code null} is an unknown rank, {@code -1} an unknown dimension. */
  public static TensorShapeProto shape(long[] dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    if (dims == null) {
      return s.setUnknownRank(true).build();
    }
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return s.build();
  }

  /** One node being built; {@link #output} or {@link #done} adds it to the graph. */
  public final class Node {
    private final NodeDef.Builder def;

    private Node(String op, String name) {
      def = NodeDef.newBuilder().setOp(op).setName(name);
    }

    public String name() {
      return def.getName();
    }

    public Node input(TfRef ref) {
      def.addInput(ref.input());
      return this;
    }

    public Node inputs(List<TfRef> refs) {
      refs.forEach(this::input);
      return this;
    }

    /** Runs after {@code node}, without using its outputs. */
    public Node control(String node) {
      def.addInput("^" + node);
      return this;
    }

    public Node attr(String name, AttrValue v) {
      def.putAttr(name, v);
      return this;
    }

    public Node attr(String name, DataType t) {
      return attr(name, AttrValue.newBuilder().setType(t).build());
    }

    public Node attr(String name, long v) {
      return attr(name, AttrValue.newBuilder().setI(v).build());
    }

    public Node attr(String name, float v) {
      return attr(name, AttrValue.newBuilder().setF(v).build());
    }

    public Node attr(String name, boolean v) {
      return attr(name, AttrValue.newBuilder().setB(v).build());
    }

    public Node attr(String name, String v) {
      return attr(name, AttrValue.newBuilder().setS(ByteString.copyFromUtf8(v)).build());
    }

    public Node attr(String name, TensorShapeProto v) {
      return attr(name, AttrValue.newBuilder().setShape(v).build());
    }

    public Node ints(String name, long... v) {
      AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
      for (long x : v) {
        l.addI(x);
      }
      return attr(name, AttrValue.newBuilder().setList(l).build());
    }

    public Node types(String name, List<DataType> v) {
      return attr(name, AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(v)).build());
    }

    /** Adds the node; returns its first output. */
    public TfRef output(DataType dtype) {
      graph.addNode(def.build());
      return new TfRef(def.getName(), 0, dtype);
    }

    /** Adds a node whose outputs are not read by tensor (NoOp, AssignVariableOp); returns its name. */
    public String done() {
      graph.addNode(def.build());
      return def.getName();
    }
  }
}
