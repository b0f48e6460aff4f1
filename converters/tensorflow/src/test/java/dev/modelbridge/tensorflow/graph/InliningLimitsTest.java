package dev.modelbridge.tensorflow.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.format.Limits;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/** Recursive and exploding function libraries end in a typed error before any node is made. */
class InliningLimitsTest {

  private static FunctionDef fn(String name, String... calls) {
    FunctionDef.Builder f = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName(name));
    int i = 0;
    for (String c : calls) {
      f.addNodeDef(NodeDef.newBuilder().setName("n" + i++).setOp(c));
    }
    return f.build();
  }

  private static GraphDef graph(String entry, FunctionDef... fs) {
    GraphDef.Builder g = GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("call").setOp(entry));
    for (FunctionDef f : fs) {
      g.getLibraryBuilder().addFunction(f);
    }
    return g.build();
  }

  @Test
  void selfRecursionIsRefused() {
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> FunctionInliner.flatten(graph("f", fn("f", "f")), OpDefs.empty()));
    assertTrue(e.getMessage().contains("'f' calls itself"), e.getMessage());
  }

  @Test
  void mutualRecursionNamesTheCycle() {
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> FunctionInliner.flatten(graph("f", fn("f", "g"), fn("g", "h"), fn("h", "f")), OpDefs.empty()));
    assertTrue(e.getMessage().contains("f -> g -> h -> f"), e.getMessage());
  }

  @Test
  void fanOutPastTheNodeLimitIsRefusedUpFront() {
    FunctionDef[] fs = new FunctionDef[41];
    for (int i = 0; i < 40; i++) {
      fs[i] = fn("f" + i, "f" + (i + 1), "f" + (i + 1));
    }
    fs[40] = fn("f40", "NoOp");
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> FunctionInliner.flatten(graph("f0", fs), OpDefs.empty()));
    assertTrue(e.getMessage().contains("maxNodes"), e.getMessage());
  }

  @Test
  void callDepthAndNodeLimitsAreConfigurable() throws Exception {
    FunctionDef[] chain = new FunctionDef[10];
    for (int i = 0; i < 9; i++) {
      chain[i] = fn("c" + i, "c" + (i + 1));
    }
    chain[9] = fn("c9", "NoOp");
    // Each call stays as a NoOp next to its body: 10 calls + 1 NoOp leaf.
    assertEquals(11, FunctionInliner.flatten(graph("c0", chain), OpDefs.empty()).size());
    assertThrows(InvalidModelException.class, () -> FunctionInliner.flatten(graph("c0", chain), OpDefs.empty(),
        Limits.defaults().withMaxCallDepth(5)));
    assertThrows(InvalidModelException.class, () -> FunctionInliner.flatten(graph("c0", chain), OpDefs.empty(),
        Limits.defaults().withMaxNodes(10)));
  }
}
