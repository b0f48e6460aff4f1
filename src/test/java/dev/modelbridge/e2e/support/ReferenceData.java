package dev.modelbridge.e2e.support;

import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.SparseTensorProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TensorShapeProto;
import dev.modelbridge.schemas.onnx.TypeProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reference inputs and expected outputs of one backend case, named after the graph's inputs
 * and outputs.
 *
 * <p>Names and types come from the original model's ValueInfos, not from the .pb files: ONNX's
 * runner matches {@code input_N.pb} to the N-th graph input that is not an initializer, and the
 * files do not always carry a name. Sequence, map and optional values are stored as onnx-data.proto
 * messages this project has no classes for, so such cases are marked unsupported with a reason
 * instead of being misread as tensors.
 */
public final class ReferenceData {

  /** One named graph input or output with its reference tensor. */
  public record Value(String name, TensorValue tensor) {}

  private final List<Value> inputs;
  private final List<Value> outputs;
  private final String unsupportedReason;

  private ReferenceData(List<Value> inputs, List<Value> outputs, String unsupportedReason) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.unsupportedReason = unsupportedReason;
  }

  /** Reference data built by hand, e.g. for a model that is not in the corpus. */
  public static ReferenceData of(List<Value> inputs, List<Value> outputs) {
    return new ReferenceData(inputs, outputs, null);
  }

  /** Reference data the harness cannot use; {@link OrtRunner#run} reports the reason. */
  public static ReferenceData unsupported(String reason) {
    return new ReferenceData(List.of(), List.of(), reason);
  }

  /**
   * Loads the case's reference data. Never throws for a malformed or unusual case: the problem is
   * returned as {@link #unsupportedReason()}.
   */
  public static ReferenceData load(BackendCase c) {
    GraphProto graph;
    try (InputStream in = Files.newInputStream(c.model())) {
      graph = ModelProto.parseFrom(in).getGraph();
    } catch (IOException e) {
      return unsupported("cannot read model: " + Outcome.firstLine(e.getMessage()));
    }
    try {
      return load(c, graph);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return unsupported(Outcome.firstLine(e.getMessage()));
    }
  }

  private static ReferenceData load(BackendCase c, GraphProto graph) {
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    for (SparseTensorProto s : graph.getSparseInitializerList()) {
      initializers.add(s.getValues().getName());
    }
    List<Value> inputs = new ArrayList<>();
    int n = 0;
    for (ValueInfoProto vi : graph.getInputList()) {
      if (initializers.contains(vi.getName())) {
        continue;
      }
      String problem = nonTensor("input", vi);
      if (problem != null) {
        return unsupported(problem);
      }
      if (c.syntheticInputs()) {
        inputs.add(new Value(vi.getName(), synthesize(vi)));
      } else {
        int index = n;
        Path file = c.inputFile(index).orElseThrow(
            () -> new IllegalArgumentException("no reference file for input " + index + " '" + vi.getName() + "'"));
        inputs.add(new Value(vi.getName(), readTensor(file)));
      }
      n++;
    }
    List<Value> outputs = new ArrayList<>();
    for (int i = 0; i < graph.getOutputCount(); i++) {
      ValueInfoProto vi = graph.getOutput(i);
      Optional<Path> file = c.outputFile(i);
      if (file.isEmpty()) {
        // ONNX's runner checks only the outputs that have files; so do we.
        continue;
      }
      String problem = nonTensor("output", vi);
      if (problem != null) {
        return unsupported(problem);
      }
      outputs.add(new Value(vi.getName(), readTensor(file.get())));
    }
    if (outputs.isEmpty()) {
      return unsupported("no reference output files");
    }
    return new ReferenceData(inputs, outputs, null);
  }

  /** Null for a tensor type; otherwise why the harness cannot handle the value. */
  private static String nonTensor(String role, ValueInfoProto vi) {
    TypeProto.ValueCase kind = vi.getType().getValueCase();
    return switch (kind) {
      case TENSOR_TYPE -> null;
      // No type at all: the .pb is read as a TensorProto, as ONNX's runner would fail to do otherwise.
      case VALUE_NOT_SET -> null;
      default -> role + " '" + vi.getName() + "' has " + kind.name().toLowerCase().replace("_type", "").replace('_', ' ')
          + " type, not tensor";
    };
  }

  private static TensorValue readTensor(Path file) {
    try {
      return TensorValue.fromProto(TensorProto.parseFrom(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The input ONNX's runner generates for the light models (generate_dummy_data with
   * random=False): float32, unknown dimensions set to 1, values arange(n) / n.
   */
  private static TensorValue synthesize(ValueInfoProto vi) {
    TypeProto.Tensor tt = vi.getType().getTensorType();
    if (tt.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
      throw new IllegalArgumentException("cannot synthesize input '" + vi.getName() + "' of type "
          + ElementType.name(tt.getElemType()) + "; ONNX's runner only synthesizes float inputs");
    }
    long[] shape = tt.getShape().getDimList().stream()
        .mapToLong(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_VALUE ? d.getDimValue() : 1)
        .toArray();
    int count = Math.toIntExact(TensorValue.elementCount(shape));
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      // numpy divides in float64 and then casts, so divide in double too.
      values[i] = (float) ((double) i / count);
    }
    return TensorValue.ofFloats(shape, values);
  }

  public List<Value> inputs() {
    return inputs;
  }

  public List<Value> outputs() {
    return outputs;
  }

  /** Why the harness cannot use this case, or empty when it can. */
  public Optional<String> unsupportedReason() {
    return Optional.ofNullable(unsupportedReason);
  }

  public boolean supported() {
    return unsupportedReason == null;
  }
}
