package dev.modelbridge.tensorflow.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * The output arguments of TensorFlow's ops, which a FunctionDef body names its node outputs by
 * ({@code node:output_arg:index}, not the flat {@code node:index} of a GraphDef). Read from
 * {@code tf-op-outputs.txt}, generated from TensorFlow's op registry by a test; ops missing from it
 * have the one output argument {@code output}, as most ops do.
 */
final class TfOutputArgs {
  /** One output argument: its name and the attribute holding its length when it is a list. */
  record Arg(String name, String numberAttr, String typeListAttr) {
    int count(Map<String, AttrValue> attrs) {
      if (!numberAttr.isEmpty()) {
        AttrValue n = attrs.get(numberAttr);
        return n == null ? 1 : (int) n.getI();
      }
      if (!typeListAttr.isEmpty()) {
        AttrValue l = attrs.get(typeListAttr);
        return l == null ? 1 : l.getList().getTypeCount();
      }
      return 1;
    }
  }

  static final String DEFAULT = "output";
  private static final Map<String, List<Arg>> BY_OP = load();

  private TfOutputArgs() {}

  /** The FunctionDef name of flat output {@code index} of {@code node}: {@code node:arg:i}. */
  static String functionRef(NodeDef node, int index) {
    List<Arg> args = BY_OP.get(node.getOp());
    if (args == null) {
      return node.getName() + ":" + DEFAULT + ":" + index;
    }
    int offset = 0;
    for (Arg a : args) {
      int n = a.count(node.getAttrMap());
      if (index < offset + n) {
        return node.getName() + ":" + a.name() + ":" + (index - offset);
      }
      offset += n;
    }
    throw new IllegalArgumentException("op " + node.getOp() + " of node '" + node.getName() + "' has no output " + index);
  }

  /** Lines {@code Op arg arg*N=attr arg*L=attr}; a bare {@code Op} has no outputs. */
  private static Map<String, List<Arg>> load() {
    Map<String, List<Arg>> out = new HashMap<>();
    try (InputStream in = TfOutputArgs.class.getResourceAsStream("tf-op-outputs.txt")) {
      if (in == null) {
        throw new IllegalStateException("tf-op-outputs.txt is missing from the class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        Arg[] args = new Arg[f.length - 1];
        for (int i = 1; i < f.length; i++) {
          args[i - 1] = parse(f[i]);
        }
        out.put(f[0], List.of(args));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Arg parse(String s) {
    int star = s.indexOf('*');
    if (star < 0) {
      return new Arg(s, "", "");
    }
    String name = s.substring(0, star);
    String attr = s.substring(star + 3);
    return s.charAt(star + 1) == 'N' ? new Arg(name, attr, "") : new Arg(name, "", attr);
  }

  /** The line of one op, as the generator writes it; null for the default single {@code output}. */
  static String line(org.tensorflow.proto.OpDef op) {
    List<org.tensorflow.proto.OpDef.ArgDef> args = op.getOutputArgList();
    if (args.size() == 1 && args.get(0).getName().equals(DEFAULT)) {
      return null;
    }
    StringBuilder b = new StringBuilder(op.getName());
    for (org.tensorflow.proto.OpDef.ArgDef a : args) {
      b.append(' ').append(a.getName());
      if (!a.getNumberAttr().isEmpty()) {
        b.append("*N=").append(a.getNumberAttr());
      } else if (!a.getTypeListAttr().isEmpty()) {
        b.append("*L=").append(a.getTypeListAttr());
      }
    }
    return b.toString();
  }
}
