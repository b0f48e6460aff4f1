package dev.modelbridge.tensorflow;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.inspect.ModelSummary.Detail;
import dev.modelbridge.tensorflow.bundle.BundleEntry;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import dev.modelbridge.tensorflow.bundle.TfDataTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * What {@code inspect} shows of a SavedModel in TensorFlow's terms, read from {@code saved_model.pb}
 * and the variables index without converting anything: every MetaGraph (tag set) with its
 * signatures, each with its method and its inputs and outputs (dtype, shape, graph tensor), and the
 * checkpoint's size. It works for models the converter refuses, so that a user can see which
 * {@code --tag} and {@code --signature} to ask for.
 */
final class SavedModelDescription {
  private static final String INIT_OP_SIGNATURE = "__saved_model_init_op";

  private SavedModelDescription() {}

  static List<Detail> describe(Path path) throws ModelException {
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path file = SavedModelReader.modelFile(dir).orElseThrow(() ->
        new InvalidModelException("no saved_model.pb or saved_model.pbtxt in the folder").inFile(path));
    SavedModel model = SavedModelReader.parse(file);
    List<Detail> out = new ArrayList<>();
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      out.add(metaGraph(meta));
    }
    variables(dir).ifPresent(out::add);
    return out;
  }

  private static Detail metaGraph(MetaGraphDef meta) {
    MetaGraphDef.MetaInfoDef info = meta.getMetaInfoDef();
    String tags = info.getTagsCount() == 0 ? "(no tags)" : String.join(",", new TreeSet<>(info.getTagsList()));
    List<String> facts = new ArrayList<>();
    if (!info.getTensorflowVersion().isEmpty()) {
      facts.add("TensorFlow " + info.getTensorflowVersion());
    }
    facts.add(meta.getGraphDef().getNodeCount() + " nodes");
    if (meta.getGraphDef().getLibrary().getFunctionCount() > 0) {
      facts.add(meta.getGraphDef().getLibrary().getFunctionCount() + " functions");
    }
    List<Detail> signatures = new ArrayList<>();
    for (Map.Entry<String, SignatureDef> e : new TreeMap<>(meta.getSignatureDefMap()).entrySet()) {
      if (!e.getKey().equals(INIT_OP_SIGNATURE)) {
        signatures.add(signature(e.getKey(), e.getValue()));
      }
    }
    if (signatures.isEmpty()) {
      signatures.add(Detail.of("signature", "(none)"));
    }
    return new Detail("MetaGraph", tags + "  (" + String.join(", ", facts) + ")", signatures);
  }

  private static Detail signature(String key, SignatureDef sig) {
    List<Detail> values = new ArrayList<>();
    new TreeMap<>(sig.getInputsMap()).forEach((name, info) -> values.add(Detail.of("input", value(name, info))));
    new TreeMap<>(sig.getOutputsMap()).forEach((name, info) -> values.add(Detail.of("output", value(name, info))));
    String method = sig.getMethodName().isEmpty() ? "" : "  (" + sig.getMethodName() + ")";
    return new Detail("signature", key + method, values);
  }

  /** {@code name  dtype[d0,d1]  (graph tensor)}; {@code ?} for an unknown dimension. */
  static String value(String name, TensorInfo info) {
    String type = TfDataTypes.label(info.getDtype()) + shape(info.getTensorShape());
    String where = switch (info.getEncodingCase()) {
      case NAME -> info.getName();
      case COO_SPARSE -> "sparse: " + info.getCooSparse().getValuesTensorName() + ", "
          + info.getCooSparse().getIndicesTensorName() + ", " + info.getCooSparse().getDenseShapeTensorName();
      case COMPOSITE_TENSOR -> "composite tensor";
      default -> "no tensor";
    };
    return name + "  " + type + "  (" + where + ")";
  }

  static String shape(TensorShapeProto s) {
    if (s.getUnknownRank()) {
      return "[...]";
    }
    return s.getDimList().stream()
        .map(d -> d.getSize() >= 0 ? Long.toString(d.getSize()) : "?")
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** The checkpoint's tensor count and bytes, from its index alone; its error when unreadable. */
  private static java.util.Optional<Detail> variables(Path dir) {
    Path varDir = dir.resolve("variables");
    if (!Files.isRegularFile(varDir.resolve("variables.index"))) {
      return java.util.Optional.empty();
    }
    try {
      TensorBundle bundle = TensorBundle.open(varDir);
      long bytes = 0;
      int count = 0;
      for (String key : bundle.keys()) {
        BundleEntry entry = bundle.entry(key).orElseThrow();
        bytes += entry.size();
        count++;
      }
      return java.util.Optional.of(Detail.of("variables", String.format(Locale.ROOT,
          "%d tensors, %d bytes in %d shard%s", count, bytes, bundle.numShards(), bundle.numShards() == 1 ? "" : "s")));
    } catch (ModelException e) {
      return java.util.Optional.of(Detail.of("variables", "unreadable: " + e.detail()));
    }
  }
}
