package dev.modelbridge.validate.rules.tensor;

import static dev.modelbridge.validate.RuleTester.at;
import static dev.modelbridge.validate.RuleTester.clean;
import static dev.modelbridge.validate.RuleTester.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.ir.ValueInfo;
import dev.modelbridge.validate.Finding;
import dev.modelbridge.validate.Location;
import dev.modelbridge.validate.Rule;
import dev.modelbridge.validate.rules.TensorRules;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tensor rules on initializers, Constant values and sparse initializers. */
class TensorRulesTest {
  private static final List<Rule> RULES = TensorRules.all();
  private static final Location W = at("main", "", "initializer 'w'");

  /** A model whose only tensor is initializer {@code w}, added to x. */
  private static Model withInitializer(Tensor w) {
    Type t = Type.tensor(ElementType.FLOAT, 2);
    Graph g = Graph.builder("main").input(ValueInfo.of("x", t)).initializer(w)
        .node(Node.builder("Add").name("add").inputs("x", w.name()).outputs("y").build())
        .output(ValueInfo.of("y", t)).build();
    return GraphBuilder.model(g, 13);
  }

  private static Tensor raw(String name, ElementType type, long[] dims, int bytes) {
    return Tensor.of(name, type, dims, ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN));
  }

  private static Finding expect(Model m, String rule, Location where) {
    Finding f = single(m, RULES);
    assertEquals(rule, f.ruleId(), f::toString);
    assertEquals(where, f.location(), f::toString);
    return f;
  }

  @Test
  void wellSizedTensorsAreClean() {
    clean(withInitializer(Tensor.ofFloats("w", new long[] {2}, 1f, 2f)), RULES);
    clean(withInitializer(raw("w", ElementType.INT4, new long[] {3}, 2)), RULES); // 3 nibbles: 2 bytes
    clean(withInitializer(raw("w", ElementType.UINT2, new long[] {5}, 2)), RULES);
    clean(withInitializer(raw("w", ElementType.FLOAT, new long[] {0, 3}, 0)), RULES);
    clean(withInitializer(Tensor.ofStrings("w", new long[] {2}, List.of(Bytes.utf8("a"), Bytes.utf8("")))), RULES);
  }

  @Test
  void rawDataTooShort() {
    Finding f = expect(withInitializer(raw("w", ElementType.FLOAT, new long[] {3}, 8)), "tensor.data-size", W);
    assertTrue(f.message().contains("8 bytes") && f.message().contains("12 bytes"), f.message());
  }

  @Test
  void packedFourBitDataTooLong() {
    expect(withInitializer(raw("w", ElementType.UINT4, new long[] {4}, 3)), "tensor.data-size", W);
  }

  @Test
  void stringCountMismatch() {
    Finding f = expect(withInitializer(Tensor.ofStrings("w", new long[] {3}, List.of(Bytes.utf8("a")))),
        "tensor.data-size", W);
    assertTrue(f.message().contains("holds 1 string;") && f.message().contains("3"), f.message());
  }

  @Test
  void undefinedElementType() {
    expect(withInitializer(raw("w", ElementType.UNDEFINED, new long[] {1}, 4)), "tensor.data-size", W);
  }

  @Test
  void negativeDimIsReportedOnceUnderItsOwnRule() {
    Finding f = expect(withInitializer(raw("w", ElementType.FLOAT, new long[] {2, -1}, 0)), "tensor.negative-dim", W);
    assertTrue(f.message().contains("dimension 1 is -1"), f.message());
  }

  @Test
  void constantValuesAreTensorsToo() {
    GraphBuilder g = GraphBuilder.named("main");
    g.output(g.op("Constant").name("c").attr(Attribute.of("value", raw("", ElementType.INT64, new long[] {2}, 4)))
        .output("y"));
    expect(GraphBuilder.model(g.build(), 13), "tensor.data-size", at("main", "'c' (Constant)", "attribute 'value'"));
  }

  @Test
  void nanAndInfinityInEveryScannedFloatType() {
    Finding f = expect(withInitializer(Tensor.ofFloats("w", new long[] {3}, 1f, Float.NaN, Float.NEGATIVE_INFINITY)),
        "tensor.nan-inf", W);
    assertTrue(f.message().contains("1 NaN and 1 infinite value") && f.message().contains("element 1"), f.message());
    assertEquals("tensor.nan-inf", single(withInitializer(shorts("w", ElementType.FLOAT16, 0x3C00, 0x7C00)), RULES).ruleId());
    assertEquals("tensor.nan-inf", single(withInitializer(shorts("w", ElementType.BFLOAT16, 0x7FC1)), RULES).ruleId());
    ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, Double.NaN);
    assertEquals("tensor.nan-inf", single(withInitializer(Tensor.of("w", ElementType.DOUBLE, new long[] {1}, d)),
        RULES).ruleId());
    // Largest finite values are not special.
    clean(withInitializer(shorts("w", ElementType.FLOAT16, 0x7BFF, 0xFBFF)), RULES);
    clean(withInitializer(Tensor.ofFloats("w", new long[] {1}, Float.MAX_VALUE)), RULES);
  }

  @Test
  void validSparseInitializer() {
    clean(withSparse(sparse(new long[] {2}, new long[] {1, 4}, List.of(5L))), RULES);
    clean(withSparse(sparse(new long[] {2}, new long[] {0, 1, 1, 0}, List.of(2L, 2L)) /* [2,2] coords */), RULES);
  }

  @Test
  void sparseIndicesOutOfRangeOrOrder() {
    Location s = at("main", "", "sparse initializer 's'");
    assertTrue(expect(withSparse(sparse(new long[] {2}, new long[] {1, 5}, List.of(5L))), "tensor.data-size", s)
        .message().contains("outside [0, 5)"));
    assertTrue(expect(withSparse(sparse(new long[] {2}, new long[] {3, 1}, List.of(5L))), "tensor.data-size", s)
        .message().contains("order"));
    expect(withSparse(sparse(new long[] {3}, new long[] {1, 4}, List.of(5L))), "tensor.data-size", s);
    expect(withSparse(sparse(new long[] {2}, new long[] {1, 4}, List.of(-5L))), "tensor.negative-dim", s);
  }

  private static Tensor shorts(String name, ElementType type, int... bits) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : bits) {
      b.putShort((short) v);
    }
    return Tensor.of(name, type, new long[] {bits.length}, b.flip());
  }

  /** A sparse float tensor; {@code valueDims[0]} values of 1.0, coordinates when indices are 2 per value. */
  private static SparseTensor sparse(long[] valueDims, long[] indices, List<Long> dense) {
    float[] ones = new float[(int) valueDims[0]];
    java.util.Arrays.fill(ones, 1f);
    long nnz = indices.length / Math.max(1, dense.size() > 1 ? dense.size() : 1);
    long[] idims = dense.size() > 1 ? new long[] {nnz, dense.size()} : new long[] {indices.length};
    return new SparseTensor(Tensor.ofFloats("s", valueDims, ones), Tensor.ofInt64s("", idims, indices), dense);
  }

  private static Model withSparse(SparseTensor s) {
    Type t = Type.tensor(ElementType.FLOAT, 2);
    Graph g = Graph.builder("main").input(ValueInfo.of("x", t)).sparseInitializer(s)
        .node(Node.builder("Relu").name("relu").inputs("x").outputs("y").build())
        .output(ValueInfo.of("y", t)).build();
    return GraphBuilder.model(g, 13);
  }
}
