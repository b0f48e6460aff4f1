package dev.modelbridge.tensorflow.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * The op definitions a graph was saved with (a MetaGraph's {@code stripped_op_list}), used to
 * turn a function body's {@code node:output_arg:index} references into flat output indexes.
 * Ops without a definition are taken to have one output argument, which holds for most ops.
 */
public final class OpDefs {
  private final Map<String, OpDef> byName = new HashMap<>();

  public OpDefs(OpList ops) {
    for (OpDef d : ops.getOpList()) {
      byName.put(d.getName(), d);
    }
  }

  public static OpDefs empty() {
    return new OpDefs(OpList.getDefaultInstance());
  }

  /**
   * The flat output index of {@code argName:index} of {@code node}.
   *
   * @throws IllegalArgumentException when the op's definition has no such output argument
   */
  public int flatIndex(NodeDef node, List<org.tensorflow.proto.OpDef.ArgDef> functionOutputs, String argName, int index) {
    List<OpDef.ArgDef> args = functionOutputs != null ? functionOutputs : outputArgs(node.getOp());
    if (args == null) {
      return index;
    }
    int offset = 0;
    for (OpDef.ArgDef a : args) {
      if (a.getName().equals(argName)) {
        return offset + index;
      }
      offset += count(a, node.getAttrMap());
    }
    throw new IllegalArgumentException("op " + node.getOp() + " has no output argument '" + argName + "'");
  }

  private List<OpDef.ArgDef> outputArgs(String op) {
    OpDef d = byName.get(op);
    return d == null ? null : d.getOutputArgList();
  }

  private static int count(OpDef.ArgDef a, Map<String, AttrValue> attrs) {
    if (!a.getNumberAttr().isEmpty()) {
      AttrValue n = attrs.get(a.getNumberAttr());
      return n == null ? 1 : (int) n.getI();
    }
    if (!a.getTypeListAttr().isEmpty()) {
      AttrValue l = attrs.get(a.getTypeListAttr());
      return l == null ? 1 : l.getList().getTypeCount();
    }
    return 1;
  }
}
