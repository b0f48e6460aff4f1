package dev.modelbridge.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.validate.rules.PolicyRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each policy rule on tiny models: silent under the default policy, one finding per breach. */
class PolicyRulesTest {
  private static final Path FILE = Path.of("m.onnx");

  /** x -> Relu -> LSTM-ish custom op -> y, opset 13, with one com.microsoft node. */
  private static Model model() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 1, 4));
    String h = g.op("Relu").name("relu").inputs(x).output();
    String y = g.op("FusedGemm").name("fused").domain("com.microsoft").inputs(h).output("y");
    g.output(y, Type.tensor(ElementType.FLOAT, 1, 4));
    return GraphBuilder.model(g.build(), 13).toBuilder().opset("com.microsoft", 1).opset("ai.onnx.ml", 3)
        .metadata("author", "me").metadata("license", " ").build();
  }

  @Test
  void theDefaultPolicyFindsNothing() {
    assertEquals(List.of(), run(model(), FILE, Policy.defaults()));
  }

  @Test
  void opsetRange() {
    List<Finding> f = run(model(), FILE, policy(OptionalLong.of(14), OptionalLong.of(17)));
    assertEquals(1, f.size(), f.toString());
    assertFinding(f.get(0), "policy.opset-range", "main", "", "opset import 'ai.onnx'");
    assertEquals("imports ai.onnx opset 13; the policy allows opsets 14 to 17", f.get(0).message());
    assertEquals(List.of(), run(model(), FILE, policy(OptionalLong.of(13), OptionalLong.empty())));
    assertEquals("imports ai.onnx opset 13; the policy allows opsets 12 or older",
        run(model(), FILE, policy(OptionalLong.empty(), OptionalLong.of(12))).get(0).message());
  }

  @Test
  void forbiddenAndUnlistedOps() {
    Policy forbid = Policy.defaults();
    forbid = new Policy(forbid.minOpset(), forbid.maxOpset(), Set.of(), Set.of("com.microsoft:FusedGemm"), Set.of(),
        Set.of(), OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
    List<Finding> f = run(model(), FILE, forbid);
    assertEquals(1, f.size(), f.toString());
    assertFinding(f.get(0), "policy.op-forbidden", "main", "'fused' (FusedGemm)", "");
    assertEquals("op com.microsoft:FusedGemm is forbidden by the policy", f.get(0).message());

    Policy allow = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of("Relu", "Conv"), Set.of(), Set.of(),
        Set.of(), OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
    f = run(model(), FILE, allow);
    assertEquals(1, f.size(), f.toString());
    assertEquals("op com.microsoft:FusedGemm is not in the policy's list of allowed ops (Conv, Relu)", f.get(0).message());
  }

  @Test
  void localFunctionCallsAreExemptFromTheAllowListButTheirBodiesAreNot() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 2));
    g.output(g.op("MyRelu").name("call").domain("local").inputs(x).output("y"), Type.tensor(ElementType.FLOAT, 2));
    Function fn = new Function("MyRelu", "local", "", List.of("a"), List.of("b"), List.of(), List.of(),
        List.of(dev.modelbridge.ir.Node.builder("Sigmoid").inputs("a").outputs("b").build()), "",
        List.of(new dev.modelbridge.ir.OpsetImport("", 13)), List.of(), List.of());
    Model m = GraphBuilder.model(g.build(), 13).toBuilder().opset("local", 1).function(fn).build();
    Policy allow = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of("Relu"), Set.of(), Set.of(),
        Set.of(), OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
    List<Finding> f = run(m, FILE, allow);
    assertEquals(1, f.size(), f.toString());
    assertEquals("function local:MyRelu", f.get(0).location().graph());
    assertTrue(f.get(0).message().startsWith("op Sigmoid is not in"), f.get(0).message());
  }

  @Test
  void forbiddenDomainsAtNodesAndUnusedImports() {
    Policy p = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of("ai.onnx"),
        Set.of(), OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
    List<Finding> f = run(model(), FILE, p);
    assertEquals(2, f.size(), f.toString());
    assertFinding(f.get(0), "policy.domain-forbidden", "main", "'fused' (FusedGemm)", "");
    assertEquals("op com.microsoft:FusedGemm is of domain com.microsoft, which is not in the policy's allowed domains"
        + " (ai.onnx)", f.get(0).message());
    assertFinding(f.get(1), "policy.domain-forbidden", "main", "", "opset import 'ai.onnx.ml'");

    Policy forbid = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of(),
        Set.of("ai.onnx"), OptionalLong.empty(), List.of(), Severity.ERROR, Map.of(), false);
    f = run(model(), FILE, forbid);
    assertEquals(1, f.size(), f.toString());
    assertFinding(f.get(0), "policy.domain-forbidden", "main", "'relu' (Relu)", "");
  }

  @Test
  void requiredMetadata() {
    Policy p = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of(), Set.of(),
        OptionalLong.empty(), List.of("author", "license", "version"), Severity.ERROR, Map.of(), false);
    List<Finding> f = run(model(), FILE, p);
    assertEquals(2, f.size(), f.toString());
    assertFinding(f.get(0), "policy.metadata-missing", "", "", "metadata 'license'");
    assertEquals("metadata key 'license' is required by the policy but empty", f.get(0).message());
    assertEquals("metadata key 'version' is required by the policy but missing", f.get(1).message());
  }

  @Test
  void modelSizeCountsExternalDataFiles(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("m.onnx"), new byte[100]);
    Path data = Files.write(dir.resolve("m.onnx.data"), new byte[400]);
    GraphBuilder g = GraphBuilder.named("main");
    String w = g.initializer(Tensor.ofFileRegion("w", ElementType.FLOAT, new long[] {100}, data, 0, 400));
    g.output(g.op("Identity").inputs(w).output("y"));
    Model m = GraphBuilder.model(g.build(), 13);
    assertEquals(List.of(), run(m, file, sizePolicy(500)));
    List<Finding> f = run(m, file, sizePolicy(499));
    assertEquals(1, f.size(), f.toString());
    assertFinding(f.get(0), "policy.model-size", "", "", "");
    assertEquals("the model takes 500 bytes on disk (the model file 100 bytes and 1 external data file);"
        + " the policy allows at most 499 bytes", f.get(0).message());
  }

  @Test
  void severityOverridesApply() {
    Policy p = new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of(), Set.of(),
        OptionalLong.empty(), List.of("version"), Severity.ERROR, Map.of("policy.metadata-missing", Severity.WARNING),
        false);
    assertEquals(Severity.WARNING, run(model(), FILE, p).get(0).severity());
  }

  private static Policy sizePolicy(long max) {
    return new Policy(OptionalLong.empty(), OptionalLong.empty(), Set.of(), Set.of(), Set.of(), Set.of(),
        OptionalLong.of(max), List.of(), Severity.ERROR, Map.of(), false);
  }

  private static Policy policy(OptionalLong min, OptionalLong max) {
    return new Policy(min, max, Set.of(), Set.of(), Set.of(), Set.of(), OptionalLong.empty(), List.of(),
        Severity.ERROR, Map.of(), false);
  }

  private static List<Finding> run(Model m, Path file, Policy policy) {
    List<Finding> findings = new ArrayList<>();
    RuleContext ctx = new RuleContext(m, file, policy, findings);
    for (Rule r : PolicyRules.all()) {
      ctx.runningRule(r);
      r.check(ctx);
    }
    return findings;
  }

  private static void assertFinding(Finding f, String rule, String graph, String node, String field) {
    assertEquals(rule, f.ruleId(), f.toString());
    assertEquals(Severity.ERROR, f.severity(), f.toString());
    assertEquals(graph, f.location().graph(), f.toString());
    assertEquals(node, f.location().node(), f.toString());
    assertEquals(field, f.location().field(), f.toString());
  }
}
