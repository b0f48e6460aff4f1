package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.schemas.onnx.TensorShapeProto;
import dev.modelbridge.schemas.onnx.TypeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps {@code TypeProto} and {@code TensorShapeProto} to IR types. */
final class TypeDecoder {
  private TypeDecoder() {}

  static Type type(TypeProto t) throws InvalidModelException {
    String den = t.getDenotation();
    switch (t.getValueCase()) {
      case TENSOR_TYPE -> {
        TypeProto.Tensor tt = t.getTensorType();
        return new Type.TensorType(element(tt.getElemType()), shape(tt.hasShape(), tt.getShape()), den);
      }
      case SPARSE_TENSOR_TYPE -> {
        TypeProto.SparseTensor st = t.getSparseTensorType();
        return new Type.SparseTensorType(element(st.getElemType()), shape(st.hasShape(), st.getShape()), den);
      }
      case SEQUENCE_TYPE -> {
        TypeProto.Sequence s = t.getSequenceType();
        return new Type.SequenceType(nested(s.hasElemType(), s.getElemType()), den);
      }
      case MAP_TYPE -> {
        TypeProto.Map m = t.getMapType();
        return new Type.MapType(element(m.getKeyType()), nested(m.hasValueType(), m.getValueType()), den);
      }
      case OPTIONAL_TYPE -> {
        TypeProto.Optional o = t.getOptionalType();
        return new Type.OptionalType(nested(o.hasElemType(), o.getElemType()), den);
      }
      case OPAQUE_TYPE -> {
        return new Type.OpaqueType(t.getOpaqueType().getDomain(), t.getOpaqueType().getName(), den);
      }
      default -> {
        return new Type.Unspecified(den);
      }
    }
  }

  private static Optional<Type> nested(boolean present, TypeProto t) throws InvalidModelException {
    return present ? Optional.of(type(t)) : Optional.empty();
  }

  static ElementType element(int code) throws InvalidModelException {
    return ElementType.fromCode(code)
        .orElseThrow(() -> new InvalidModelException("unknown element type " + code));
  }

  private static Optional<Shape> shape(boolean present, TensorShapeProto s) {
    if (!present) {
      return Optional.empty();
    }
    List<Dim> dims = new ArrayList<>(s.getDimCount());
    for (TensorShapeProto.Dimension d : s.getDimList()) {
      String den = d.getDenotation();
      switch (d.getValueCase()) {
        case DIM_VALUE -> dims.add(new Dim.Fixed(d.getDimValue(), den));
        case DIM_PARAM -> dims.add(new Dim.Symbolic(d.getDimParam(), den));
        default -> dims.add(new Dim.Unknown(den));
      }
    }
    return Optional.of(new Shape(dims));
  }
}
