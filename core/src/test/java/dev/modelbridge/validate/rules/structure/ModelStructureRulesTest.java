package dev.modelbridge.validate.rules.structure;

import static dev.modelbridge.validate.RuleTester.at;
import static dev.modelbridge.validate.RuleTester.clean;
import static dev.modelbridge.validate.RuleTester.single;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.F;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.graph;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.in;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.model;
import static dev.modelbridge.validate.rules.structure.StructureFixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Function;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.OpsetImport;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.StructureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IR version, opset imports and model-local functions. */
class ModelStructureRulesTest {
  private static final List<Rule> RULES = StructureRules.all();

  private static Finding expect(Model m, String rule, Location where) {
    Finding f = single(m, RULES);
    assertEquals(rule, f.ruleId(), f::toString);
    assertEquals(where, f.location(), f::toString);
    return f;
  }

  private static Model valid() {
    return model(StructureFixtures.valid());
  }

  @Test
  void irVersionMissingOrUnknown() {
    expect(valid().toBuilder().irVersion(0).build(), "model.ir-version", at("", "", "ir_version"));
    Finding f = expect(valid().toBuilder().irVersion(14).build(), "model.ir-version", at("", "", "ir_version"));
    assertTrue(f.message().contains("13"), f.message());
    clean(valid().toBuilder().irVersion(13).build(), RULES);
  }

  @Test
  void irVersionTooLowForATypeUsed() {
    Graph g = StructureFixtures.valid().toBuilder()
        .valueInfo(ValueInfo.of("h", Type.tensor(ElementType.BFLOAT16, 2))).build();
    Model m = model(g).toBuilder().irVersion(3).build().toBuilder().build();
    // IR 3 also wants initializers listed as inputs: give w an input so only the type is at fault.
    m = m.toBuilder().graph(m.graph().toBuilder().input(ValueInfo.of("w", F)).build()).build();
    Finding f = expect(m, "model.ir-version", at("main", "", "value_info 'h'"));
    assertTrue(f.message().contains("bfloat16") && f.message().contains("IR version 4"), f.message());
    clean(m.toBuilder().irVersion(4).build(), RULES);
  }

  @Test
  void irVersionTooLowForSparseInitializersAndFunctions() {
    SparseTensor s = new SparseTensor(Tensor.ofFloats("s", new long[] {1}, 1f),
        Tensor.ofInt64s("", new long[] {1}, 0), List.of(2L));
    Graph g = StructureFixtures.valid().toBuilder().sparseInitializer(s).build();
    expect(model(g).toBuilder().irVersion(5).build(), "model.ir-version",
        at("main", "", "sparse initializer 's'"));
    Model withFunction = valid().toBuilder().irVersion(7).function(function("f", List.of(
        node("", "Relu", in("a"), "b")), List.of("a"), List.of("b"))).build();
    expect(withFunction, "model.ir-version", at("function local:f", "", ""));
  }

  @Test
  void irVersionTooLowForNodeOverloadAndMetadata() {
    Node relu = Node.builder("Relu").name("relu").inputs("x").outputs("y").metadata("k", "v").build();
    expect(model(graph(relu)).toBuilder().irVersion(9).build(), "model.ir-version",
        at("main", "'relu' (Relu)", "metadata_props"));
  }

  @Test
  void irVersion3NeedsInitializersAmongInputs() {
    Finding f = expect(valid().toBuilder().irVersion(3).build(), "model.ir-version", at("main", "", "initializer 'w'"));
    assertTrue(f.message().contains("not a graph input"), f.message());
  }

  @Test
  void noOpsetImportAtAll() {
    expect(valid().toBuilder().clearOpsets().build(), "model.opset-missing", at("", "", "opset_import"));
  }

  @Test
  void nodeOfADomainThatIsNotImported() {
    Node custom = Node.builder("Foo").name("foo").domain("com.example").inputs("x").outputs("y").build();
    expect(model(graph(custom)), "model.opset-missing", at("main", "'foo' (Foo)", "domain 'com.example'"));
    clean(model(graph(custom)).toBuilder().opset("com.example", 1).build(), RULES);
  }

  @Test
  void aiOnnxIsTheDefaultDomain() {
    Model m = valid().toBuilder().clearOpsets().opset("ai.onnx", 13).build();
    clean(m, RULES);
  }

