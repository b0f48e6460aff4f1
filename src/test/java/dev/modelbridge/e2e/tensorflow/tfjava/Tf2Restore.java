package dev.modelbridge.e2e.tensorflow.tfjava;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The variable restore of a TF2 SavedModel: the SaverDef's restore op is {@code StatefulPartitionedCall_2},
 * a call of {@code __inference__traced_restore} on {@code saver_filename} and the variables' handles,
 * whose body reads the checkpoint ({@code RestoreV2}) under object-graph keys
 * ({@code variables/0/.ATTRIBUTES/VARIABLE_VALUE}, not the variables' names) and assigns each handle
 * ({@code AssignVariableOp}). TensorFlow Java's exporter only writes a TF1 saver, so the builder adds
 * this call to the graph, exports (the TF1 saver writes the checkpoint under the same keys), then
 * {@link #patch} points the SaverDef at the call and drops the TF1 saver's nodes.
 */
final class Tf2Restore {
  static final String CALL = "StatefulPartitionedCall_2";
  static final String FILENAME = "saver_filename";
  static final String FUNCTION = "__inference__traced_restore_4242";

  private Tf2Restore() {}

  /** The checkpoint key of variable {@code i}, as the SavedObjectGraph names it. */
  static String key(int i) {
    return "variables/" + i + "/.ATTRIBUTES/VARIABLE_VALUE";
  }

  /** The restore function for {@code n} float variables, in the builder's order. */
  static FunctionDef function(int n) {
    FunctionBuilder f = new FunctionBuilder(FUNCTION).attr("_construction_context", "kEagerRuntime");
    String prefix = f.userArg("file_prefix", DataType.DT_STRING);
    List<String> handles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      handles.add(f.userArg(i == 0 ? "assignvariableop_resource" : "assignvariableop_" + i + "_resource",
          DataType.DT_RESOURCE));
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(key(i));
    }
    String names = strings(f, "RestoreV2/tensor_names", keys);
    String slices = strings(f, "RestoreV2/shape_and_slices", Collections.nCopies(n, ""));
    String restore = f.op("RestoreV2", "RestoreV2", "tensors", List.of(prefix, names, slices),
        "dtypes", FunctionBuilder.types(Collections.nCopies(n, DataType.DT_FLOAT)));
    List<String> assigns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String value = f.op("Identity", "Identity_" + (i + 1), "output", List.of(FunctionBuilder.out(restore, i)),
          "T", DataType.DT_FLOAT);
      String name = i == 0 ? "AssignVariableOp" : "AssignVariableOp_" + i;
      f.op("AssignVariableOp", name, "", List.of(handles.get(i), value), "dtype", DataType.DT_FLOAT);
      assigns.add("^" + name);
    }
    f.op("NoOp", "NoOp", "", assigns);
    List<String> done = new ArrayList<>(List.of(prefix, "^NoOp"));
    done.addAll(assigns);
    String identity = f.op("Identity", "Identity", "output", done, "T", DataType.DT_STRING);
    return f.build(List.of(identity), List.of(DataType.DT_STRING));
  }

  private static String strings(FunctionBuilder f, String name, List<String> values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(
        TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.size())));
    values.forEach(v -> t.addStringVal(ByteString.copyFromUtf8(v)));
    return f.op("Const", name, "output", List.of(), "dtype", DataType.DT_STRING,
        "value", AttrValue.newBuilder().setTensor(t).build());
  }

  /** Rewrites {@code dir}'s SaverDef to the TF2 restore call and removes the TF1 saver ({@code save/...}). */
  static void patch(Path dir) throws IOException {
    Path file = dir.resolve("saved_model.pb");
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(file));
    MetaGraphDef meta = model.getMetaGraphs(0);
    GraphDef.Builder graph = meta.getGraphDef().toBuilder().clearNode();
    meta.getGraphDef().getNodeList().stream().filter(n -> !n.getName().startsWith("save/")).forEach(graph::addNode);
    MetaGraphDef patched = meta.toBuilder().setGraphDef(graph).setSaverDef(meta.getSaverDef().toBuilder()
        .setFilenameTensorName(FILENAME + ":0").setRestoreOpName(CALL).clearSaveTensorName()).build();
    Files.write(file, model.toBuilder().setMetaGraphs(0, patched).build().toByteArray());
  }
}
