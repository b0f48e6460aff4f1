package dev.modelbridge.infer;

import dev.modelbridge.ir.Dim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Einsum: the output shape from the equation, for explicit and implicit outputs and ellipses. */
final class Einsum {
  private Einsum() {}

  static void infer(NodeContext c) {
    String eq = c.attrString("equation", "").replace(" ", "");
    String[] sides = eq.split("->", -1);
    String[] terms = sides[0].split(",", -1);
    if (terms.length != c.inputCount()) {
      c.output(0, c.elem(0), java.util.Optional.empty());
      return;
    }
    Map<Character, Dim> letters = new HashMap<>();
    Map<Character, Integer> counts = new TreeMap<>();
    List<Dim> ellipsis = null;
    for (int i = 0; i < terms.length; i++) {
      Optional<List<Dim>> dims = c.dims(i);
      String term = terms[i];
      int letterCount = term.replace("...", "").length();
      if (dims.isEmpty()) {
        if (term.contains("...")) {
          c.output(0, c.elem(0), java.util.Optional.empty());
          return;
        }
        for (char ch : term.toCharArray()) {
          letters.putIfAbsent(ch, Dim.unknown());
          counts.merge(ch, 1, Integer::sum);
        }
        continue;
      }
      int ellRank = dims.get().size() - letterCount;
      int pos = 0;
      for (int k = 0; k < term.length(); k++) {
        if (term.startsWith("...", k)) {
          List<Dim> e = dims.get().subList(pos, pos + ellRank);
          ellipsis = ellipsis == null || ellipsis.size() < e.size() ? new ArrayList<>(e) : ellipsis;
          pos += ellRank;
          k += 2;
          continue;
        }
        char ch = term.charAt(k);
        Dim d = dims.get().get(pos++);
        letters.merge(ch, d, (a, b) -> Dims.isFixed(a, 1) ? b : Dims.isFixed(b, 1) ? a : Types.unify(a, b));
        counts.merge(ch, 1, Integer::sum);
      }
    }
    String out;
    if (sides.length == 2) {
      out = sides[1];
    } else {
      StringBuilder b = new StringBuilder(ellipsis != null ? "..." : "");
      counts.forEach((ch, n) -> {
        if (n == 1) {
          b.append(ch);
        }
      });
      out = b.toString();
    }
    List<Dim> dims = new ArrayList<>();
    for (int k = 0; k < out.length(); k++) {
      if (out.startsWith("...", k)) {
        if (ellipsis != null) {
          dims.addAll(ellipsis);
        }
        k += 2;
        continue;
      }
      dims.add(letters.getOrDefault(out.charAt(k), Dim.unknown()));
    }
    c.output(0, c.elem(0), dims);
  }
}
