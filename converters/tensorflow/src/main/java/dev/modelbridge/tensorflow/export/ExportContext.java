package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.bundle.TfDataTypes;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;
import org.tensorflow.proto.DataType;

/**
 * What a handler sees of one ONNX node: its inputs as emitted TensorFlow tensors, their static
 * types where inference knows them, constant inputs, typed attributes, and the graph to emit into.
 */
public final class ExportContext {
  private final OnnxToTf conversion;
  private final Node node;
  private final long opset;

  ExportContext(OnnxToTf conversion, Node node, long opset) {
    this.conversion = conversion;
    this.node = node;
    this.opset = opset;
  }

  public Node node() {
    return node;
  }

  /** The ai.onnx opset version the model imports. */
  public long opset() {
    return opset;
  }

  public TfGraph g() {
    return conversion.graph();
  }

  /** A base for names of emitted nodes: the ONNX node name, or its op and first output. */
  public String hint() {
    return node.name().isEmpty() ? node.opType() + "_" + (node.outputs().isEmpty() ? "" : node.outputs().get(0)) : node.name();
  }

  public int inputCount() {
    return node.inputs().size();
  }

  /** Whether optional input {@code i} is given. */
  public boolean hasInput(int i) {
    return i < node.inputs().size() && !node.inputs().get(i).isEmpty();
  }

  /** The tensor bound to input {@code i}. */
  public TfRef input(int i) throws OpExportException {
    if (!hasInput(i)) {
      throw new OpExportException("input " + i + " is missing");
    }
    return conversion.value(node.inputs().get(i));
  }

  /**
   * Kernel input {@code i} with its axes permuted by {@code perm} (axis {@code j} of the result is
   * axis {@code perm[j]} of the input), then viewed as {@code dims} (same element order). When the
   * input is a weight initializer that only convolution kernels read, its variable stores it in this
   * layout; otherwise the graph transposes (and reshapes) it.
   */
  public TfRef kernel(int i, long[] perm, long[] dims) throws OpExportException {
    if (!hasInput(i)) {
      throw new OpExportException("input " + i + " is missing");
    }
    Optional<TfRef> stored = conversion.storedKernel(this, node.inputs().get(i), perm, dims);
    if (stored.isPresent()) {
      return stored.get();
    }
    long[] have = dims(i).orElseThrow(() -> new OpExportException("the kernel's shape is not known"));
    return KernelVariables.viewed(this, transpose(input(i), perm), KernelVariables.permuted(have, perm), dims);
  }

  public boolean hasOutput(int i) {
    return i < node.outputs().size() && !node.outputs().get(i).isEmpty();
  }

  public int outputCount() {
    return node.outputs().size();
  }

  /** Binds ONNX output {@code i} to {@code ref}; unused optional outputs are skipped. */
  public void bind(int i, TfRef ref) {
    if (hasOutput(i)) {
      conversion.bind(node.outputs().get(i), ref);
    }
  }

  /** Records that output {@code i} is the constant {@code value}, for later shape-like inputs. */
  public void bindConstant(int i, Tensor value) {
    if (hasOutput(i)) {
      conversion.constant(node.outputs().get(i), value);
    }
  }

  /** The dims of input {@code i} when its rank is known; {@code -1} for an unknown dimension. */
  public Optional<long[]> dims(int i) {
    if (!hasInput(i)) {
      return Optional.empty();
    }
    return conversion.type(node.inputs().get(i)).flatMap(t -> t instanceof Type.TensorType tt ? tt.shape() : Optional.empty())
        .map(s -> s.dims().stream().mapToLong(d -> d instanceof Dim.Fixed f ? f.size() : -1).toArray());
  }

  public OptionalInt rank(int i) {
    return dims(i).map(d -> OptionalInt.of(d.length)).orElse(OptionalInt.empty());
  }

  /** The rank of input {@code i}, which this conversion needs. */
  public int requireRank(int i) throws OpExportException {
    OptionalInt r = rank(i);
    if (r.isEmpty()) {
      throw new OpExportException("the rank of input " + i + " ('" + node.inputs().get(i) + "') is not known");
    }
    return r.getAsInt();
  }

  /** The values of input {@code i} as integers, when it is a constant (initializer or Constant). */
  public Optional<long[]> constantInts(int i) {
    if (!hasInput(i)) {
      return Optional.empty();
    }
    return conversion.constant(node.inputs().get(i)).flatMap(ExportContext::ints);
  }

  /** Input {@code i} when it is a constant (initializer or Constant), of any element type. */
  public Optional<Tensor> constantTensor(int i) {
    return hasInput(i) ? conversion.constant(node.inputs().get(i)) : Optional.empty();
  }

  /** The values of input {@code i} as booleans, when it is a constant bool tensor. */
  public Optional<boolean[]> constantBools(int i) {
    if (!hasInput(i)) {
      return Optional.empty();
    }
    return conversion.constant(node.inputs().get(i)).filter(t -> t.elementType() == ElementType.BOOL).map(t -> {
      ByteBuffer b = t.data().bytes();
      boolean[] out = new boolean[(int) t.elementCount()];
      for (int k = 0; k < out.length; k++) {
        out[k] = b.get() != 0;
      }
      return out;
    });
  }

