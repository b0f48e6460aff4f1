package dev.modelbridge.tensorflow.graph;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.format.Limits;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedConcreteFunction;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;

/**
 * Finds the checkpoint key of each variable of a TF2 SavedModel through its object graphs, without
 * the saver's restore ops: a top-level call of a concrete function passes the objects it captured
 * as its trailing inputs, in the order of the function's {@code bound_inputs} (ids of the
 * MetaGraph's SavedObjectGraph); the checkpoint's own object graph (the TrackableObjectGraph stored
 * under {@link #CHECKPOINT_OBJECT_GRAPH}) names the key of that object's value.
 */
public final class ObjectGraphKeys {
  /** The checkpoint key of the serialized TrackableObjectGraph. */
  public static final String CHECKPOINT_OBJECT_GRAPH = "_CHECKPOINTABLE_OBJECT_GRAPH";
  /** The attribute of a trackable variable that holds its value. */
  private static final String VALUE_ATTRIBUTE = "VARIABLE_VALUE";
  private static final List<String> CALL_OPS = List.of("StatefulPartitionedCall", "PartitionedCall");

  private ObjectGraphKeys() {}

  /** Parses the checkpoint's serialized object graph. */
  public static TrackableObjectGraph parseCheckpointGraph(byte[] bytes) throws ModelException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(Limits.DEFAULT_MESSAGE_DEPTH);
      return TrackableObjectGraph.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidModelException("the checkpoint's object graph (" + CHECKPOINT_OBJECT_GRAPH
          + ") is not a valid TrackableObjectGraph: " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidModelException("cannot read the checkpoint's object graph: " + e.getMessage());
    }
  }

  /**
   * Variable node name (in {@code graph}, the flattened MetaGraph) to checkpoint key, for every
   * variable a top-level call of a concrete function captures. Empty when the MetaGraph has no
   * object graph. Malformed references (ids out of range, inputs missing) are skipped: the caller
   * falls back to the restore ops for those variables.
   */
  public static Map<String, String> find(MetaGraphDef meta, FlatGraph graph, TrackableObjectGraph checkpoint) {
    if (!meta.hasObjectGraphDef()) {
      return Map.of();
    }
    SavedObjectGraph saved = meta.getObjectGraphDef();
    Map<Integer, Integer> toCheckpoint = matchByPath(saved, checkpoint);
    Map<String, String> keys = new HashMap<>();
    for (NodeDef call : meta.getGraphDef().getNodeList()) {
      if (!CALL_OPS.contains(call.getOp()) || !call.containsAttr("f")) {
        continue;
      }
      SavedConcreteFunction fn = saved.getConcreteFunctionsMap().get(call.getAttrOrThrow("f").getFunc().getName());
      if (fn == null) {
        continue;
      }
      List<String> data = call.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
      List<Integer> bound = fn.getBoundInputsList();
      int first = data.size() - bound.size();
      for (int i = 0; i < bound.size() && first >= 0; i++) {
        int id = bound.get(i);
        if (id < 0 || id >= saved.getNodesCount() || saved.getNodes(id).getKindCase() != SavedObject.KindCase.VARIABLE) {
          continue;
        }
        Optional<TfNode> variable = variableNode(graph, data.get(first + i));
        Optional<String> key = Optional.ofNullable(toCheckpoint.get(id)).flatMap(c -> valueKey(checkpoint.getNodes(c)));
        if (variable.isPresent() && key.isPresent()) {
          keys.putIfAbsent(variable.get().name(), key.get());
        }
      }
    }
    return keys;
  }

  /** The variable node a call input names, through Identity ops and inlined return values. */
  private static Optional<TfNode> variableNode(FlatGraph graph, String input) {
    try {
      TensorRef ref = graph.throughIdentities(graph.resolve(TensorRef.parse(input)));
      return graph.node(ref.node()).filter(n -> VariableKeys.VARIABLE_OPS.contains(n.op()));
    } catch (IllegalArgumentException | ModelException malformed) {
      return Optional.empty();
    }
  }

  private static Optional<String> valueKey(TrackableObject object) {
    return object.getAttributesList().stream()
        .filter(a -> a.getName().equals(VALUE_ATTRIBUTE) && !a.getCheckpointKey().isEmpty())
        .map(a -> a.getCheckpointKey())
        .findFirst();
  }

  /**
   * SavedObjectGraph id to TrackableObjectGraph id, for the objects both reach from their roots
   * (id 0) by the same path of child names. TensorFlow writes both graphs with the same ids, but the
   * SavedModel's graph also holds functions and signatures the checkpoint lacks; matching by path
   * does not rely on the numbering.
   */
  private static Map<Integer, Integer> matchByPath(SavedObjectGraph saved, TrackableObjectGraph checkpoint) {
    Map<Integer, Integer> match = new HashMap<>();
    if (saved.getNodesCount() == 0 || checkpoint.getNodesCount() == 0) {
      return match;
    }
    Deque<int[]> todo = new ArrayDeque<>();
    match.put(0, 0);
    todo.add(new int[] {0, 0});
    while (!todo.isEmpty()) {
      int[] pair = todo.poll();
      Map<String, Integer> ckptChildren = new HashMap<>();
      for (var c : checkpoint.getNodes(pair[1]).getChildrenList()) {
        ckptChildren.putIfAbsent(c.getLocalName(), c.getNodeId());
      }
      for (var c : saved.getNodes(pair[0]).getChildrenList()) {
        Integer other = ckptChildren.get(c.getLocalName());
        if (other == null || c.getNodeId() < 0 || c.getNodeId() >= saved.getNodesCount() || other < 0
            || other >= checkpoint.getNodesCount() || match.containsKey(c.getNodeId())) {
          continue;
        }
        match.put(c.getNodeId(), other);
        todo.add(new int[] {c.getNodeId(), other});
      }
    }
    return match;
  }
}
