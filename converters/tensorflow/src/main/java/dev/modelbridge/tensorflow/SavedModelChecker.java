package dev.modelbridge.tensorflow;

import dev.modelbridge.ModelException;
import dev.modelbridge.format.FormatFindings;
import dev.modelbridge.format.FormatFindings.Level;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Validates a SavedModel in its own terms, without converting it: the protobuf (or text form)
 * parses; there is a MetaGraph to serve; every signature's tensors name nodes of the graph; every
 * node's op is declared by the MetaGraph or its function library; the variables index and data
 * shards agree, CRC32C included. A SavedModel whose ops ONNX cannot express is still valid here.
 */
final class SavedModelChecker {
  static final List<FormatFindings.Rule> RULES = List.of(
      new FormatFindings.Rule("savedmodel.parse", Level.ERROR, "saved_model.pb or .pbtxt does not parse"),
      new FormatFindings.Rule("savedmodel.no-serving-graph", Level.WARNING,
          "no MetaGraph is tagged 'serve', so serving systems find nothing to load"),
      new FormatFindings.Rule("savedmodel.signature", Level.ERROR,
          "a signature's input or output names a tensor whose node is not in the graph"),
      new FormatFindings.Rule("savedmodel.unknown-op", Level.ERROR,
          "a node's op is neither declared in the MetaGraph's op list nor a function of its library"),
      new FormatFindings.Rule("savedmodel.unknown-function-op", Level.WARNING,
          "a function body uses an op that is not a TensorFlow op this version knows"),
      new FormatFindings.Rule("savedmodel.variables", Level.ERROR,
          "the variables index and data shards disagree: a missing shard, a range outside it, or a CRC32C mismatch"),
      new FormatFindings.Rule("savedmodel.functions", Level.ERROR,
          "the function library cannot be inlined: a recursive function, calls nested too deep, too many nodes"),
      new FormatFindings.Rule("savedmodel.constant", Level.ERROR,
          "a constant's shape is negative or overflows, or disagrees with the bytes it holds"),
      new FormatFindings.Rule("savedmodel.asset-path", Level.ERROR,
          "an asset file name is absolute, climbs out with '..', or is a link leading out of the folder"));

  private SavedModelChecker() {}

