package dev.modelbridge.e2e.tensorflow.tfjava;

import dev.modelbridge.e2e.support.TensorValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Runs a SavedModel's signature in TensorFlow itself, through TensorFlow Java: the oracle. */
final class TensorFlowRunner {
  private TensorFlowRunner() {}

  /** Loads {@code dir} with {@code tags} and runs {@code signature} on float inputs; float outputs by name. */
  static Map<String, TensorValue> run(Path dir, String[] tags, String signature, Map<String, TensorValue> inputs) {
    try (SavedModelBundle bundle = SavedModelBundle.loader(dir.toString()).withTags(tags).load()) {
      return run(bundle, signature, inputs);
    }
  }

  static Map<String, TensorValue> run(SavedModelBundle bundle, String signature, Map<String, TensorValue> inputs) {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    List<Tensor> owned = new ArrayList<>();
    try {
      for (Map.Entry<String, TensorValue> e : inputs.entrySet()) {
        TensorValue v = e.getValue();
        float[] data = new float[(int) v.size()];
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) v.getDouble(i);
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(data, true, false));
        owned.add(t);
        feeds.put(e.getKey(), t);
      }
      Map<String, TensorValue> out = new LinkedHashMap<>();
      try (Result result = bundle.function(signature).call(feeds)) {
        for (Map.Entry<String, Tensor> e : result) {
          if (!(e.getValue() instanceof TFloat32 t)) {
            throw new IllegalStateException("output '" + e.getKey() + "' is not float32: " + e.getValue().dataType());
          }
          float[] data = new float[(int) t.size()];
          t.copyTo(DataBuffers.of(data, false, false));
          out.put(e.getKey(), TensorValue.ofFloats(t.shape().asArray(), data));
        }
      }
      return out;
    } finally {
      owned.forEach(Tensor::close);
    }
  }
}
