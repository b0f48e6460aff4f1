package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a flat TensorFlow graph into an IR graph with ONNX semantics: prunes it to what the
 * fetched tensors need (stopping at the fed ones), converts each node in topological order through
 * the {@link OpRegistry}, and names graph inputs and outputs after the feeds and fetches.
 *
 * <p>Conversion goes on past an unsupported op or an unconvertible node, and fails once at the
 * end with an {@link UnsupportedOpsException} listing them all.
 */
public final class TfConverter {

  /** A graph input: the tensor {@code ref} is fed from the input called {@code name}. */
  public record Feed(String name, TensorRef ref, Type type) {}

  /** A graph output called {@code name} holding the tensor {@code ref}. */
  public record Fetch(String name, TensorRef ref, Optional<Type> type) {}

  private final OpRegistry registry;

  public TfConverter(OpRegistry registry) {
    this.registry = registry;
  }

  /** Converts the part of {@code source} that computes {@code fetches} from {@code feeds}. */
  public Graph convert(String graphName, FlatGraph source, List<Feed> feeds, List<Fetch> fetches,
      VariableStore variables, int opset) throws ModelException {
    return convert(new ConversionState(source, Graph.builder(graphName), opset, variables, registry, null),
        feeds, Map.of(), fetches);
  }

  /**
   * Converts a control-flow body: {@code feeds} become its graph inputs, {@code outer} tensors are
   * values of the enclosing graph that the body reads by name.
   */
  static Graph convertBody(ConversionState enclosing, String graphName, FlatGraph source, List<Feed> feeds,
      Map<TensorRef, String> outer, List<Fetch> fetches) throws ModelException {
    ConversionState state = new ConversionState(source, Graph.builder(graphName), enclosing.opset,
        enclosing.variables, enclosing.registry, enclosing);
    return new TfConverter(enclosing.registry).convert(state, feeds, outer, fetches);
  }

  private Graph convert(ConversionState state, List<Feed> feeds, Map<TensorRef, String> outer, List<Fetch> fetches)
      throws ModelException {
    FlatGraph source = state.source;
    Set<String> ioNames = new HashSet<>();
    for (String name : java.util.stream.Stream.concat(feeds.stream().map(Feed::name), fetches.stream().map(Fetch::name)).toList()) {
      if (!ioNames.add(name)) {
        throw new InvalidModelException("the name '" + name + "' is used for two graph inputs or outputs");
      }
      state.reserve(name);
    }
    Set<TensorRef> fed = new HashSet<>(outer.keySet());
    outer.forEach(state::bind);
    for (Feed f : feeds) {
      state.graph.input(ValueInfo.of(f.name(), f.type()));
      state.bind(f.ref(), f.name());
      fed.add(f.ref());
    }
    Map<String, List<String>> unsupported = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    for (TfNode n : order(source, fetches, fed)) {
      Optional<OpHandler> h = registry.handler(n.op());
      if (h.isEmpty()) {
        unsupported.computeIfAbsent(n.op(), k -> new ArrayList<>()).add(n.name());
        failed.add(n.name());
        continue;
      }
      if (n.dataInputs().stream().anyMatch(r -> failed.contains(r.node()) && state.value(r).isEmpty())) {
        failed.add(n.name());
        continue;
      }
      try {
        h.get().convert(new NodeContext(state, n));
      } catch (ModelException e) {
        problems.add(n.label() + ": " + e.detail());
        failed.add(n.name());
      }
    }
    for (Fetch f : fetches) {
      Optional<String> v = state.value(f.ref());
      if (v.isEmpty()) {
        if (!failed.contains(f.ref().node())) {
          problems.add("output '" + f.name() + "' (" + f.ref() + ") is not produced by the conversion");
        }
        continue;
      }
      state.node(Node.builder("Identity").name(state.uniqueNode(f.name())).inputs(v.get()).outputs(f.name()).build());
      state.graph.output(f.type().map(t -> ValueInfo.of(f.name(), t)).orElse(ValueInfo.untyped(f.name())));
    }
    if (!unsupported.isEmpty() || !problems.isEmpty()) {
      throw new UnsupportedOpsException(unsupported, problems);
    }
    return state.graph.build();
  }

  /**
   * The nodes the fetches depend on through data edges, producers first; fed tensors cut the
   * walk. A back edge (a TF1 while loop) is not followed; the loop's ops are reported unsupported.
   */
  static List<TfNode> order(FlatGraph g, List<Fetch> fetches, Set<TensorRef> fed) throws ModelException {
    List<TfNode> out = new ArrayList<>();
    Map<String, Boolean> done = new HashMap<>(); // false: on the stack, true: emitted
    Deque<Object[]> stack = new ArrayDeque<>();
    for (Fetch f : fetches) {
      if (fed.contains(f.ref())) {
        continue;
      }
      TfNode start = g.node(f.ref().node()).orElseThrow(() ->
          new InvalidModelException("output '" + f.name() + "' names tensor " + f.ref() + ", which the graph does not have"));
      if (done.containsKey(start.name())) {
        continue;
      }
      stack.push(new Object[] {start, 0});
      done.put(start.name(), false);
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        TfNode n = (TfNode) top[0];
        List<TensorRef> in = n.dataInputs();
        int i = (int) top[1];
        if (i == in.size()) {
          stack.pop();
          done.put(n.name(), true);
          out.add(n);
          continue;
        }
        top[1] = i + 1;
        TensorRef r = in.get(i);
        if (fed.contains(r) || done.containsKey(r.node())) {
          continue;
        }
        TfNode p = g.node(r.node()).orElseThrow(() ->
            new InvalidModelException("input " + r + " names a node the graph does not have").within("node " + n.label()));
        done.put(p.name(), false);
        stack.push(new Object[] {p, 0});
      }
    }
    return out;
  }
}
