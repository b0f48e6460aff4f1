package dev.modelbridge.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.infer.ModelInference;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.validate.rules.InferenceRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceRulesTest {

  private static List<Finding> check(Model model, Policy policy) {
    List<Finding> findings = new ArrayList<>();
    RuleContext ctx = new RuleContext(model, Path.of("m.onnx"), policy, findings);
    for (Rule r : InferenceRules.all()) {
      ctx.runningRule(r);
      r.check(ctx);
    }
    return findings;
  }

  private static Type f32(Object... dims) {
    return Type.tensor(ElementType.FLOAT, Shape.ofMixed(dims));
  }

  @Test
  void addOfFloatAndInt64IsAnIncompatibleTypesError() {
    GraphBuilder g = GraphBuilder.named("main");
    String a = g.input("a", f32(2));
    String b = g.input("b", Type.tensor(ElementType.INT64, 2));
    g.op("Add").name("add").inputs(a, b).output("y");
    g.output("y");
    List<Finding> f = check(GraphBuilder.model(g.build(), 17), Policy.defaults());
    assertEquals(1, f.size(), f.toString());
    assertEquals("infer.incompatible-types", f.get(0).ruleId());
    assertEquals(Severity.ERROR, f.get(0).severity());
    assertEquals(new Location("m.onnx", "main", "'add' (Add)", "input 1 'b'"), f.get(0).location());
  }

  @Test
  void declaredTypesAndShapesThatContradictInferenceAreErrors() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", f32("N", 3));
    g.op("Relu").name("relu").inputs(x).output("r");
    g.op("Cast").name("cast").inputs("r").attr("to", (long) ElementType.INT32.code()).output("y");
    g.valueInfo("r", f32("N", 4));
    g.output("y", f32("N", 3));
    Model m = GraphBuilder.model(g.build(), 17);
    List<Finding> lenient = check(m, Policy.defaults());
    assertEquals(List.of("infer.declared-type-mismatch", "infer.declared-shape-mismatch"),
        lenient.stream().map(Finding::ruleId).toList());
    // onnx.checker's full check rejects such contradictions too.
    assertTrue(lenient.stream().allMatch(f -> f.severity() == Severity.ERROR));
    assertEquals("output 'y'", lenient.get(0).location().field());
    assertEquals("value_info 'r'", lenient.get(1).location().field());
  }

  @Test
  void strictPolicyRejectsADynamicDimensionTheGraphFixes() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", f32(1, 3));
    g.op("Relu").name("relu").inputs(x).output("y");
    g.output("y", f32("batch", 3));
    Model m = GraphBuilder.model(g.build(), 17);
    assertEquals(List.of(), check(m, Policy.defaults()));
    List<Finding> strict = check(m, Policy.defaults().withStrict(true));
    assertEquals(1, strict.size(), strict.toString());
    assertEquals("infer.declared-shape-mismatch", strict.get(0).ruleId());
    assertTrue(strict.get(0).message().contains("'batch'"), strict.get(0).message());
  }

  @Test
  void symbolicDeclarationsAndUnknownOpsAreNoFindings() {
    GraphBuilder g = GraphBuilder.named("main");
    String x = g.input("x", f32(null, 3));
    g.op("MyOp").domain("com.example").inputs(x).output("c");
    g.op("Relu").inputs("c").output("r");
    g.op("Relu").inputs(x).output("y");
    g.output("r", f32(7, 7, 7));
    g.output("y", f32("batch", 3));
    Model m = GraphBuilder.model(g.build(), 17).toBuilder().opset("com.example", 1).build();
    assertEquals(List.of(), check(m, Policy.defaults().withStrict(true)));
    // The declared symbol is kept where inference only knows the size is unknown.
    assertEquals("float[batch,3]", ModelInference.infer(m).main().type("y").orElseThrow().toString());
  }

  @Test
  void inferenceIsComputedOncePerModel() {
    GraphBuilder g = GraphBuilder.named("main");
    g.input("x", f32(1));
    RuleContext ctx = new RuleContext(GraphBuilder.model(g.build(), 17), Path.of("m"), Policy.defaults(),
        new ArrayList<>());
    assertSame(ModelInference.of(ctx), ModelInference.of(ctx));
  }
}
