package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.tensorflow.TfVsOrt.Feed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * A Keras-style Embedding: a resource variable read by ResourceGather, in a SavedModel whose
 * checkpoint TensorFlow itself writes (SaveV2) and whose restore ops name the variable's key.
 * TensorFlow computes the lookup; ONNX Runtime runs the conversion.
 */
class EmbeddingSavedModelTest {
  @TempDir
  Path dir;

  @Test
  void resourceGatherReadsTheCheckpointedTable() throws Exception {
    float[] table = new float[5 * 3];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) Math.sin(i + 1);
    }
    int[] ids = {4, 0, 2, 2};
    Path model = dir.resolve("embedding");
    Files.createDirectories(model.resolve("variables"));
    float[] want;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TInt32> in = tf.withName("ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      var handle = tf.withName("emb").varHandleOp(TFloat32.class, Shape.of(5, 3));
      var init = tf.withName("init").assignVariableOp(handle,
          tf.constant(TFloat32.tensorOf(Shape.of(5, 3), DataBuffers.of(table, true, false))));
      var lookup = tf.withName("lookup").resourceGather(handle, in, TFloat32.class);
      Ops sv = tf.withSubScope("save");
      Placeholder<TString> prefix = sv.withName("Const").placeholder(TString.class);
      var names = sv.withName("names").constant(NdArrays.vectorOfObjects("emb"));
      var slices = sv.withName("slices").constant(NdArrays.vectorOfObjects(""));
      var save = sv.withName("SaveV2").train.save(prefix, names, slices,
          List.of(tf.readVariableOp(handle, TFloat32.class)));
      Restore restore = sv.withName("RestoreV2").train.restore(prefix, names, slices, List.of(TFloat32.class));
      var assign = sv.withName("Assign").assignVariableOp(handle, restore.tensors().get(0));
      sv.withName("restore_all").withControlDependencies(List.of(assign)).noOp();
      s.runner().addTarget(init).run();
      try (TString p = TString.scalarOf(model.resolve("variables/variables").toString())) {
        s.runner().feed(prefix, p).addTarget(save).run();
      }
      try (TInt32 idsT = TInt32.tensorOf(Shape.of(ids.length), DataBuffers.of(ids, true, false));
          Result r = s.runner().feed(in, idsT).fetch(lookup).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        want = new float[(int) out.shape().size()];
        out.asRawTensor().data().asFloats().read(want);
      }
      SignatureDef sig = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict")
          .putInputs("ids", TensorInfo.newBuilder().setName("ids:0").setDtype(DataType.DT_INT32).build())
          .putOutputs("vectors", TensorInfo.newBuilder().setName("lookup:0").setDtype(DataType.DT_FLOAT).build())
          .build();
      SavedModel sm = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(MetaGraphDef.newBuilder()
          .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
          .setGraphDef(g.toGraphDef())
          .setSaverDef(SaverDef.newBuilder().setFilenameTensorName("save/Const:0")
              .setRestoreOpName("save/restore_all").setSaveTensorName("save/SaveV2"))
          .putSignatureDef("serving_default", sig)).build();
      Files.write(model.resolve("saved_model.pb"), sm.toByteArray());
    }
    Path onnx = dir.resolve("embedding.onnx");
    ModelBridge.create().convert(model).to("onnx").writeTo(onnx);
    Map<String, double[]> got = TfVsOrt.runOrt(onnx, List.of(new Feed("ids", new long[] {ids.length}, ids)), "vectors");
    assertEquals(want.length, got.get("vectors").length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got.get("vectors")[i], 1e-6, "vectors[" + i + "]");
    }
  }

}