  static void check(Path dir, FormatFindings out) {
    Optional<Path> file = SavedModelReader.modelFile(dir);
    if (file.isEmpty()) {
      out.report("savedmodel.parse", Level.ERROR, "", "no saved_model.pb or saved_model.pbtxt in the folder");
      return;
    }
    SavedModel model;
    try {
      model = SavedModelReader.parse(file.get());
    } catch (ModelException e) {
      out.report("savedmodel.parse", Level.ERROR, file.get().getFileName().toString(), e.detail());
      return;
    }
    boolean serving = model.getMetaGraphsList().stream()
        .anyMatch(m -> m.getMetaInfoDef().getTagsList().contains(SavedModelReader.DEFAULT_TAG)
            || m.getMetaInfoDef().getTagsCount() == 0 && model.getMetaGraphsCount() == 1);
    if (!serving) {
      out.report("savedmodel.no-serving-graph", Level.WARNING, "", "no MetaGraph is tagged 'serve'");
    }
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      String tags = "MetaGraph '" + String.join(",", meta.getMetaInfoDef().getTagsList()) + "'";
      checkSignatures(meta, tags, out);
      checkOps(meta, tags, out);
      checkGraph(dir, meta, tags, out);
    }
    checkVariables(dir, out);
  }

  private static void checkSignatures(MetaGraphDef meta, String tags, FormatFindings out) {
    Set<String> nodes = new HashSet<>();
    meta.getGraphDef().getNodeList().forEach(n -> nodes.add(n.getName()));
    for (Map.Entry<String, SignatureDef> sig : meta.getSignatureDefMap().entrySet()) {
      String where = tags + ": signature '" + sig.getKey() + "'";
      check(sig.getValue().getInputsMap(), "input", nodes, where, out);
      check(sig.getValue().getOutputsMap(), "output", nodes, where, out);
    }
  }

  private static void check(Map<String, TensorInfo> infos, String kind, Set<String> nodes, String where,
      FormatFindings out) {
    for (Map.Entry<String, TensorInfo> e : infos.entrySet()) {
      if (e.getValue().getEncodingCase() != TensorInfo.EncodingCase.NAME) {
        continue;
      }
      String tensor = e.getValue().getName();
      String node = tensor.startsWith("^") ? tensor.substring(1) : tensor.split(":", 2)[0];
      if (!nodes.contains(node)) {
        out.report("savedmodel.signature", Level.ERROR, where + ": " + kind + " '" + e.getKey() + "'",
            "tensor '" + tensor + "' names node '" + node + "', which is not in the graph");
      }
    }
  }

  private static void checkOps(MetaGraphDef meta, String tags, FormatFindings out) {
    Set<String> declared = new HashSet<>();
    meta.getMetaInfoDef().getStrippedOpList().getOpList().forEach(op -> declared.add(op.getName()));
    Set<String> functions = new HashSet<>();
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.add(f.getSignature().getName()));
    Set<String> reported = new HashSet<>();
    // TensorFlow strips the op list to the ops of the graph's own nodes: those are checked against it.
    if (!declared.isEmpty()) {
      for (NodeDef n : meta.getGraphDef().getNodeList()) {
        if (!declared.contains(n.getOp()) && !functions.contains(n.getOp()) && reported.add(n.getOp())) {
          out.report("savedmodel.unknown-op", Level.ERROR, tags + ": node '" + n.getName() + "'", "op '" + n.getOp()
              + "' is not declared in the MetaGraph's op list nor defined by its function library");
        }
      }
    }
    // Function bodies are not covered by that list: their ops are checked against TensorFlow's.
    for (org.tensorflow.proto.FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      for (NodeDef n : f.getNodeDefList()) {
        String op = n.getOp();
        if (!declared.contains(op) && !functions.contains(op) && !TfOps.known(op) && reported.add(op)) {
          out.report("savedmodel.unknown-function-op", Level.WARNING, tags + ": function '"
              + f.getSignature().getName() + "': node '" + n.getName() + "'",
              "op '" + op + "' is not a TensorFlow op this version knows");
        }
      }
    }
  }

  /** What the reader would refuse in the graph itself: unsafe asset names, uninlinable functions, bad constants. */
  private static void checkGraph(Path dir, MetaGraphDef meta, String tags, FormatFindings out) {
    try {
      SavedModelAssets.check(dir, meta);
    } catch (ModelException e) {
      out.report("savedmodel.asset-path", Level.ERROR, tags, e.detail());
    }
    try {
      dev.modelbridge.tensorflow.graph.FunctionInliner.flatten(meta.getGraphDef(),
          dev.modelbridge.tensorflow.graph.OpDefs.empty());
    } catch (ModelException e) {
      out.report("savedmodel.functions", Level.ERROR, tags + (e.location().isEmpty() ? "" : ": "
          + String.join(": ", e.location())), e.detail());
    }
    List<NodeDef> all = new java.util.ArrayList<>(meta.getGraphDef().getNodeList());
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> all.addAll(f.getNodeDefList()));
    for (NodeDef n : all) {
      org.tensorflow.proto.AttrValue v = n.getAttrMap().get("value");
      if (n.getOp().equals("Const") && v != null && v.hasTensor()) {
        try {
          dev.modelbridge.tensorflow.convert.TfTensors.checkShape(v.getTensor(),
              dev.modelbridge.format.Limits.DEFAULT_EXPANDED_BYTES);
        } catch (ModelException e) {
          out.report("savedmodel.constant", Level.ERROR, tags + ": node '" + n.getName() + "'", e.detail());
        }
      }
    }
  }

  private static void checkVariables(Path dir, FormatFindings out) {
    Path index = dir.resolve("variables").resolve("variables.index");
    if (!Files.isRegularFile(index)) {
      return;
    }
    try {
      TensorBundle.open(dir.resolve("variables")).verifyAll();
    } catch (ModelException e) {
      out.report("savedmodel.variables", Level.ERROR, "variables", e.detail());
    }
  }
}
