package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/** Ops along one axis: TopK, CumSum, CumProd, OneHot, Det; Unique is in {@link UniqueExport}. */
final class SortExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("TopK", 1, c -> topK(c, c.g().scalar(c.hint() + "/k", DataType.DT_INT32, c.attrInt("k", 0))));
    t.add("TopK", 10, c -> topK(c, c.cast(TfMath.toScalar(c, c.input(1)), DataType.DT_INT32)));
    t.add("CumSum", 11, c -> cumulative(c, "Cumsum"));
    t.add("CumProd", 26, c -> cumulative(c, "Cumprod"));
    t.add("OneHot", 9, SortExport::oneHot);
    t.add("Det", 11, c -> c.bind(0, c.op("MatrixDeterminant", c.input(0))));
  }

  /**
   * TensorFlow's TopKV2 works on the last axis and finds the largest: other axes are transposed
   * there and back, the smallest are the largest of the negated input. TopKV2 keeps the lower
   * index first among equal values, as ONNX wants.
   */
  private static void topK(ExportContext c, TfRef k) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", -1), rank);
    boolean largest = c.attrInt("largest", 1) != 0;
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[(int) axis] = rank - 1;
    perm[rank - 1] = axis;
    boolean moved = axis != rank - 1;
    TfRef in = moved ? c.transpose(x, perm) : x;
    if (!largest) {
      in = c.op("Neg", in);
    }
    TfRef node = c.g().op("TopKV2", c.hint() + "/TopKV2").input(in).input(k).attr("T", in.dtype())
        .attr("sorted", true).output(in.dtype());
    TfRef values = new TfRef(node.node(), 0, in.dtype());
    TfRef indices = c.cast(new TfRef(node.node(), 1, DataType.DT_INT32), DataType.DT_INT64);
    if (!largest) {
      values = c.op("Neg", values);
    }
    c.bind(0, moved ? c.transpose(values, perm) : values);
    c.bind(1, moved ? c.transpose(indices, perm) : indices);
  }

  private static void cumulative(ExportContext c, String op) throws OpExportException {
    TfRef x = c.input(0);
    TfRef axis = TfMath.toScalar(c, c.input(1));
    c.bind(0, c.g().op(op, c.hint()).input(x).input(axis).attr("T", x.dtype()).attr("Tidx", axis.dtype())
        .attr("exclusive", c.attrInt("exclusive", 0) != 0).attr("reverse", c.attrInt("reverse", 0) != 0)
        .output(x.dtype()));
  }

  /** Indices may be any numeric type and negative (counted from depth); values are {@code [off, on]}. */
  private static void oneHot(ExportContext c) throws OpExportException {
    TfRef depth = c.cast(TfMath.toScalar(c, c.input(1)), DataType.DT_INT64);
    TfRef indices = c.cast(c.input(0), DataType.DT_INT64);
    indices = TfMath.wrap(c, indices, depth);
    TfRef values = c.input(2);
    long axis = c.attrInt("axis", -1);
    if (axis < -1) {
      axis += c.requireRank(0) + 1;
    }
    c.bind(0, c.g().op("OneHot", c.hint()).input(indices).input(c.cast(depth, DataType.DT_INT32))
        .input(TfMath.element(c, values, 1)).input(TfMath.element(c, values, 0)).attr("T", values.dtype())
        .attr("TI", DataType.DT_INT64).attr("axis", axis).output(values.dtype()));
  }
}