  /** Like {@link #constantInts} but required. */
  public long[] requireConstantInts(int i, String what) throws OpExportException {
    return constantInts(i).orElseThrow(() -> new OpExportException(what + " (input " + i + ") must be a constant"));
  }

  static Optional<long[]> ints(Tensor t) {
    if (t.elementType() != ElementType.INT64 && t.elementType() != ElementType.INT32) {
      return Optional.empty();
    }
    ByteBuffer b = t.data().bytes().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[(int) t.elementCount()];
    for (int k = 0; k < out.length; k++) {
      out[k] = t.elementType() == ElementType.INT64 ? b.getLong() : b.getInt();
    }
    return Optional.of(out);
  }

  public long attrInt(String name, long dflt) {
    return node.attribute(name).map(a -> a instanceof Attribute.IntAttr i ? i.value() : dflt).orElse(dflt);
  }

  public float attrFloat(String name, float dflt) {
    return node.attribute(name).map(a -> a instanceof Attribute.FloatAttr f ? f.value() : dflt).orElse(dflt);
  }

  public Optional<long[]> attrInts(String name) {
    return node.attribute(name).flatMap(a -> a instanceof Attribute.IntsAttr i ? Optional.of(i.toArray()) : Optional.empty());
  }

  public String attrString(String name, String dflt) {
    return node.attribute(name).map(a -> a instanceof Attribute.StringAttr s ? s.value().toUtf8() : dflt).orElse(dflt);
  }

  /** A graph attribute (an If branch, a Loop or Scan body). */
  public Optional<dev.modelbridge.ir.Graph> attrGraph(String name) {
    return node.attribute(name).flatMap(a -> a instanceof Attribute.GraphAttr g ? Optional.of(g.value()) : Optional.empty());
  }

  /** The tensor of value {@code name} of this node's graph (or of a graph it is nested in). */
  TfRef value(String name) {
    return conversion.value(name);
  }

  /** The conversion this node belongs to, for handlers that convert subgraphs. */
  OnnxToTf conversion() {
    return conversion;
  }

  public Optional<Tensor> attrTensor(String name) {
    return node.attribute(name).flatMap(a -> a instanceof Attribute.TensorAttr t ? Optional.of(t.value()) : Optional.empty());
  }

  /** The TensorFlow dtype of an ONNX element type, or a conversion error. */
  public static DataType dtype(ElementType e) throws OpExportException {
    return TfDataTypes.fromElementType(e).orElseThrow(() -> new OpExportException("TensorFlow has no " + e.label() + " type"));
  }

  // Emitting helpers shared by the handler families.

  /** A node of {@code op} on {@code inputs} with {@code T} set to the first input's dtype. */
  public TfRef op(String op, TfRef... inputs) {
    TfGraph.Node n = g().op(op, hint() + "/" + op);
    for (TfRef r : inputs) {
      n.input(r);
    }
    return n.attr("T", inputs[0].dtype()).output(inputs[0].dtype());
  }

  public TfRef transpose(TfRef x, long... perm) {
    return g().op("Transpose", hint() + "/Transpose").input(x).input(g().int32s(hint() + "/perm", perm))
        .attr("T", x.dtype()).attr("Tperm", DataType.DT_INT32).output(x.dtype());
  }

  public TfRef cast(TfRef x, DataType to) {
    if (x.dtype() == to) {
      return x;
    }
    return g().op("Cast", hint() + "/Cast").input(x).attr("SrcT", x.dtype()).attr("DstT", to).output(to);
  }

  public TfRef reshape(TfRef x, TfRef shape) {
    return g().op("Reshape", hint() + "/Reshape").input(x).input(shape).attr("T", x.dtype())
        .attr("Tshape", shape.dtype()).output(x.dtype());
  }

  /** The shape of {@code x} as int64. */
  public TfRef shapeOf(TfRef x) {
    return g().op("Shape", hint() + "/Shape").input(x).attr("T", x.dtype()).attr("out_type", DataType.DT_INT64)
        .output(DataType.DT_INT64);
  }

  /** A scalar of {@code x}'s dtype. */
  public TfRef scalarLike(TfRef x, double value) {
    return g().scalar(hint() + "/c", x.dtype(), value);
  }

  /** A reduction such as {@code Mean} of {@code x} over constant {@code axes}. */
  public TfRef reduce(String op, TfRef x, long[] axes, boolean keepDims) {
    return g().op(op, hint() + "/" + op).input(x).input(g().int64s(hint() + "/axes", axes))
        .attr("T", x.dtype()).attr("Tidx", DataType.DT_INT64).attr("keep_dims", keepDims).output(x.dtype());
  }

  /** {@code axis} made non-negative for a tensor of {@code rank}. */
  public long axis(long axis, int rank) throws OpExportException {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= Math.max(rank, 1)) {
      throw new OpExportException("axis " + axis + " is out of range for rank " + rank);
    }
    return a;
  }
}
