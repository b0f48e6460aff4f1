package dev.modelbridge.inspect;

import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.ir.ValueInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code modelbridge inspect} shows: identity, opsets, signature, op histogram and parameter
 * totals of a model. Counts include nested graphs (If, Loop, Scan bodies) and functions.
 *
 * <p>The IR fields describe the model as converted with the default read options. A format may add
 * {@link Detail details} of its own, read from the file without converting (a SavedModel's
 * MetaGraphs and signatures); when the model cannot be converted, the summary holds only the format,
 * the details and {@code conversionError}, and the IR fields are empty.
 *
 * @param opHistogram op type (prefixed by its domain when not ai.onnx) to node count, most used first
 * @param parameterCount elements in all initializers
 * @param parameterBytes bytes of all initializers
 * @param externalDataFiles files outside the model file that hold tensor data
 * @param details format-specific facts from {@link dev.modelbridge.format.ModelFormat#describe}
 * @param conversionError why the model cannot be converted with the default options, or null when it can
 */
public record ModelSummary(
    String path,
    String format,
    long irVersion,
    List<Opset> opsets,
    String producerName,
    String producerVersion,
    String domain,
    long modelVersion,
    String docString,
    List<Value> inputs,
    List<Value> outputs,
    int nodeCount,
    Map<String, Integer> opHistogram,
    long parameterCount,
    long parameterBytes,
    int functionCount,
    Map<String, String> metadata,
    List<String> externalDataFiles,
    List<Detail> details,
    String conversionError) {

  /** An imported operator set. */
  public record Opset(String domain, long version) {}

  /** A graph input or output with its type as text ({@code float[batch,3,224,224]}). */
  public record Value(String name, String type) {}

  /**
   * A format-specific fact with the facts under it, such as a MetaGraph ({@code label} "MetaGraph",
   * {@code value} its tags) holding its signatures, each holding its inputs and outputs.
   */
  public record Detail(String label, String value, List<Detail> children) {
    public Detail {
      children = List.copyOf(children);
    }

    /** A fact with nothing under it. */
    public static Detail of(String label, String value) {
      return new Detail(label, value, List.of());
    }
  }

  public static ModelSummary of(Model model, String format, Path path) {
    return of(model, format, path, List.of());
  }

  /**
   * The summary of a model that cannot be converted: its format's {@code details} and the
   * {@code reason}, with empty IR fields.
   */
  public static ModelSummary unconverted(String format, Path path, List<Detail> details, String reason) {
    return new ModelSummary(path.toString(), format, 0, List.of(), "", "", "", 0, "", List.of(), List.of(), 0,
        Map.of(), 0, 0, 0, Map.of(), List.of(), List.copyOf(details), reason);
  }

  /** The summary of a converted model, with its format's {@code details}. */
  public static ModelSummary of(Model model, String format, Path path, List<Detail> details) {
    Map<String, Integer> histogram = new TreeMap<>();
    long[] params = new long[2];
    TreeSet<String> external = new TreeSet<>();
    int nodes = count(model.graph(), histogram, params, external, path);
    for (var f : model.functions()) {
      for (Node n : f.nodes()) {
        histogram.merge(opName(n), 1, Integer::sum);
        nodes++;
      }
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    histogram.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    Map<String, String> metadata = new LinkedHashMap<>();
    model.metadata().forEach(p -> metadata.put(p.key(), p.value()));
    List<Opset> opsets = new ArrayList<>();
    for (OpsetImport o : model.opsetImports()) {
      opsets.add(new Opset(o.displayDomain(), o.version()));
    }
    return new ModelSummary(
        path.toString(), format, model.irVersion(), opsets, model.producerName(),
        model.producerVersion(), model.domain(), model.modelVersion(), model.docString(),
        values(model.graph().inputs(), model.graph()), values(model.graph().outputs(), null),
        nodes, sorted, params[0], params[1], model.functions().size(), metadata, List.copyOf(external),
        List.copyOf(details), null);
  }

  private static int count(Graph g, Map<String, Integer> histogram, long[] params, TreeSet<String> external, Path path) {
    int nodes = 0;
    for (Tensor t : g.initializers()) {
      params[0] += t.elementCount();
      params[1] += t.data().byteSize();
      if (t.data() instanceof TensorData.FileRegion r) {
        // Relative to the model's folder: the model itself when it is a folder (a SavedModel).
        Path dir = java.nio.file.Files.isDirectory(path) ? path.toAbsolutePath() : path.toAbsolutePath().getParent();
        external.add(dir == null ? r.file().toString() : dir.relativize(r.file().toAbsolutePath()).toString());
      }
    }
    for (Node n : g.nodes()) {
      histogram.merge(opName(n), 1, Integer::sum);
      nodes++;
      for (Graph sub : n.subgraphs()) {
        nodes += count(sub, histogram, params, external, path);
      }
    }
    return nodes;
  }

  private static String opName(Node n) {
    return n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + ":" + n.opType();
  }

  /** Graph inputs that are not also initializers: what a caller must feed. */
  private static List<Value> values(List<ValueInfo> infos, Graph exceptInitializersOf) {
    List<Value> out = new ArrayList<>();
    for (ValueInfo v : infos) {
      if (exceptInitializersOf != null && exceptInitializersOf.initializer(v.name()).isPresent()) {
        continue;
      }
      out.add(new Value(v.name(), v.type().map(Object::toString).orElse("?")));
    }
    return out;
  }
}
