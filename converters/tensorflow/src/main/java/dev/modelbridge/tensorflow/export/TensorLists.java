package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * TensorFlow's TensorList ops (DT_VARIANT handles), which hold ONNX sequences and the accumulators
 * of Loop and Scan outputs. Indexes and lengths are int32, as the ops take them; element shapes
 * are left unknown ({@code -1}) unless a caller knows them.
 */
final class TensorLists {
  private TensorLists() {}

  static final DataType VARIANT = DataType.DT_VARIANT;

  private static TfRef unknownShape(TfGraph g, String hint) {
    return g.scalar(hint + "/element_shape", DataType.DT_INT32, -1);
  }

  static TfRef empty(TfGraph g, String hint, DataType element) {
    return g.op("EmptyTensorList", hint).input(unknownShape(g, hint)).input(g.scalar(hint + "/max", DataType.DT_INT32, -1))
        .attr("element_dtype", element).attr("shape_type", DataType.DT_INT32).output(VARIANT);
  }

  /** A list of {@code n} (int32 scalar) unset elements, for {@link #setItem}. */
  static TfRef reserve(TfGraph g, String hint, TfRef n, DataType element) {
    return g.op("TensorListReserve", hint).input(unknownShape(g, hint)).input(n).attr("element_dtype", element)
        .attr("shape_type", DataType.DT_INT32).output(VARIANT);
  }

  static TfRef pushBack(TfGraph g, String hint, TfRef list, TfRef item) {
    return g.op("TensorListPushBack", hint).input(list).input(item).attr("element_dtype", item.dtype()).output(VARIANT);
  }

  static TfRef setItem(TfGraph g, String hint, TfRef list, TfRef index, TfRef item) {
    return g.op("TensorListSetItem", hint).input(list).input(index).input(item).attr("element_dtype", item.dtype())
        .attr("resize_if_index_out_of_bounds", false).output(VARIANT);
  }

  static TfRef getItem(TfGraph g, String hint, TfRef list, TfRef index, DataType element) {
    return g.op("TensorListGetItem", hint).input(list).input(index).input(unknownShape(g, hint))
        .attr("element_dtype", element).output(element);
  }

  /** The length as an int32 scalar. */
  static TfRef length(TfGraph g, String hint, TfRef list) {
    return g.op("TensorListLength", hint).input(list).output(DataType.DT_INT32);
  }

  /** The elements stacked on a new axis 0; {@code dims} (null: unknown) lets an empty list stack. */
  static TfRef stack(TfGraph g, String hint, TfRef list, DataType element, long[] dims) {
    TfRef shape = dims == null ? unknownShape(g, hint) : g.int32s(hint + "/element_shape", dims);
    return g.op("TensorListStack", hint).input(list).input(shape).attr("element_dtype", element)
        .attr("num_elements", -1L).output(element);
  }

  /** The elements concatenated along axis 0. */
  static TfRef concat(TfGraph g, String hint, TfRef list, DataType element) {
    return g.op("TensorListConcatV2", hint).input(list).input(unknownShape(g, hint))
        .input(g.constant(hint + "/leading_dims", DataType.DT_INT64, new long[] {0}, java.nio.ByteBuffer.allocate(0)))
        .attr("element_dtype", element).attr("shape_type", DataType.DT_INT32).output(element);
  }

  /** The list without its last element. */
  static TfRef popBack(TfGraph g, String hint, TfRef list, DataType element) {
    return g.op("TensorListPopBack", hint).input(list).input(unknownShape(g, hint)).attr("element_dtype", element)
        .output(VARIANT);
  }
}