  @Test
  void duplicateOpsetImport() {
    Model m = new Model(8, List.of(new OpsetImport("", 13), new OpsetImport("ai.onnx", 12)), "", "", "", 0, "",
        StructureFixtures.valid(), List.of(), List.of(), List.of());
    Finding f = expect(m, "model.opset-duplicate", at("", "", "opset_import 'ai.onnx'"));
    assertTrue(f.message().contains("13 and 12"), f.message());
  }

  @Test
  void validFunctionIsClean() {
    Model m = valid().toBuilder().irVersion(8).opset("local", 1)
        .function(function("f", List.of(node("", "Relu", in("a"), "b")), List.of("a"), List.of("b"))).build();
    clean(m, RULES);
  }

  @Test
  void functionOutputNotProduced() {
    Model m = valid().toBuilder().irVersion(8)
        .function(function("f", List.of(node("", "Relu", in("a"), "b")), List.of("a"), List.of("c"))).build();
    expect(m, "function.invalid", at("function local:f", "", "output 0 'c'"));
  }

  @Test
  void functionDefinedTwice() {
    Function f = function("f", List.of(node("", "Relu", in("a"), "b")), List.of("a"), List.of("b"));
    Model m = valid().toBuilder().irVersion(8).function(f).function(f).build();
    expect(m, "function.invalid", at("function local:f", "", ""));
  }

  @Test
  void functionBodyRefersToAnUndeclaredAttribute() {
    Node leaky = Node.builder("LeakyRelu").name("lr").inputs("a").outputs("b")
        .attribute(new Attribute.RefAttr("alpha", AttributeKind.FLOAT, "slope", "")).build();
    Model m = valid().toBuilder().irVersion(8)
        .function(function("f", List.of(leaky), List.of("a"), List.of("b"))).build();
    expect(m, "function.invalid", at("function local:f", "'lr' (LeakyRelu)", "attribute 'alpha'"));
  }

  @Test
  void recursiveFunction() {
    Node self = Node.builder("f").domain("local").name("again").inputs("a").outputs("b").build();
    Function fn = new Function("f", "local", "", List.of("a"), List.of("b"), List.of(), List.of(), List.of(self),
        "", List.of(new OpsetImport("", 13), new OpsetImport("local", 1)), List.of(), List.of());
    Model m = valid().toBuilder().irVersion(8).opset("local", 1).function(fn).build();
    Finding f = expect(m, "function.invalid", at("function local:f", "", ""));
    assertTrue(f.message().contains("recurse"), f.message());
  }

  @Test
  void functionBodiesFollowTheGraphRules() {
    Model m = valid().toBuilder().irVersion(8).function(function("f", List.of(
        node("n", "Add", in("a", "missing"), "b")), List.of("a"), List.of("b"))).build();
    expect(m, "graph.undefined-input", at("function local:f", "'n' (Add)", "input 1 'missing'"));
  }

  private static Function function(String name, List<Node> body, List<String> inputs, List<String> outputs) {
    return new Function(name, "local", "", inputs, outputs, List.of(), List.of(), body, "",
        List.of(new OpsetImport("", 13)), List.of(), List.of());
  }

  @Test
  void mainGraphInputsAndOutputsNeedATypeButNotAShape() {
    Graph untyped = StructureFixtures.valid().toBuilder().input(ValueInfo.untyped("extra")).build();
    Finding f = single(model(untyped), List.of(new UntypedValueRule()));
    assertEquals("graph.untyped-value", f.ruleId());
    assertTrue(f.message().contains("'extra'") && f.message().contains("no type"), f.message());
    Graph shapeless = StructureFixtures.valid().toBuilder()
        .input(ValueInfo.of("extra", Type.tensorOfUnknownRank(ElementType.FLOAT))).build();
    clean(model(shapeless), List.of(new UntypedValueRule()));
  }

  @Test
  void metadataKeysAreDistinct() {
    Model m = valid().toBuilder().metadata("author", "a").metadata("author", "b").build();
    Finding f = single(m, List.of(new MetadataDuplicateKeyRule()));
    assertEquals("model.metadata-duplicate-key", f.ruleId());
    clean(valid().toBuilder().metadata("author", "a").metadata("license", "b").build(), RULES);
  }
}
