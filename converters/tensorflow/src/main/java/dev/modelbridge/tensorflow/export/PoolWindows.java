package dev.modelbridge.tensorflow.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorflow.proto.DataType;

/**
 * Pooling of any spatial rank in NCHW, for what TensorFlow's pooling kernels lack (dilations,
 * ceil_mode, SAME_LOWER, 3-D, LpPool, MaxPool's Indices): the input is padded once, and every
 * kernel offset contributes one strided slice of it; slices are combined by Maximum (keeping the
 * first maximum's flat index, as ONNX Runtime does) or summed. The averaging divisor depends only
 * on static shapes and is a constant. Needs static spatial dims.
 */
final class PoolWindows {
  enum Kind { MAX, AVG, LP }

  private final ExportContext c;
  private final int n;
  private final long[] in;
  private final long[] k;
  private final long[] s;
  private final long[] d;
  private final long[] begin;
  private final long[] out;

  private PoolWindows(ExportContext c, long[] dims) throws OpExportException {
    this.c = c;
    n = dims.length - 2;
    in = Arrays.copyOfRange(dims, 2, dims.length);
    for (long v : in) {
      if (v < 0) {
        throw new OpExportException("pooling with these attributes needs static spatial dims");
      }
    }
    k = c.attrInts("kernel_shape").orElseThrow(() -> new OpExportException("kernel_shape is missing"));
    s = c.attrInts("strides").orElse(filled(1));
    d = c.attrInts("dilations").orElse(filled(1));
    long[] pads = c.attrInts("pads").orElse(new long[2 * n]);
    boolean ceil = c.attrInt("ceil_mode", 0) != 0;
    String autoPad = c.attrString("auto_pad", "NOTSET");
    begin = new long[n];
    out = new long[n];
    for (int i = 0; i < n; i++) {
      long eff = (k[i] - 1) * d[i] + 1;
      switch (autoPad) {
        case "SAME_UPPER", "SAME_LOWER" -> {
          out[i] = Math.floorDiv(in[i] + s[i] - 1, s[i]);
          long total = Math.max((out[i] - 1) * s[i] + eff - in[i], 0);
          begin[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
        }
        case "VALID" -> out[i] = windows(in[i] - eff, s[i], ceil, in[i], 0);
        case "NOTSET" -> {
          begin[i] = pads[i];
          out[i] = windows(in[i] + pads[i] + pads[i + n] - eff, s[i], ceil, in[i], pads[i]);
        }
        default -> throw new OpExportException("auto_pad " + autoPad + " is not converted");
      }
    }
  }

  /** The output length: floor or ceil of {@code span / stride} plus one; no window starting past the input. */
  private static long windows(long span, long stride, boolean ceil, long in, long padBegin) {
    long o = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    if (ceil && (o - 1) * stride >= in + padBegin) {
      o--;
    }
    return o;
  }

  static void emit(ExportContext c, Kind kind) throws OpExportException {
    long[] dims = c.dims(0).orElseThrow(() -> new OpExportException("the input's shape is not known"));
    new PoolWindows(c, dims).emit(kind, dims);
  }

  private void emit(Kind kind, long[] dims) throws OpExportException {
    TfRef x = c.input(0);
    long[] paddings = new long[2 * (n + 2)];
    for (int i = 0; i < n; i++) {
      long extent = (out[i] - 1) * s[i] + (k[i] - 1) * d[i] + 1;
      paddings[2 * (i + 2)] = begin[i];
      paddings[2 * (i + 2) + 1] = Math.max(extent - begin[i] - in[i], 0);
    }
    TfRef padded = pad(x, paddings, kind == Kind.MAX ? lowest(x) : c.scalarLike(x, 0));
    boolean indices = kind == Kind.MAX && c.hasOutput(1);
    long p = c.attrInt("p", 2);
    TfRef acc = null;
    TfRef idx = null;
    long[] q = new long[n];
    do {
      TfRef v = window(padded, q);
      if (kind == Kind.LP) {
        v = p == 1 ? c.op("Abs", v) : p == 2 ? c.op("Mul", v, v) : c.op("Pow", c.op("Abs", v), c.scalarLike(v, p));
      }
      if (acc == null) {
        acc = v;
        idx = indices ? offsetIndex(q) : null;
      } else if (kind == Kind.MAX) {
        if (indices) {
          idx = NnOps.select(c, NnOps.test(c, "Greater", v, acc), offsetIndex(q), idx);
        }
        acc = c.op("Maximum", acc, v);
      } else {
        acc = c.op("AddV2", acc, v);
      }
    } while (next(q));
    if (kind == Kind.AVG) {
      acc = c.op("Mul", acc, c.cast(divisor(c.attrInt("count_include_pad", 0) != 0), acc.dtype()));
    } else if (kind == Kind.LP) {
      acc = p == 1 ? acc : p == 2 ? c.op("Sqrt", acc) : c.op("Pow", acc, c.scalarLike(acc, 1.0 / p));
    }
    c.bind(0, acc);
    if (indices) {
      c.bind(1, c.op("AddV2", idx, base(dims)));
    }
  }

  /** The slice of the padded input that kernel offset {@code q} contributes to every output. */
  private TfRef window(TfRef padded, long[] q) {
    long[] b = new long[n + 2];
    long[] e = new long[n + 2];
    long[] st = new long[n + 2];
    st[0] = 1;
    st[1] = 1;
    for (int i = 0; i < n; i++) {
      b[i + 2] = q[i] * d[i];
      e[i + 2] = b[i + 2] + (out[i] - 1) * s[i] + 1;
      st[i + 2] = s[i];
    }
    return c.g().op("StridedSlice", c.hint() + "/window").input(padded).input(c.g().int64s(c.hint() + "/b", b))
        .input(c.g().int64s(c.hint() + "/e", e)).input(c.g().int64s(c.hint() + "/s", st)).attr("T", padded.dtype())
        .attr("Index", DataType.DT_INT64).attr("begin_mask", 0L).attr("end_mask", 3L).output(padded.dtype());
  }

  /** Advances the kernel offset in row-major order; false after the last. */
  private boolean next(long[] q) {
    for (int i = n - 1; i >= 0; i--) {
      if (++q[i] < k[i]) {
        return true;
      }
      q[i] = 0;
    }
    return false;
  }

  /** {@code 1 / count} per output position: real elements only, or the padded window without the ceil overhang. */
  private TfRef divisor(boolean includePad) {
    long total = Arrays.stream(out).reduce(1, (a, b) -> a * b);
    double[] inv = new double[(int) total];
    long[] o = new long[n];
    for (int flat = 0; flat < total; flat++) {
      long rem = flat;
      for (int i = n - 1; i >= 0; i--) {
        o[i] = rem % out[i];
        rem /= out[i];
      }
      double count = 1;
      for (int i = 0; i < n; i++) {
        long hi = includePad ? in[i] + padEnd(i) : in[i];
        long lo = includePad ? -begin[i] : 0;
        long m = 0;
        for (int j = 0; j < k[i]; j++) {
          long pos = o[i] * s[i] - begin[i] + j * d[i];
          m += pos >= lo && pos < hi ? 1 : 0;
        }
        count *= m;
      }
      inv[flat] = count == 0 ? 0 : 1 / count;
    }
    ByteBuffer b = ByteBuffer.allocate(inv.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : inv) {
      b.putDouble(v);
    }
    return c.g().constant(c.hint() + "/divisor", DataType.DT_DOUBLE, spatialShape(), b.flip());
  }

  private long padEnd(int i) {
    return c.attrInts("pads").map(p -> p[i + n]).orElse(0L) + (c.attrString("auto_pad", "NOTSET").startsWith("SAME")
        ? Math.max((out[i] - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i], 0) - begin[i] : 0);
  }

  /** The flat spatial input index each output reads at kernel offset {@code q}, ONNX's storage_order applied. */
  private TfRef offsetIndex(long[] q) throws OpExportException {
    boolean columnMajor = c.attrInt("storage_order", 0) != 0;
    if (columnMajor && n != 2) {
      throw new OpExportException("storage_order=1 is converted for 2-D pooling only");
    }
    long total = Arrays.stream(out).reduce(1, (a, b) -> a * b);
    ByteBuffer b = ByteBuffer.allocate((int) total * 8).order(ByteOrder.LITTLE_ENDIAN);
    long[] o = new long[n];
    for (int flat = 0; flat < total; flat++) {
      long rem = flat;
      for (int i = n - 1; i >= 0; i--) {
        o[i] = rem % out[i];
        rem /= out[i];
      }
      long index = 0;
      long[] pos = new long[n];
      for (int i = 0; i < n; i++) {
        pos[i] = o[i] * s[i] - begin[i] + q[i] * d[i];
        index = index * in[i] + pos[i];
      }
      b.putLong(columnMajor ? pos[0] + pos[1] * in[0] : index);
    }
    return c.g().constant(c.hint() + "/indices", DataType.DT_INT64, spatialShape(), b.flip());
  }

  /** {@code (n * C + c) * spatial size} shaped {@code [N, C, 1, ...]}. */
  private TfRef base(long[] dims) throws OpExportException {
    if (dims[0] < 0 || dims[1] < 0) {
      throw new OpExportException("MaxPool's Indices output needs static batch and channel dims");
    }
    long size = Arrays.stream(in).reduce(1, (a, b) -> a * b);
    long[] shape = new long[n + 2];
    Arrays.fill(shape, 1);
    shape[0] = dims[0];
    shape[1] = dims[1];
    ByteBuffer b = ByteBuffer.allocate((int) (dims[0] * dims[1]) * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < dims[0] * dims[1]; i++) {
      b.putLong(i * size);
    }
    return c.g().constant(c.hint() + "/base", DataType.DT_INT64, shape, b.flip());
  }

  private long[] spatialShape() {
    long[] shape = new long[n + 2];
    shape[0] = 1;
    shape[1] = 1;
    System.arraycopy(out, 0, shape, 2, n);
    return shape;
  }

  private TfRef pad(TfRef x, long[] pairs, TfRef value) {
    ByteBuffer b = ByteBuffer.allocate(pairs.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : pairs) {
      b.putLong(v);
    }
    TfRef paddings = c.g().constant(c.hint() + "/paddings", DataType.DT_INT64, new long[] {pairs.length / 2, 2}, b.flip());
    return c.g().op("PadV2", c.hint() + "/PadV2").input(x).input(paddings).input(value).attr("T", x.dtype())
        .attr("Tpaddings", DataType.DT_INT64).output(x.dtype());
  }

  private TfRef lowest(TfRef x) throws OpExportException {
    return PoolExport.lowest(c, x);
  }

  private long[] filled(long v) {
    long[] a = new long[n];
    Arrays.fill(a, v);
    return a;
  }
}
