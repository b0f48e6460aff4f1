package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * TfIdfVectorizer with its static pool unrolled into comparisons: for every n-gram length in
 * [min_gram_length, max_gram_length] and every skip (unigrams only once, as ONNX counts them), the
 * n columns of each n-gram are strided slices of the rows; each slice is compared with the pool's
 * column of that length, the n comparisons are and-ed, and summing over the start positions gives
 * the count of every pool n-gram. A constant matrix maps pool n-grams to output columns.
 */
final class TfIdfExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("TfIdfVectorizer", 9, TfIdfExport::tfIdf);
  }

  private static void tfIdf(ExportContext c) throws OpExportException {
    long[] dims = c.dims(0).orElseThrow(() -> new OpExportException("the input's shape is not known"));
    if (dims.length > 2) {
      throw new OpExportException("the input must be [C] or [N, C], not of rank " + dims.length);
    }
    long cols = dims.length == 0 ? 1 : dims[dims.length - 1];
    if (cols < 0) {
      throw new OpExportException("the row length (last dimension of the input) must be static");
    }
    long[] counts = c.attrInts("ngram_counts").orElseThrow(() -> new OpExportException("ngram_counts is required"));
    long[] indexes = c.attrInts("ngram_indexes").orElseThrow(() -> new OpExportException("ngram_indexes is required"));
    List<Bytes> strings = c.node().attribute("pool_strings").orElse(null) instanceof Attribute.StringsAttr s
        ? s.values() : null;
    long[] ints = c.attrInts("pool_int64s").orElse(null);
    if (strings == null && ints == null) {
      throw new OpExportException("pool_int64s or pool_strings is required");
    }
    int poolSize = strings != null ? strings.size() : ints.length;
    long minN = c.attrInt("min_gram_length", 1);
    long maxN = c.attrInt("max_gram_length", 1);
    long maxSkip = c.attrInt("max_skip_count", 0);
    long outSize = 0;
    for (long i : indexes) {
      outSize = Math.max(outSize, i + 1);
    }
    String h = c.hint();
    TfRef x = c.reshape(c.input(0), c.g().int64s(h + "/rows", -1, cols));
    boolean stringPool = strings != null;
    if (!stringPool) {
      x = c.cast(x, DataType.DT_INT64);
    }
    List<TfRef> parts = new ArrayList<>();
    List<Integer> ids = new ArrayList<>(); // the pool n-gram (ngram_indexes position) of each part's columns
    int id = 0;
    for (int k = 0; k < counts.length; k++) {
      int n = k + 1;
      int start = (int) counts[k];
      int end = k + 1 < counts.length ? (int) counts[k + 1] : poolSize;
      int grams = Math.max(0, end - start) / n;
      if (grams > 0 && n >= minN && n <= maxN) {
        TfRef count = null;
        for (long skip = 0; skip <= (n == 1 ? 0 : maxSkip); skip++) {
          long len = cols - (n - 1) * (skip + 1);
          if (len <= 0) {
            break;
          }
          TfRef match = null;
          for (int j = 0; j < n; j++) {
            long from = j * (skip + 1);
            TfRef col = c.g().op("StridedSlice", h + "/gram").input(x).input(c.g().int64s(h + "/b", 0, from))
                .input(c.g().int64s(h + "/e", 0, from + len)).input(c.g().int64s(h + "/s", 1, 1))
                .attr("T", x.dtype()).attr("Index", DataType.DT_INT64).attr("begin_mask", 1L).attr("end_mask", 1L)
                .output(x.dtype());
            TfRef pool = poolColumn(c, strings, ints, start, n, grams, j);
            TfRef eq = c.g().op("Equal", h + "/Equal").input(MatrixExport.expandDims(c, col, -1)).input(pool)
                .attr("T", x.dtype()).attr("incompatible_shape_error", true).output(DataType.DT_BOOL);
            match = match == null ? eq : c.g().op("LogicalAnd", h + "/And").input(match).input(eq).output(DataType.DT_BOOL);
          }
          TfRef hits = c.reduce("Sum", c.cast(match, DataType.DT_FLOAT), new long[] {1}, false);
          count = count == null ? hits : c.op("AddV2", count, hits);
        }
        if (count != null) {
          parts.add(count);
          for (int g = 0; g < grams; g++) {
            ids.add(id + g);
          }
        }
      }
      id += grams;
    }
    TfRef y;
    if (parts.isEmpty()) {
      TfRef rows = ShapeExport.slice(c, c.shapeOf(x), 0, 1, false);
      TfRef shape = c.g().op("ConcatV2", h + "/zshape").input(rows).input(c.g().int64s(h + "/width", outSize))
          .input(c.g().scalar(h + "/zaxis", DataType.DT_INT32, 0)).attr("N", 2L).attr("T", DataType.DT_INT64)
          .attr("Tidx", DataType.DT_INT32).output(DataType.DT_INT64);
      y = c.g().op("Fill", h + "/zeros").input(shape).input(c.g().scalar(h + "/zero", DataType.DT_FLOAT, 0))
          .attr("T", DataType.DT_FLOAT).attr("index_type", DataType.DT_INT64).output(DataType.DT_FLOAT);
    } else {
      TfRef all = parts.size() == 1 ? parts.get(0) : c.g().op("ConcatV2", h + "/counts").inputs(parts)
          .input(c.g().scalar(h + "/caxis", DataType.DT_INT32, 1)).attr("N", (long) parts.size())
          .attr("T", DataType.DT_FLOAT).attr("Tidx", DataType.DT_INT32).output(DataType.DT_FLOAT);
      // Counts are small integers, exact in float: a matrix product sums the n-grams of each output column.
      ByteBuffer m = ByteBuffer.allocate(ids.size() * (int) outSize * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < ids.size(); r++) {
        m.putFloat((r * (int) outSize + (int) indexes[ids.get(r)]) * 4, 1f);
      }
      TfRef map = c.g().constant(h + "/map", DataType.DT_FLOAT, new long[] {ids.size(), outSize}, m);
      y = c.g().op("MatMul", h + "/MatMul").input(all).input(map).attr("T", DataType.DT_FLOAT)
          .attr("transpose_a", false).attr("transpose_b", false).output(DataType.DT_FLOAT);
    }
    y = weigh(c, y, c.attrString("mode", "TF"), outSize);
    c.bind(0, dims.length == 2 ? y : c.reshape(y, c.g().int64s(h + "/out", outSize)));
  }

  /** Column {@code j} of the {@code grams} n-grams of length {@code n} that start at {@code start}. */
  private static TfRef poolColumn(ExportContext c, List<Bytes> strings, long[] ints, int start, int n, int grams, int j) {
    if (strings != null) {
      List<String> col = new ArrayList<>();
      for (int g = 0; g < grams; g++) {
        col.add(strings.get(start + g * n + j).toUtf8());
      }
      return c.g().strings(c.hint() + "/pool", false, col);
    }
    long[] col = new long[grams];
    for (int g = 0; g < grams; g++) {
      col[g] = ints[start + g * n + j];
    }
    return c.g().int64s(c.hint() + "/pool", col);
  }

  /** TF keeps the counts; IDF gives the weight where the count is positive; TFIDF multiplies. */
  private static TfRef weigh(ExportContext c, TfRef y, String mode, long outSize) throws OpExportException {
    Optional<float[]> weights = c.node().attribute("weights").orElse(null) instanceof Attribute.FloatsAttr f
        ? Optional.of(toArray(f.values())) : Optional.empty();
    if (weights.isPresent() && weights.get().length < outSize) {
      throw new OpExportException("weights has " + weights.get().length + " values for " + outSize + " outputs");
    }
    // Weights apply per output column (as in ONNX's reference and ONNX Runtime), the first outSize of them.
    TfRef w = weights.map(all -> {
      float[] v = java.util.Arrays.copyOf(all, (int) outSize);
      ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float x : v) {
        b.putFloat(x);
      }
      return c.g().constant(c.hint() + "/weights", DataType.DT_FLOAT, new long[] {v.length}, b.flip());
    }).orElse(null);
    switch (mode) {
      case "TF":
        return y;
      case "IDF":
        TfRef seen = c.cast(c.g().op("Greater", c.hint() + "/seen").input(y).input(c.scalarLike(y, 0))
            .attr("T", DataType.DT_FLOAT).output(DataType.DT_BOOL), DataType.DT_FLOAT);
        return w == null ? seen : c.op("Mul", seen, w);
      case "TFIDF":
        return w == null ? y : c.op("Mul", y, w);
      default:
        throw new OpExportException("unknown mode '" + mode + "'");
    }
  }

  private static float[] toArray(List<Float> values) {
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }
}
