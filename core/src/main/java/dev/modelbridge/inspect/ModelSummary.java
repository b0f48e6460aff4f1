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
 * @param opHistogram op type (prefixed by its domain when not ai.onnx) to node count, most used first
 * @param parameterCount elements in all initializers
 * @param parameterBytes bytes of all initializers
 * @param externalDataFiles files outside the model file that hold tensor data
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
    List<String> externalDataFiles) {

  /** An imported operator set. */
  public record Opset(String domain, long version) {}

  /** A graph input or output with its type as text ({@code float[batch,3,224,224]}). */
  public record Value(String name, String type) {}

  public static ModelSummary of(Model model, String format, Path path) {
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
        nodes, sorted, params[0], params[1], model.functions().size(), metadata, List.copyOf(external));
  }

  private static int count(Graph g, Map<String, Integer> histogram, long[] params, TreeSet<String> external, Path path) {
    int nodes = 0;
    for (Tensor t : g.initializers()) {
      params[0] += t.elementCount();
      params[1] += t.data().byteSize();
      if (t.data() instanceof TensorData.FileRegion r) {
        Path dir = path.toAbsolutePath().getParent();
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
