package dev.modelbridge.ir;

import java.util.List;

/**
 * A sparse constant: the non-default values, their indices (either [NNZ, rank] coordinates or
 * [NNZ] linear positions), and the dense shape.
 */
public record SparseTensor(Tensor values, Tensor indices, List<Long> dims) {
  public SparseTensor {
    dims = List.copyOf(dims);
  }

  /** The name of the sparse tensor, which ONNX keeps on its values tensor. */
  public String name() {
    return values.name();
  }
}
