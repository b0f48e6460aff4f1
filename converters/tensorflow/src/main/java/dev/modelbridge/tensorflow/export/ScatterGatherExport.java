package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Gathers and scatters by explicit indices: GatherElements, GatherND, ScatterElements (and the old
 * Scatter), ScatterND, Compress and NonZero. Element-wise indices become full coordinates for
 * TensorFlow's GatherNd and TensorScatter ops.
 */
final class ScatterGatherExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("GatherElements", 11, c -> {
      TfRef data = c.input(0);
      c.bind(0, gatherNd(c, data, elementCoordinates(c, data, c.input(1))));
    });
    t.add("GatherND", 11, ScatterGatherExport::gatherNdBatched);
    t.add("Scatter", 9, ScatterGatherExport::scatterElements);
    t.add("ScatterElements", 11, ScatterGatherExport::scatterElements);
    t.add("ScatterND", 11, c -> {
      TfRef idx = c.cast(c.input(1), DataType.DT_INT64);
      long[] idims = c.dims(1).orElse(new long[0]);
      long k = idims.length == 0 ? -1 : idims[idims.length - 1];
      c.bind(0, scatter(c, c.input(0), idx, c.input(2), c.attrString("reduction", "none"), k));
    });
    t.add("Compress", 9, ScatterGatherExport::compress);
    t.add("NonZero", 9, c -> {
      TfRef x = c.input(0);
      TfRef where = c.g().op("Where", c.hint() + "/Where").input(x).attr("T", x.dtype()).output(DataType.DT_INT64);
      c.bind(0, c.transpose(where, 1, 0));
    });
  }

  /**
   * The full coordinates {@code [..., rank]} that ONNX's per-element {@code indices} along
   * {@code axis} address: the index itself on the axis, the element's own position elsewhere.
   */
  private static TfRef elementCoordinates(ExportContext c, TfRef data, TfRef indices) throws OpExportException {
    // ONNX requires indices of the data's rank: either known rank will do.
    int rank = c.rank(1).isPresent() ? c.rank(1).getAsInt() : c.requireRank(0);
    long axis = c.axis(c.attrInt("axis", 0), rank);
    TfRef shape = c.shapeOf(indices);
    List<TfRef> coords = new ArrayList<>();
    for (int j = 0; j < rank; j++) {
      coords.add(j == axis ? TfMath.wrap(c, indices, TfMath.dim(c, data, axis)) : TfMath.coordinate(c, shape, rank, j));
    }
    return TfMath.stackLast(c, coords);
  }

  private static TfRef gatherNd(ExportContext c, TfRef data, TfRef coords) {
    return c.g().op("GatherNd", c.hint() + "/GatherNd").input(data).input(coords).attr("Tparams", data.dtype())
        .attr("Tindices", coords.dtype()).output(data.dtype());
  }

  /** TensorFlow's GatherNd has no batch dimensions: the batch coordinates are prepended to the indices. */
  private static void gatherNdBatched(ExportContext c) throws OpExportException {
    TfRef data = c.input(0);
    TfRef indices = c.cast(c.input(1), DataType.DT_INT64);
    long b = c.attrInt("batch_dims", 0);
    if (b == 0) {
      c.bind(0, gatherNd(c, data, indices));
      return;
    }
    int q = c.requireRank(1);
    TfRef outer = ShapeExport.slice(c, c.shapeOf(indices), 0, q - 1, false);
    List<TfRef> parts = new ArrayList<>();
    for (int j = 0; j < b; j++) {
      parts.add(MatrixExport.expandDims(c, TfMath.coordinate(c, outer, q - 1, j), q - 1));
    }
    parts.add(indices);
    c.bind(0, gatherNd(c, data, TfMath.concat(c, q - 1, parts.toArray(new TfRef[0]))));
  }

  private static void scatterElements(ExportContext c) throws OpExportException {
    TfRef data = c.input(0);
    TfRef coords = elementCoordinates(c, data, c.input(1));
    c.bind(0, scatter(c, data, coords, c.input(2), c.attrString("reduction", "none"), c.requireRank(0)));
  }

  /**
   * Writes {@code updates} at {@code coords} (int64 {@code [..., k]}) of {@code data} with the ONNX
   * reduction. TensorFlow has no TensorScatterMul: products go through UnsortedSegmentProd.
   */
  private static TfRef scatter(ExportContext c, TfRef data, TfRef coords, TfRef updates, String reduction, long k)
      throws OpExportException {
    String op = switch (reduction) {
      case "none" -> "TensorScatterUpdate";
      case "add" -> "TensorScatterAdd";
      case "max" -> "TensorScatterMax";
      case "min" -> "TensorScatterMin";
      case "mul" -> null;
      default -> throw new OpExportException("reduction '" + reduction + "' is not converted");
    };
    if (op != null) {
      return c.g().op(op, c.hint() + "/" + op).input(data).input(coords).input(updates).attr("T", data.dtype())
          .attr("Tindices", DataType.DT_INT64).output(data.dtype());
    }
    if (k < 0) {
      throw new OpExportException("reduction 'mul' needs the static length of the index tuples");
    }
    TfRef shape = c.shapeOf(data);
    TfRef head = ShapeExport.slice(c, shape, 0, k, false);
    TfRef rest = ShapeExport.slice(c, shape, k, 0, true);
    TfRef strides = c.g().op("Cumprod", c.hint() + "/strides").input(head)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT32, 0)).attr("T", DataType.DT_INT64)
        .attr("Tidx", DataType.DT_INT32).attr("exclusive", true).attr("reverse", true).output(DataType.DT_INT64);
    TfRef linear = c.reduce("Sum", c.op("Mul", coords, strides), new long[] {-1}, false);
    TfRef n = c.reduce("Prod", head, new long[] {0}, true);
    TfRef flatData = c.reshape(data, TfMath.concat(c, 0, n, rest));
    TfRef flatUpdates = c.reshape(updates, TfMath.concat(c, 0, c.g().int64s(c.hint() + "/all", -1), rest));
    TfRef segments = c.reshape(linear, c.g().int64s(c.hint() + "/flat", -1));
    TfRef prod = c.g().op("UnsortedSegmentProd", c.hint() + "/prod").input(flatUpdates).input(segments)
        .input(TfMath.toScalar(c, n)).attr("T", updates.dtype()).attr("Tindices", DataType.DT_INT64)
        .attr("Tnumsegments", DataType.DT_INT64).output(updates.dtype());
    return c.reshape(c.op("Mul", flatData, prod), shape);
  }

  /** The slices where the condition holds (a shorter condition leaves the rest out), flattened without axis. */
  private static void compress(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    long axis = 0;
    if (c.node().attribute("axis").isPresent()) {
      axis = c.axis(c.attrInt("axis", 0), c.requireRank(0));
    } else {
      x = c.reshape(x, c.g().int64s(c.hint() + "/flat", -1));
    }
    TfRef cond = c.cast(c.input(1), DataType.DT_BOOL);
    TfRef where = c.g().op("Where", c.hint() + "/Where").input(cond).attr("T", DataType.DT_BOOL)
        .output(DataType.DT_INT64);
    TfRef idx = c.reshape(where, c.g().int64s(c.hint() + "/idx", -1));
    c.bind(0, c.g().op("GatherV2", c.hint()).input(x).input(idx)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, axis)).attr("Tparams", x.dtype())
        .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L)
        .output(x.dtype()));
  }
}
