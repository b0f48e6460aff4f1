package dev.modelbridge.tensorflow.export;

import java.util.TreeMap;

/**
 * Einsum on one or two operands through TensorFlow's Einsum op (which handles ellipses, repeated
 * labels as diagonals and summed-out labels); ONNX's implicit form (no {@code ->}) is made
 * explicit first, since the TensorFlow op wants the output labels written out.
 */
final class EinsumExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Einsum", 12, EinsumExport::einsum);
  }

  private static void einsum(ExportContext c) throws OpExportException {
    int n = c.inputCount();
    if (n < 1 || n > 2) {
      throw new OpExportException("Einsum of " + n + " operands is not converted (TensorFlow's Einsum takes 1 or 2)");
    }
    String equation = explicit(c.attrString("equation", "").replace(" ", ""));
    String[] sides = equation.split("->", -1);
    TfRef x = c.input(0);
    if (n == 1 && sides[0].equals(sides[1])) {
      c.bind(0, c.op("Identity", x));
      return;
    }
    TfGraph.Node node = c.g().op("Einsum", c.hint());
    for (int i = 0; i < n; i++) {
      node.input(c.input(i));
    }
    c.bind(0, node.attr("equation", equation).attr("N", (long) n).attr("T", x.dtype()).output(x.dtype()));
  }

  /**
   * {@code equation} with an output: in the implicit form the output is the labels used exactly
   * once, in alphabetical order, after the broadcast dimensions of any ellipsis.
   */
  static String explicit(String equation) throws OpExportException {
    if (equation.isEmpty()) {
      throw new OpExportException("the equation attribute is missing");
    }
    if (equation.contains("->")) {
      return equation;
    }
    TreeMap<Character, Integer> counts = new TreeMap<>();
    for (char ch : equation.replace("...", "").toCharArray()) {
      if (Character.isLetter(ch)) {
        counts.merge(ch, 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder(equation.contains("...") ? "..." : "");
    counts.forEach((ch, k) -> {
      if (k == 1) {
        out.append(ch);
      }
    });
    return equation + "->" + out;
  }
}
