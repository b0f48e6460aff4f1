package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/** The simple ops of ai.onnx.ml: LabelEncoder, Binarizer and ArrayFeatureExtractor. */
final class MlExport implements ExportRegistry.Family {
  static final String ML = "ai.onnx.ml";

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add(ML, "LabelEncoder", 1, MlExport::labelEncoder);
    t.add(ML, "Binarizer", 1, MlExport::binarizer);
    t.add(ML, "ArrayFeatureExtractor", 1, MlExport::arrayFeatureExtractor);
  }

  /**
   * A lookup in a static table without a table resource (which would need an initialiser run at
   * load time): each element is compared with the key vector, the index of the matching key
   * gathers the value, and elements that match no key take the default. The comparison costs
   * elements x keys, fine for the label sets LabelEncoder holds.
   */
  private static void labelEncoder(ExportContext c) throws OpExportException {
    Tensor keys = table(c, "keys").orElseThrow(() -> new OpExportException("no keys_* attribute"));
    Tensor values = table(c, "values").orElseThrow(() -> new OpExportException("no values_* attribute"));
    if (keys.elementCount() != values.elementCount()) {
      throw new OpExportException(keys.elementCount() + " keys but " + values.elementCount() + " values");
    }
    Tensor dflt = defaultValue(c, values.elementType());
    String h = c.hint();
    TfRef x = c.input(0);
    TfRef k = constant(c, h + "/keys", keys, new long[] {keys.elementCount()});
    if (k.dtype() != x.dtype()) {
      x = c.cast(x, k.dtype());
    }
    TfRef expanded = MatrixExport.expandDims(c, x, -1);
    TfRef eq = c.g().op("Equal", h + "/Equal").input(expanded).input(k).attr("T", k.dtype())
        .attr("incompatible_shape_error", true).output(DataType.DT_BOOL);
    TfRef found = c.g().op("Any", h + "/Any").input(eq).input(c.g().scalar(h + "/last", DataType.DT_INT32, -1))
        .attr("Tidx", DataType.DT_INT32).attr("keep_dims", false).output(DataType.DT_BOOL);
    TfRef which = c.g().op("ArgMax", h + "/ArgMax").input(c.cast(eq, DataType.DT_INT32))
        .input(c.g().scalar(h + "/axis", DataType.DT_INT32, -1)).attr("T", DataType.DT_INT32)
        .attr("Tidx", DataType.DT_INT32).attr("output_type", DataType.DT_INT64).output(DataType.DT_INT64);
    TfRef v = constant(c, h + "/values", values, new long[] {values.elementCount()});
    TfRef got = c.g().op("GatherV2", h + "/Gather").input(v).input(which)
        .input(c.g().scalar(h + "/gaxis", DataType.DT_INT32, 0)).attr("Tparams", v.dtype())
        .attr("Tindices", DataType.DT_INT64).attr("Taxis", DataType.DT_INT32).attr("batch_dims", 0L).output(v.dtype());
    TfRef d = constant(c, h + "/default", dflt, new long[0]);
    c.bind(0, c.g().op("SelectV2", h).input(found).input(got).input(d).attr("T", v.dtype()).output(v.dtype()));
  }

  /** The keys or values of a LabelEncoder from whichever of its typed attributes is set. */
  private static Optional<Tensor> table(ExportContext c, String prefix) {
    Optional<Tensor> t = c.attrTensor(prefix + "_tensor");
    if (t.isPresent()) {
      return t;
    }
    for (Attribute a : c.node().attributes()) {
      if (a.name().equals(prefix + "_strings") && a instanceof Attribute.StringsAttr s) {
        return Optional.of(Tensor.ofStrings("", new long[] {s.values().size()}, s.values()));
      }
      if (a.name().equals(prefix + "_int64s") && a instanceof Attribute.IntsAttr i) {
        return Optional.of(Tensor.ofInt64s("", new long[] {i.values().size()}, i.toArray()));
      }
      if (a.name().equals(prefix + "_floats") && a instanceof Attribute.FloatsAttr f) {
        float[] v = new float[f.values().size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = f.values().get(k);
        }
        return Optional.of(Tensor.ofFloats("", new long[] {v.length}, v));
      }
    }
    return Optional.empty();
  }

  /** The default of the value type: default_tensor, or the typed default with ONNX's fallback. */
  private static Tensor defaultValue(ExportContext c, ElementType type) throws OpExportException {
    Optional<Tensor> t = c.attrTensor("default_tensor");
    if (t.isPresent()) {
      return t.get();
    }
    return switch (type) {
      case STRING -> Tensor.ofStrings("", new long[0], List.of(Bytes.utf8(c.attrString("default_string", "_Unused"))));
      case INT64 -> Tensor.ofInt64s("", new long[0], c.attrInt("default_int64", -1));
      case FLOAT -> Tensor.ofFloats("", new long[0], c.attrFloat("default_float", -0.0f));
      default -> throw new OpExportException("values of type " + type.label() + " need a default_tensor");
    };
  }

  /** A constant of {@code t}'s values with the given dims (strings included). */
  static TfRef constant(ExportContext c, String hint, Tensor t, long[] dims) throws OpExportException {
    if (t.elementType() == ElementType.STRING) {
      List<String> s = ((TensorData.StringList) t.data()).strings().stream().map(Bytes::toUtf8).toList();
      TfRef r = c.g().strings(hint, dims.length == 0 && s.size() == 1, s);
      return dims.length == 1 || dims.length == 0 && s.size() == 1 ? r : c.reshape(r, c.g().int64s(hint + "/shape", dims));
    }
    return c.g().constant(hint, ExportContext.dtype(t.elementType()), dims, t.data().bytes());
  }

  private static void binarizer(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    TfRef above = c.g().op("Greater", c.hint() + "/Greater").input(x)
        .input(c.scalarLike(x, c.attrFloat("threshold", 0f))).attr("T", x.dtype()).output(DataType.DT_BOOL);
    c.bind(0, c.cast(above, x.dtype()));
  }

  /** Gathers along the last axis; a vector is taken as one row, as ONNX Runtime does. */
  private static void arrayFeatureExtractor(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    int rank = c.requireRank(0);
    if (rank == 1) {
      x = MatrixExport.expandDims(c, x, 0);
      rank = 2;
    }
    TfRef indices = c.reshape(c.input(1), c.g().int64s(c.hint() + "/flat", -1));
    c.bind(0, c.g().op("GatherV2", c.hint()).input(x).input(indices)
        .input(c.g().scalar(c.hint() + "/axis", DataType.DT_INT64, rank - 1)).attr("Tparams", x.dtype())
        .attr("Tindices", indices.dtype()).attr("Taxis", DataType.DT_INT64).attr("batch_dims", 0L).output(x.dtype()));
  }
}
