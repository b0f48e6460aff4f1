package dev.modelbridge.tensorflow.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.RawTensor;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * TensorFlow itself (2.18, through TensorFlow Java) restores the checkpoint our writer wrote with
 * its RestoreV2 kernel, which checks the table format and every CRC32C, and gets the same bytes.
 */
class TensorFlowRestoresOurBundleTest {

  @Test
  void tensorFlowRestoresWhatWeWrote(@TempDir Path dir) throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    List<Class<? extends TType>> dtypes = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 100; i++) {
      float[] v = new float[1 + r.nextInt(300)];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      String key = String.format("dense_%02d/kernel/.ATTRIBUTES/VARIABLE_VALUE", i);
      tensors.put(key, Tensor.ofFloats(key, new long[] {v.length}, v));
    }
    tensors.put("global_step", Tensor.ofInt64s("global_step", new long[0], 1234567890123L));
    tensors.put("ids", Tensor.ofInt32s("ids", new long[] {2, 2}, 1, -2, 3, -4));
    tensors.put("words", Tensor.ofStrings("words", new long[] {2}, List.of(Bytes.utf8("hello"), Bytes.utf8("wörld"))));
    Path prefix = Files.createDirectories(dir.resolve("variables")).resolve("variables");
    TensorBundleWriter.write(prefix, tensors);

    List<String> keys = new ArrayList<>(tensors.keySet());
    for (String k : keys) {
      Tensor t = tensors.get(k);
      dtypes.add(switch (t.elementType()) {
        case FLOAT -> TFloat32.class;
        case INT64 -> TInt64.class;
        case INT32 -> TInt32.class;
        default -> TString.class;
      });
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      String[] empty = new String[keys.size()];
      java.util.Arrays.fill(empty, "");
      Restore restore = tf.train.restore(tf.constant(prefix.toString()),
          tf.constant(NdArrays.vectorOfObjects(keys.toArray(new String[0]))),
          tf.constant(NdArrays.vectorOfObjects(empty)), dtypes);
      Session.Runner runner = s.runner();
      restore.tensors().forEach(runner::fetch);
      try (Result result = runner.run()) {
        for (int i = 0; i < keys.size(); i++) {
          Tensor expected = tensors.get(keys.get(i));
          org.tensorflow.Tensor actual = result.get(i);
          assertArrayEquals(expected.dims(), actual.shape().asArray(), keys.get(i));
          if (actual instanceof TString str) {
            assertEquals("hello", str.getObject(0));
            assertEquals("wörld", str.getObject(1));
          } else {
            RawTensor raw = actual.asRawTensor();
            byte[] got = new byte[(int) raw.numBytes()];
            raw.data().read(got);
            ByteBuffer want = expected.data().bytes();
            byte[] wantBytes = new byte[want.remaining()];
            want.get(wantBytes);
            assertArrayEquals(wantBytes, got, keys.get(i));
          }
        }
      }
    }
  }
}
