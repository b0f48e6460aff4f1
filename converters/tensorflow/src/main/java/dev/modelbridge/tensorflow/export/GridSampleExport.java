package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * GridSample (2-D and N-D) as gathers: the input becomes {@code [N, P, C]} with P the flattened
 * spatial positions; per spatial axis, the grid coordinate is unnormalised, adjusted for the
 * padding mode, and split into taps (1 nearest, 2 linear, 4 cubic) with weights; each combination
 * of taps gathers {@code [N, Q, C]} with a flat index and adds in with the product of its weights.
 * Taps outside the input count zero in zeros mode, are clamped in border mode and reflected in
 * reflection mode, as ONNX's reference does. Needs static spatial dims of X and of the grid.
 */
final class GridSampleExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("GridSample", 16, GridSampleExport::gridSample);
  }

  /** One tap along one axis: a clamped int index and its weight (zero when it falls outside in zeros mode). */
  private record Tap(TfRef index, TfRef weight) {}

  private static void gridSample(ExportContext c) throws OpExportException {
    long[] xd = c.dims(0).orElseThrow(() -> new OpExportException("the input's shape is not known"));
    long[] gd = c.dims(1).orElseThrow(() -> new OpExportException("the grid's shape is not known"));
    int n = xd.length - 2;
    long[] spatial = Arrays.copyOfRange(xd, 2, xd.length);
    long[] outSpatial = Arrays.copyOfRange(gd, 1, gd.length - 1);
    if (Arrays.stream(spatial).anyMatch(v -> v < 0) || Arrays.stream(outSpatial).anyMatch(v -> v < 0) || xd[1] < 0) {
      throw new OpExportException("GridSample needs static channel and spatial dims");
    }
    String mode = switch (c.attrString("mode", "linear")) {
      case "bilinear" -> "linear";
      case "bicubic" -> "cubic";
      default -> c.attrString("mode", "linear");
    };
    String padding = c.attrString("padding_mode", "zeros");
    boolean align = c.attrInt("align_corners", 0) != 0;
    TfRef x = c.input(0);
    long p = Arrays.stream(spatial).reduce(1, (a, b) -> a * b);
    long q = Arrays.stream(outSpatial).reduce(1, (a, b) -> a * b);
    long[] toLast = NnOps.axisLast(n + 2, 1);
    TfRef flat = NnOps.reshape(c, c.transpose(x, toLast), -1, p, xd[1]);
    TfRef grid = NnOps.reshape(c, c.input(1), -1, q, n);
    List<List<Tap>> taps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TfRef g = NnOps.gather(c, grid, c.g().scalar(c.hint() + "/component", DataType.DT_INT64, n - 1 - i), 2);
      taps.add(axisTaps(c, g, spatial[i], mode, padding, align));
    }
    long[] strides = new long[n];
    for (int i = n - 1; i >= 0; i--) {
      strides[i] = i == n - 1 ? 1 : strides[i + 1] * spatial[i + 1];
    }
    TfRef acc = null;
    int[] pick = new int[n];
    do {
      TfRef index = null;
      TfRef weight = null;
      for (int i = 0; i < n; i++) {
        Tap t = taps.get(i).get(pick[i]);
        TfRef term = c.op("Mul", t.index(), c.g().scalar(c.hint() + "/stride", DataType.DT_INT64, strides[i]));
        index = index == null ? term : c.op("AddV2", index, term);
        weight = weight == null ? t.weight() : c.op("Mul", weight, t.weight());
      }
      TfRef values = c.g().op("GatherV2", c.hint() + "/GatherV2").input(flat).input(index)
          .input(c.g().scalar(c.hint() + "/gather_axis", DataType.DT_INT64, 1)).attr("Tparams", flat.dtype())
          .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 1L)
          .output(flat.dtype());
      TfRef term = c.op("Mul", values, NnOps.expandDims(c, c.cast(weight, flat.dtype()), 2));
      acc = acc == null ? term : c.op("AddV2", acc, term);
    } while (next(pick, taps));
    long[] shape = new long[n + 2];
    shape[0] = -1;
    System.arraycopy(outSpatial, 0, shape, 1, n);
    shape[n + 1] = xd[1];
    c.bind(0, c.transpose(NnOps.reshape(c, acc, shape), NnOps.inverse(toLast)));
  }

  private static boolean next(int[] pick, List<List<Tap>> taps) {
    for (int i = pick.length - 1; i >= 0; i--) {
      if (++pick[i] < taps.get(i).size()) {
        return true;
      }
      pick[i] = 0;
    }
    return false;
  }

  /** The taps of one axis of length {@code size} for normalised coordinates {@code g} ({@code [N, Q]}). */
  private static List<Tap> axisTaps(ExportContext c, TfRef g, long size, String mode, String padding, boolean align)
      throws OpExportException {
    TfRef one = c.scalarLike(g, 1);
    TfRef u = align ? c.op("Mul", c.op("Mul", c.op("AddV2", g, one), c.scalarLike(g, 0.5)), c.scalarLike(g, size - 1))
        : c.op("Mul", c.op("Sub", c.op("Mul", c.op("AddV2", g, one), c.scalarLike(g, size)), one), c.scalarLike(g, 0.5));
    double lo = align ? 0 : -0.5;
    double hi = align ? size - 1 : size - 0.5;
    if (mode.equals("nearest")) {
      // Half to even, as nearbyint; ONNX's 3-D test data round so too.
      u = c.op("Rint", u);
    }
    if (padding.equals("border")) {
      // Only coordinates outside [lo, hi] are clamped; within half a pixel of the edge the taps clamp instead.
      TfRef outside = NnOps.test(c, "LogicalOr", NnOps.test(c, "Less", u, c.scalarLike(u, lo)),
          NnOps.test(c, "Greater", u, c.scalarLike(u, hi)));
      u = NnOps.select(c, outside, c.op("Minimum", c.op("Maximum", u, c.scalarLike(u, 0)), c.scalarLike(u, size - 1)), u);
    } else if (padding.equals("reflection")) {
      u = reflect(c, u, lo, hi);
    } else if (!padding.equals("zeros")) {
      throw new OpExportException("padding_mode " + padding + " is not converted");
    }
    List<Tap> taps = new ArrayList<>();
    if (mode.equals("nearest")) {
      taps.add(tap(c, u, one, size, padding, lo, hi));
      return taps;
    }
    TfRef base = c.op("Floor", u);
    TfRef f = c.op("Sub", u, base);
    if (mode.equals("linear")) {
      taps.add(tap(c, base, c.op("Sub", one, f), size, padding, lo, hi));
      taps.add(tap(c, c.op("AddV2", base, one), f, size, padding, lo, hi));
    } else if (mode.equals("cubic")) {
      for (int k = -1; k <= 2; k++) {
        TfRef dist = c.op("Abs", c.op("Sub", f, c.scalarLike(f, k)));
        taps.add(tap(c, c.op("AddV2", base, c.scalarLike(base, k)), ResizeCoordinates.kernel(c, dist, true, -0.75),
            size, padding, lo, hi));
      }
    } else {
      throw new OpExportException("mode " + mode + " is not converted");
    }
    return taps;
  }

  /** A tap at float index {@code i}: validity and clamping or reflection by padding mode. */
  private static Tap tap(ExportContext c, TfRef i, TfRef weight, long size, String padding, double lo, double hi) {
    TfRef w = weight;
    if (padding.equals("zeros")) {
      TfRef inside = NnOps.test(c, "LogicalAnd", NnOps.test(c, "GreaterEqual", i, c.scalarLike(i, 0)),
          NnOps.test(c, "Less", i, c.scalarLike(i, size)));
      w = NnOps.select(c, inside, weight, c.op("ZerosLike", weight));
    } else if (padding.equals("reflection")) {
      i = reflect(c, i, lo, hi);
    }
    TfRef clamped = c.op("Minimum", c.op("Maximum", i, c.scalarLike(i, 0)), c.scalarLike(i, size - 1));
    return new Tap(c.cast(clamped, DataType.DT_INT64), w);
  }

  /** Reflects {@code u} by the nearer border, repeatedly, into {@code [lo, hi]}. */
  private static TfRef reflect(ExportContext c, TfRef u, double lo, double hi) {
    double range = hi - lo;
    if (range <= 0) {
      return c.op("Mul", c.op("ZerosLike", u), c.scalarLike(u, lo));
    }
    TfRef below = NnOps.test(c, "Less", u, c.scalarLike(u, lo));
    TfRef above = NnOps.test(c, "Greater", u, c.scalarLike(u, hi));
    TfRef dx = NnOps.select(c, below, c.op("Sub", c.scalarLike(u, lo), u), c.op("Sub", u, c.scalarLike(u, hi)));
    TfRef turns = c.op("Floor", c.op("RealDiv", dx, c.scalarLike(u, range)));
    TfRef r = c.op("Sub", dx, c.op("Mul", turns, c.scalarLike(u, range)));
    TfRef even = NnOps.test(c, "Equal", c.op("FloorMod", turns, c.scalarLike(u, 2)), c.scalarLike(u, 0));
    TfRef t = NnOps.select(c, even, r, c.op("Sub", c.scalarLike(u, range), r));
    TfRef low = c.op("AddV2", c.scalarLike(u, lo), t);
    TfRef high = c.op("Sub", c.scalarLike(u, hi), t);
    return NnOps.select(c, below, low, NnOps.select(c, above, high, u));
  }
}
