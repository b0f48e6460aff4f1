package dev.modelbridge.tensorflow;

import com.google.protobuf.CodedInputStream;
import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import dev.modelbridge.tensorflow.convert.TfConverter;
import dev.modelbridge.tensorflow.convert.TfTensors;
import dev.modelbridge.tensorflow.convert.VariableStore;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.FunctionInliner;
import dev.modelbridge.tensorflow.graph.OpDefs;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a frozen {@code GraphDef} (weights as constants) into the IR. Inputs and outputs are the
 * tensors named by the {@code inputs} and {@code outputs} options (comma-separated, {@code node} or
 * {@code node:k}); by default the outputs are the graph's sinks and the inputs the Placeholders
 * they depend on.
 */
final class GraphDefReader {
  /** Ops that are never a graph's result even when nothing consumes them. */
  private static final Set<String> NOT_OUTPUTS = Set.of("NoOp", "Const", "Placeholder", "Assign", "AssignVariableOp",
      "SaveV2", "RestoreV2", "VariableV2", "VarHandleOp", "Assert");

  private GraphDefReader() {}

  static GraphDef parse(Path file) throws ModelException {
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      coded.setRecursionLimit(dev.modelbridge.format.Limits.DEFAULT_MESSAGE_DEPTH);
      return GraphDef.parseFrom(coded);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new InvalidModelException("not a valid GraphDef protobuf: " + e.getMessage()).inFile(file);
    } catch (IOException e) {
      throw new ModelIOException("cannot read", e).inFile(file);
    }
  }

  static Model read(Path file, ReadOptions options) throws ModelException {
    try {
      FlatGraph flat = FunctionInliner.flatten(parse(file), OpDefs.empty(), options.limits());
      List<TensorRef> outs = options.option(ReadOptions.OUTPUTS).map(GraphDefReader::refs).orElseGet(() -> sinks(flat));
      if (outs.isEmpty()) {
        throw new UnsupportedModelException("the graph has no outputs; name them with the outputs option");
      }
      List<TensorRef> ins = options.option(ReadOptions.INPUTS).map(GraphDefReader::refs)
          .orElseGet(() -> placeholders(flat, resolved(flat, outs)));
      List<TfConverter.Feed> feeds = new ArrayList<>();
      for (TensorRef r : ins) {
        TensorRef v = flat.resolve(r);
        feeds.add(new TfConverter.Feed(name(r), v, inputType(flat, v)));
      }
      List<TfConverter.Fetch> fetches = new ArrayList<>();
      for (TensorRef r : outs) {
        // A call's output is the value its inlined function returns.
        TensorRef v = flat.resolve(r);
        fetches.add(new TfConverter.Fetch(name(r), v, TfImport.recordedType(flat, v, name(r))));
      }
      String base = file.getFileName().toString().replaceFirst("\\.pb$", "");
      return TfImport.convert(base, flat, feeds, fetches, VariableStore.NONE, options, "converted from TensorFlow GraphDef");
    } catch (ModelException e) {
      throw e.inFile(file);
    }
  }

  private static List<TensorRef> resolved(FlatGraph flat, List<TensorRef> refs) {
    List<TensorRef> out = new ArrayList<>();
    for (TensorRef r : refs) {
      try {
        out.add(flat.resolve(r));
      } catch (ModelException e) {
        out.add(r); // reported when the output itself is resolved
      }
    }
    return out;
  }

  private static List<TensorRef> refs(String spec) {
    List<TensorRef> out = new ArrayList<>();
    for (String s : spec.split(",")) {
      if (!s.isBlank()) {
        out.add(TensorRef.parse(s.trim()));
      }
    }
    return out;
  }

  /** {@code node} for output 0, else {@code node:k}. */
  private static String name(TensorRef r) {
    return r.index() == 0 ? r.node() : r.toString();
  }

  private static Type inputType(FlatGraph g, TensorRef r) throws ModelException {
    TfNode n = g.node(r.node()).orElseThrow(() ->
        new UnsupportedModelException("input " + r + " names a node the graph does not have"));
    if (n.op().equals("Placeholder")) {
      var dtype = n.attrType("dtype").orElseThrow(() -> new InvalidModelException("placeholder " + n.label() + " has no dtype"));
      return TfTensors.type(dtype, n.attr("shape").map(a -> a.getShape())
          .orElse(TensorShapeProto.newBuilder().setUnknownRank(true).build()), name(r));
    }
    return TfImport.recordedType(g, r, name(r)).orElseThrow(() ->
        new UnsupportedModelException("the type of input " + r + " is not recorded in the graph"));
  }

  /** Output 0 of every node that no other node reads, except ops that produce no result. */
  static List<TensorRef> sinks(FlatGraph g) {
    Set<String> used = new HashSet<>();
    g.nodes().forEach(n -> n.inputs().forEach(r -> used.add(r.node())));
    List<TensorRef> out = new ArrayList<>();
    for (TfNode n : g.nodes()) {
      if (!used.contains(n.name()) && !NOT_OUTPUTS.contains(n.op())) {
        out.add(new TensorRef(n.name(), 0));
      }
    }
    return out;
  }

  /** The Placeholders the outputs depend on, in graph order. */
  static List<TensorRef> placeholders(FlatGraph g, List<TensorRef> outs) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    outs.forEach(r -> todo.push(r.node()));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (seen.add(name)) {
        g.node(name).ifPresent(n -> n.dataInputs().forEach(r -> todo.push(r.node())));
      }
    }
    List<TensorRef> out = new ArrayList<>();
    for (TfNode n : g.nodes()) {
      if (n.op().equals("Placeholder") && seen.contains(n.name())) {
        out.add(new TensorRef(n.name(), 0));
      }
    }
    return out;
  }

  /** Whether {@code file} parses as a GraphDef with nodes that all have an op (used by detection). */
  static boolean looksLikeGraphDef(Path file) {
    try {
      GraphDef g = parse(file);
      return g.getNodeCount() > 0 && g.getNodeList().stream().allMatch(n -> !n.getOp().isEmpty() && !n.getName().isEmpty());
    } catch (ModelException | RuntimeException e) {
      return false;
    }
  }

}
