package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.ir.Model;
import dev.modelbridge.tensorflow.bundle.BundleValue;
import dev.modelbridge.tensorflow.bundle.TensorBundleWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.modelbridge.format.WriteOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Writes an ONNX model as a TensorFlow 1-style SavedModel: {@code saved_model.pb} with one
 * MetaGraph tagged {@code serve}, a {@code serving_default} signature keyed by the ONNX input and
 * output names, and the weights as resource variables in {@code variables/}, restored by the
 * SaverDef's {@code save/restore_all} (RestoreV2 and AssignVariableOp), the way TensorFlow's loader
 * and TensorFlow Serving restore a SavedModel.
 */
public final class SavedModelWriter {
  public static final String TAG = "serve";
  public static final String SIGNATURE = "serving_default";
  static final String PREDICT = "tensorflow/serving/predict";
  /** Write option: 4-D inputs, comma-separated, whose signature takes NHWC. */
  public static final String INPUTS_AS_NHWC = "inputsAsNhwc";
  /** Write option: 4-D outputs, comma-separated, whose signature gives NHWC. */
  public static final String OUTPUTS_AS_NHWC = "outputsAsNhwc";
  /** Write option: {@code false} skips the layout (transpose) optimisation. */
  public static final String OPTIMIZE = "optimize";

  private SavedModelWriter() {}

  /** The ONNX ops the writer converts, one line each, for {@code modelbridge ops --savedmodel}. */
  public static List<String> supportedOps() {
    return ExportRegistry.standard().describe();
  }

  /**
   * Writes {@code model} into the empty folder {@code folder}.
   *
   * @param weightsAsConstants inline the weights as Const nodes instead of a checkpoint
   */
  public static void write(Model model, Path folder, boolean weightsAsConstants) throws ModelException {
    write(model, folder, WriteOptions.defaults().withWeightsAsConstants(weightsAsConstants));
  }

  /**
   * Writes {@code model} into the empty folder {@code folder} with {@code options}: besides
   * {@code weightsAsConstants}, the format options {@value #INPUTS_AS_NHWC} and
   * {@value #OUTPUTS_AS_NHWC} (comma-separated 4-D inputs and outputs whose signature takes or gives
   * NHWC) and {@value #OPTIMIZE} ({@code false} keeps every layout Transpose the handlers emit).
   */
  public static void write(Model model, Path folder, WriteOptions options) throws ModelException {
    OnnxToTf c = OnnxToTf.convert(model, ExportRegistry.standard(), new OnnxToTf.Options(options.weightsAsConstants(),
        names(options, INPUTS_AS_NHWC), names(options, OUTPUTS_AS_NHWC)));
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
    meta.getMetaInfoDefBuilder().addTags(TAG).setTensorflowVersion("2.18.0")
        .setStrippedDefaultAttrs(false);
    Map<String, BundleValue> checkpoint = new LinkedHashMap<>();
    if (!c.variables().isEmpty()) {
      meta.setSaverDef(saver(c.graph(), c.variables()));
      c.variables().forEach(v -> checkpoint.put(v.key(), v.value()));
    }
    GraphDef graph = c.graph().build();
    if (!options.option(OPTIMIZE).orElse("true").equals("false")) {
      graph = TransposePass.optimize(graph, c.knownDims(), pinned(c, meta));
    }
    meta.setGraphDef(graph);
    meta.putSignatureDef(SIGNATURE, signature(c));
    SavedModel saved = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
    try {
      Path variables = Files.createDirectories(folder.resolve("variables"));
      if (!checkpoint.isEmpty()) {
        TensorBundleWriter.writeValues(variables.resolve("variables"), checkpoint);
      }
      try (OutputStream out = Files.newOutputStream(folder.resolve("saved_model.pb"))) {
        saved.writeTo(out);
      }
    } catch (IOException e) {
      throw new ModelIOException("cannot write SavedModel into " + folder, e);
    }
  }

  private static Set<String> names(WriteOptions options, String option) {
    return options.option(option).stream().flatMap(s -> Arrays.stream(s.split(","))).map(String::trim)
        .filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The nodes the layout pass must leave as they are: signature tensors and the saver's. */
  private static Set<String> pinned(OnnxToTf c, MetaGraphDef.Builder meta) {
    Set<String> pinned = new HashSet<>();
    c.inputs().forEach(t -> pinned.add(t.ref().node()));
    c.outputs().forEach(t -> pinned.add(t.ref().node()));
    if (meta.hasSaverDef()) {
      SaverDef s = meta.getSaverDef();
      for (String n : List.of(s.getFilenameTensorName(), s.getSaveTensorName(), s.getRestoreOpName())) {
        pinned.add(n.contains(":") ? n.substring(0, n.lastIndexOf(':')) : n);
      }
    }
    return pinned;
  }

  private static SignatureDef signature(OnnxToTf c) {
    SignatureDef.Builder s = SignatureDef.newBuilder().setMethodName(PREDICT);
    c.inputs().forEach(t -> s.putInputs(t.key(), info(t)));
    c.outputs().forEach(t -> s.putOutputs(t.key(), info(t)));
    return s.build();
  }

  private static TensorInfo info(OnnxToTf.SignatureTensor t) {
    return TensorInfo.newBuilder().setName(t.ref().tensorName()).setDtype(t.ref().dtype())
        .setTensorShape(TfGraph.shape(t.dims())).build();
  }

  /**
   * The save and restore ops, named as TensorFlow's own Saver names them: the loader feeds the
   * checkpoint prefix to {@code save/Const:0} and runs {@code save/restore_all}.
   */
  private static SaverDef saver(TfGraph g, List<OnnxToTf.Variable> vars) {
    List<String> keys = vars.stream().map(OnnxToTf.Variable::key).toList();
    List<String> slices = Collections.nCopies(keys.size(), "");
    List<DataType> dtypes = vars.stream().map(v -> v.read().dtype()).toList();
    TfRef filename = g.strings("save/Const", true, List.of("model"));

    TfGraph.Node save = g.op("SaveV2", "save/SaveV2").input(filename)
        .input(g.strings("save/SaveV2/tensor_names", false, keys))
        .input(g.strings("save/SaveV2/shape_and_slices", false, slices));
    vars.forEach(v -> save.input(v.read()));
    String saveOp = save.types("dtypes", dtypes).done();
    TfRef saved = g.op("Identity", "save/control_dependency").input(filename).control(saveOp)
        .attr("T", DataType.DT_STRING).output(DataType.DT_STRING);

    TfRef restore = g.op("RestoreV2", "save/RestoreV2").input(filename)
        .input(g.strings("save/RestoreV2/tensor_names", false, keys))
        .input(g.strings("save/RestoreV2/shape_and_slices", false, slices))
        .types("dtypes", dtypes).output(DataType.DT_INVALID);
    List<String> assigns = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      OnnxToTf.Variable v = vars.get(i);
      assigns.add(g.op("AssignVariableOp", "save/AssignVariableOp").input(v.handle())
          .input(new TfRef(restore.node(), i, v.read().dtype())).attr("dtype", v.read().dtype()).done());
    }
    TfGraph.Node all = g.op("NoOp", "save/restore_all");
    assigns.forEach(all::control);
    String restoreAll = all.done();
    return SaverDef.newBuilder().setFilenameTensorName(filename.tensorName())
        .setSaveTensorName(saved.tensorName()).setRestoreOpName(restoreAll)
        .setMaxToKeep(5).setKeepCheckpointEveryNHours(10000).setSharded(false)
        .setVersion(SaverDef.CheckpointFormatVersion.V2).build();
  }
}
