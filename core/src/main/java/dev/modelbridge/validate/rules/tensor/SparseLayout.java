package dev.modelbridge.validate.rules.tensor;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import java.nio.LongBuffer;
import java.util.List;

/**
 * The layout rules of a sparse tensor, as ONNX defines them and onnx.checker enforces them: a
 * dense shape of positive sizes; values of shape [NNZ]; int64 indices of shape [NNZ] (linear
 * positions) or [NNZ, rank] (coordinates), each inside the dense shape and in strictly increasing
 * order. Negative sizes are {@link NegativeDimRule}'s.
 */
final class SparseLayout {
  private SparseLayout() {}

  /** What is wrong with {@code s}'s layout, or null. */
  static String problem(SparseTensor s) {
    List<Long> dense = s.dims();
    if (dense.stream().anyMatch(d -> d < 0) || hasNegativeDim(s.values()) || hasNegativeDim(s.indices())) {
      return null;
    }
    if (dense.isEmpty() || dense.contains(0L)) {
      return "has dense shape " + dense + "; a sparse tensor needs a non-empty shape of positive sizes";
    }
    Tensor values = s.values();
    if (values.rank() != 1) {
      return "has values of rank " + values.rank() + "; sparse values must have shape [NNZ]";
    }
    long nnz = values.dims()[0];
    Tensor indices = s.indices();
    if (indices.elementType() != ElementType.INT64) {
      return "has indices of type " + indices.elementType() + "; sparse indices must be int64";
    }
    long[] idims = indices.dims();
    int rank = dense.size();
    if (idims.length == 1 && idims[0] != nnz) {
      return "has " + idims[0] + " linear indices for " + nnz + " values";
    }
    if (idims.length == 2 && (idims[0] != nnz || idims[1] != rank)) {
      return "has indices of shape [" + idims[0] + ", " + idims[1] + "]; expected [" + nnz + ", " + rank
          + "] for " + nnz + " values of a rank-" + rank + " tensor";
    }
    if (idims.length != 1 && idims.length != 2) {
      return "has indices of rank " + idims.length + "; sparse indices must have rank 1 or 2";
    }
    if (DataSizeRule.problem(indices) != null || indices.data().byteSize() > Integer.MAX_VALUE) {
      return null; // reported on the indices tensor itself, or too large for one view
    }
    return order(indices.data().bytes().asLongBuffer(), dense, idims.length == 2, nnz);
  }

  /** Checks that every index lies inside the dense shape and that the indices strictly increase. */
  private static String order(LongBuffer idx, List<Long> dense, boolean coordinates, long nnz) {
    int rank = dense.size();
    long size = 1;
    for (long d : dense) {
      size = Math.multiplyExact(size, d);
    }
    long previous = -1;
    for (long i = 0; i < nnz; i++) {
      long linear = 0;
      if (coordinates) {
        for (int r = 0; r < rank; r++) {
          long c = idx.get((int) (i * rank + r));
          if (c < 0 || c >= dense.get(r)) {
            return "has index " + c + " (value " + i + ", axis " + r + ") outside [0, " + dense.get(r) + ")";
          }
          linear = linear * dense.get(r) + c;
        }
      } else {
        linear = idx.get((int) i);
        if (linear < 0 || linear >= size) {
          return "has linear index " + linear + " (value " + i + ") outside [0, " + size + ")";
        }
      }
      if (linear <= previous) {
        return "has indices out of order at value " + i + "; sparse indices must strictly increase";
      }
      previous = linear;
    }
    return null;
  }

  private static boolean hasNegativeDim(Tensor t) {
    for (long d : t.dims()) {
      if (d < 0) {
        return true;
      }
    }
    return false;
  }
}
