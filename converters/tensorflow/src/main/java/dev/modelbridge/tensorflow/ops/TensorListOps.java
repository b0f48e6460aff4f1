package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.DataType;

/**
 * TensorFlow's TensorLists (the DT_VARIANT handles behind {@code tf.TensorArray}, as in the loop of a
 * Keras LSTM or GRU) as dense tensors {@code [n, element...]}: reading an item is a Gather, writing one a
 * ScatterND, stacking and making a list from a tensor are the identity. A Loop then carries plain
 * tensors, which ONNX Runtime runs without sequence copies.
 *
 * <p>TensorListElementShape has no handler: it returns the declared element shape, with -1 for
 * the dimensions a dense list knows by then but the declaration leaves open.
 *
 * <p>A list reserved with partly unknown element dimensions (such as the batch, {@code [-1, units]})
 * starts with size 1 there; each write first broadcasts the list to the written item's shape, so the
 * first write gives the list its full shape.
 */
public final class TensorListOps implements OpRegistry.Family {
  /** Ops that create or update a list and say its element type. */
  private static final Set<String> WITH_ELEMENT_DTYPE = Set.of("TensorListReserve", "TensorListFromTensor",
      "EmptyTensorList", "TensorListSetItem", "TensorListPushBack", "TensorListGetItem", "TensorListStack",
      "TensorListGather");

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("TensorListReserve", ctx -> ctx.bind(0, placeholderList(ctx, ctx.int64Input(1))));
    t.add("EmptyTensorList", ctx -> ctx.bind(0, placeholderList(ctx, ctx.int64s(0))));
    t.add("TensorListFromTensor", ctx -> ctx.bind(0, ctx.input(0)));
    t.add("TensorListStack", ctx -> ctx.bind(0, ctx.input(0)));
    t.add("TensorListGetItem", ctx -> ctx.produce(0, "Gather", List.of(Ops.i("axis", 0)), ctx.input(0), ctx.input(1)));
    t.add("TensorListGather", ctx -> ctx.produce(0, "Gather", List.of(Ops.i("axis", 0)), ctx.input(0), ctx.input(1)));
    t.add("TensorListSetItem", ctx -> {
      if (ctx.node().attrBool("resize_if_index_out_of_bounds", false)) {
        throw new OpConversionException("resize_if_index_out_of_bounds=true is not supported");
      }
      String list = fitted(ctx, ctx.input(0), ctx.input(2));
      String index = ctx.emit("Reshape", List.of(), ctx.int64Input(1), ctx.int64s(1, 1));
      ctx.produce(0, "ScatterND", List.of(), list, index, Ops.unsqueeze(ctx, ctx.input(2), 0));
    });
    t.add("TensorListPushBack", ctx -> {
      String list = fitted(ctx, ctx.input(0), ctx.input(1));
      ctx.produce(0, "Concat", List.of(Ops.i("axis", 0)), list, Ops.unsqueeze(ctx, ctx.input(1), 0));
    });
    t.add("TensorListLength", ctx -> ctx.produce(0, "Cast", List.of(Ops.i("to", ElementType.INT32.code())),
        ctx.emit("Gather", List.of(Ops.i("axis", 0)), ctx.emit("Shape", List.of(), ctx.input(0)), ctx.scalar(ElementType.INT64, 0))));
  }

  /**
   * Zeros of shape {@code [length, element...]} for a new list; unknown element dimensions are 1
   * until the first write. The element shape (input 0) must be a constant of known rank.
   */
  private static String placeholderList(NodeContext ctx, String length) throws OpConversionException {
    long[] element = ctx.constantInts(0);
    if (ctx.constant(0).map(c -> c.dims().length == 0).orElse(false)) {
      throw new OpConversionException("a TensorList whose elements have an unknown rank is not supported");
    }
    long[] dims = new long[element.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = element[i] < 0 ? 1 : element[i];
    }
    String n = ctx.emit("Reshape", List.of(), length, ctx.int64s(1));
    String shape = ctx.emit("Concat", List.of(Ops.i("axis", 0)), n, ctx.int64s(dims));
    return ctx.emit("Expand", List.of(), ctx.scalar(ctx.elementTypeOfAttr("element_dtype"), 0), shape);
  }

  /** {@code list} broadcast to {@code [length] + shape(item)}: the identity once the list has its full shape. */
  private static String fitted(NodeContext ctx, String list, String item) {
    String length = ctx.emit("Slice", List.of(), ctx.emit("Shape", List.of(), list), ctx.int64s(0), ctx.int64s(1));
    String shape = ctx.emit("Concat", List.of(Ops.i("axis", 0)), length, ctx.emit("Shape", List.of(), item));
    return ctx.emit("Expand", List.of(), list, shape);
  }

  /**
   * The element type of the TensorList {@code ref}: from the op that made it (through Identity ops
   * and loops), else from an op of {@code graph} that reads it. Loops carry lists as tensors of it.
   */
  static Optional<DataType> elementType(FlatGraph graph, TensorRef ref) {
    TensorRef r = ref;
    for (int guard = 0; guard < 1000; guard++) {
      r = graph.throughIdentities(r);
      Optional<TfNode> n = graph.node(r.node());
      if (n.isEmpty()) {
        return Optional.empty();
      }
      if (WITH_ELEMENT_DTYPE.contains(n.get().op())) {
        return n.get().attrType("element_dtype");
      }
      if (!Set.of("While", "StatelessWhile").contains(n.get().op()) || r.index() >= n.get().dataInputs().size()) {
        return readers(graph, r);
      }
      r = n.get().dataInputs().get(r.index()); // a loop output is its input after the iterations
    }
    return Optional.empty();
  }

  /** The element type an op reading {@code ref} (directly or through Identity ops) declares. */
  static Optional<DataType> readers(FlatGraph graph, TensorRef ref) {
    for (TfNode n : graph.nodes()) {
      if (!n.dataInputs().contains(ref)) {
        continue;
      }
      if (WITH_ELEMENT_DTYPE.contains(n.op())) {
        return n.attrType("element_dtype");
      }
      if (n.op().equals("Identity")) {
        Optional<DataType> t = readers(graph, new TensorRef(n.name(), 0));
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return Optional.empty();
  }
}
