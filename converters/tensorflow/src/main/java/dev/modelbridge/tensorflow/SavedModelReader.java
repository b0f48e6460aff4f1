package dev.modelbridge.tensorflow;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.TextFormat;
import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import dev.modelbridge.tensorflow.convert.TfConverter;
import dev.modelbridge.tensorflow.convert.TfTensors;
import dev.modelbridge.tensorflow.convert.VariableStore;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.FunctionInliner;
import dev.modelbridge.tensorflow.graph.ObjectGraphKeys;
import dev.modelbridge.tensorflow.graph.OpDefs;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.VariableKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Reads a SavedModel folder ({@code saved_model.pb} or {@code saved_model.pbtxt} and
 * {@code variables/}) into the IR: picks the MetaGraph by tag set and the signature by key, inlines
 * the function library, resolves variables to checkpoint views, and converts the subgraph the
 * signature needs. The signature's input and output keys name the graph's inputs and outputs.
 */
final class SavedModelReader {
  static final String DEFAULT_TAG = "serve";
  static final String DEFAULT_SIGNATURE = "serving_default";
  private static final String INIT_OP_SIGNATURE = "__saved_model_init_op";

  private SavedModelReader() {}

  /** The model file in a SavedModel folder ({@code .pb} preferred), or empty. */
  static Optional<Path> modelFile(Path dir) {
    for (String name : List.of("saved_model.pb", "saved_model.pbtxt")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return Optional.of(dir.resolve(name));
      }
    }
    return Optional.empty();
  }

  static Model read(Path path, ReadOptions options) throws ModelException {
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path file = modelFile(dir).orElseThrow(() ->
        new InvalidModelException("no saved_model.pb or saved_model.pbtxt in the folder").inFile(path));
    try {
      return read(dir, parse(file), options);
    } catch (ModelException e) {
      throw e.inFile(dir);
    }
  }

  static SavedModel parse(Path file) throws ModelException {
    try (InputStream in = Files.newInputStream(file)) {
      if (file.getFileName().toString().endsWith(".pbtxt")) {
        SavedModel.Builder b = SavedModel.newBuilder();
        TextFormat.Parser.newBuilder().setAllowUnknownFields(false)
            .setRecursionLimit(dev.modelbridge.format.Limits.DEFAULT_MESSAGE_DEPTH).build()
            .merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), b);
        return b.build();
      }
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      coded.setRecursionLimit(dev.modelbridge.format.Limits.DEFAULT_MESSAGE_DEPTH);
      return SavedModel.parseFrom(coded);
    } catch (TextFormat.ParseException e) {
      throw new InvalidModelException("not a valid SavedModel in text form: " + e.getMessage()).inFile(file);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidModelException("not a valid SavedModel protobuf: " + e.getMessage()).inFile(file);
    } catch (IOException e) {
      throw new ModelIOException("cannot read", e).inFile(file);
    }
  }

  private static Model read(Path dir, SavedModel model, ReadOptions options) throws ModelException {
    MetaGraphDef meta = metaGraph(model, options.option(ReadOptions.TAG).orElse(DEFAULT_TAG));
    SavedModelAssets.check(dir, meta);
    checkOpsDeclared(meta);
    String sigKey = options.option(ReadOptions.SIGNATURE).orElse(DEFAULT_SIGNATURE);
    SignatureDef sig = meta.getSignatureDefMap().get(sigKey);
    if (sig == null) {
      Set<String> keys = new TreeSet<>(meta.getSignatureDefMap().keySet());
      keys.remove(INIT_OP_SIGNATURE);
      throw new UnsupportedModelException("no signature '" + sigKey + "'; "
          + (keys.isEmpty() ? "the MetaGraph has no signatures" : "available: " + String.join(", ", keys)));
    }
    FlatGraph flat = FunctionInliner.flatten(meta.getGraphDef(), new OpDefs(meta.getMetaInfoDef().getStrippedOpList()),
        options.limits());
    checkConstants(flat, options);
    List<TfConverter.Feed> feeds = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(sig.getInputsMap()).entrySet()) {
      TensorInfo info = e.getValue();
      feeds.add(new TfConverter.Feed(e.getKey(), flat.resolve(tensor(info, "input", e.getKey())),
          signatureType(info, e.getKey())));
    }
    List<TfConverter.Fetch> fetches = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(sig.getOutputsMap()).entrySet()) {
      TensorInfo info = e.getValue();
      fetches.add(new TfConverter.Fetch(e.getKey(), flat.resolve(tensor(info, "output", e.getKey())),
          Optional.of(signatureType(info, e.getKey()))));
    }
    VariableStore vars = variables(dir, flat, meta);
    String doc = "converted from TensorFlow SavedModel, tags " + meta.getMetaInfoDef().getTagsList()
        + ", signature " + sigKey;
    try {
      return TfImport.convert(sigKey, flat, feeds, fetches, vars, options, doc);
    } catch (ModelException e) {
      throw e.within("signature '" + sigKey + "'");
    }
  }

  /**
   * Every node of the graph runs an op the MetaGraph declares or a function of its library, as
   * TensorFlow requires to load it; a graph without a declared op list cannot be checked.
   */
  private static void checkOpsDeclared(MetaGraphDef meta) throws ModelException {
    if (meta.getMetaInfoDef().getStrippedOpList().getOpCount() == 0) {
      return;
    }
    Set<String> known = new java.util.HashSet<>();
    meta.getMetaInfoDef().getStrippedOpList().getOpList().forEach(op -> known.add(op.getName()));
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> known.add(f.getSignature().getName()));
    for (org.tensorflow.proto.NodeDef n : meta.getGraphDef().getNodeList()) {
      if (!known.contains(n.getOp())) {
        throw new InvalidModelException("op '" + n.getOp()
            + "' is not declared in the MetaGraph's op list nor defined by its function library")
            .within("node '" + n.getName() + "'");
      }
    }
  }

  /** Every constant of the graph, used or not, has a sound shape: a bad file fails whatever is fetched. */
  private static void checkConstants(FlatGraph flat, ReadOptions options) throws ModelException {
    for (dev.modelbridge.tensorflow.graph.TfNode n : flat.nodes()) {
      org.tensorflow.proto.AttrValue v = n.attrs().get("value");
      if (n.op().equals("Const") && v != null && v.hasTensor()) {
        try {
          TfTensors.checkShape(v.getTensor(), options.limits().maxExpandedBytes());
        } catch (ModelException e) {
          throw e.within("node '" + n.name() + "'");
        }
      }
    }
  }

  /** A signature tensor's type; a TensorInfo without a shape says nothing of the rank. */
  private static dev.modelbridge.ir.Type signatureType(TensorInfo info, String key) throws ModelException {
    return TfTensors.type(info.getDtype(), info.hasTensorShape() ? info.getTensorShape()
        : org.tensorflow.proto.TensorShapeProto.newBuilder().setUnknownRank(true).build(), key);
  }

  private static TensorRef tensor(TensorInfo info, String kind, String key) throws ModelException {
    if (info.getEncodingCase() != TensorInfo.EncodingCase.NAME) {
      throw new UnsupportedModelException(kind + " '" + key + "' is a " + info.getEncodingCase().name().toLowerCase()
          + " tensor; only dense tensors are supported");
    }
    try {
      TfTensors.elementType(info.getDtype());
    } catch (UnsupportedModelException e) {
      throw new UnsupportedModelException(kind + " '" + key + "': " + e.detail());
    }
    try {
      return TensorRef.parse(info.getName());
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(kind + " '" + key + "': " + e.getMessage());
    }
  }

  /** The MetaGraph with exactly the tags asked for; a lone MetaGraph without tags is taken too. */
  static MetaGraphDef metaGraph(SavedModel model, String tags) throws ModelException {
    Set<String> wanted = new TreeSet<>();
    for (String t : tags.split(",")) {
      if (!t.isBlank()) {
        wanted.add(t.trim());
      }
    }
    for (MetaGraphDef m : model.getMetaGraphsList()) {
      if (new TreeSet<>(m.getMetaInfoDef().getTagsList()).equals(wanted)) {
        return m;
      }
    }
    if (model.getMetaGraphsCount() == 1 && model.getMetaGraphs(0).getMetaInfoDef().getTagsCount() == 0) {
      return model.getMetaGraphs(0);
    }
    String available = model.getMetaGraphsList().stream()
        .map(m -> m.getMetaInfoDef().getTagsCount() == 0 ? "(none)" : String.join(",", new TreeSet<>(m.getMetaInfoDef().getTagsList())))
        .collect(Collectors.joining("; "));
    throw new UnsupportedModelException("no MetaGraph with tags '" + String.join(",", wanted) + "'; available tag sets: "
        + (available.isEmpty() ? "none" : available));
  }

  /** Variable node to checkpoint key through the saver's restore ops (TF1, and TF2 after inlining). */
  static Map<String, String> restoreKeys(FlatGraph flat, MetaGraphDef meta) {
    String restore = meta.getSaverDef().getRestoreOpName();
    return VariableKeys.find(flat, restore.isEmpty() ? Optional.empty() : Optional.of(restore));
  }

  /**
   * Variable node to checkpoint key through the SavedObjectGraph and the checkpoint's object graph
   * (TF2); empty when either is absent.
   */
  static Map<String, String> objectGraphKeys(FlatGraph flat, MetaGraphDef meta, TensorBundle bundle)
      throws ModelException {
    if (!meta.hasObjectGraphDef() || bundle.entry(ObjectGraphKeys.CHECKPOINT_OBJECT_GRAPH).isEmpty()) {
      return Map.of();
    }
    dev.modelbridge.ir.Tensor t = bundle.tensor(ObjectGraphKeys.CHECKPOINT_OBJECT_GRAPH, "object_graph");
    if (!(t.data() instanceof dev.modelbridge.ir.TensorData.StringList list) || list.strings().size() != 1) {
      throw new InvalidModelException("the checkpoint's " + ObjectGraphKeys.CHECKPOINT_OBJECT_GRAPH
          + " is not a single string");
    }
    return ObjectGraphKeys.find(meta, flat, ObjectGraphKeys.parseCheckpointGraph(list.strings().get(0).toByteArray()));
  }

  /**
   * The variables' values: checkpoint keys from the object graph, else from the restore ops, else
   * the variable's shared name or node name.
   */
  private static VariableStore variables(Path dir, FlatGraph flat, MetaGraphDef meta) throws ModelException {
    Path varDir = dir.resolve("variables");
    if (!Files.isRegularFile(varDir.resolve("variables.index"))) {
      return VariableStore.NONE;
    }
    try {
      if (!varDir.toRealPath().startsWith(dir.toRealPath())) {
        throw new dev.modelbridge.UnsafePathException("variables/ is a symbolic link that leads outside the SavedModel's folder");
      }
    } catch (IOException e) {
      throw new ModelIOException("cannot resolve variables/", e);
    }
    TensorBundle bundle = TensorBundle.open(varDir);
    Map<String, String> keys = new java.util.HashMap<>(restoreKeys(flat, meta));
    // The object graph names what the serving functions capture; it wins over the restore ops.
    objectGraphKeys(flat, meta, bundle).forEach((node, key) -> {
      if (bundle.entry(key).isPresent()) {
        keys.put(node, key);
      }
    });
    return (node, name) -> {
      String key = keys.get(node.name());
      if (key == null) {
        String shared = node.attrString("shared_name", "");
        key = !shared.isEmpty() && bundle.entry(shared).isPresent() ? shared : node.name();
      }
      if (bundle.entry(key).isEmpty()) {
        throw new InvalidModelException("no value in the checkpoint (key '" + key + "')");
      }
      return bundle.tensor(key, name);
    };
  }
}
