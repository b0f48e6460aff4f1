package dev.modelbridge.infer;

import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What is known of the values of one graph, with the graphs around it behind. */
final class Env {
  private final Env parent;
  private final Map<String, Type> types = new HashMap<>();
  private final Map<String, IntData> ints = new HashMap<>();
  private final Map<String, Tensor> constants = new HashMap<>();

  Env(Env parent) {
    this.parent = parent;
  }

  Optional<Type> type(String name) {
    for (Env e = this; e != null; e = e.parent) {
      Type t = e.types.get(name);
      if (t != null) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  Optional<IntData> ints(String name) {
    for (Env e = this; e != null; e = e.parent) {
      IntData d = e.ints.get(name);
      if (d != null) {
        return Optional.of(d);
      }
      if (e.types.containsKey(name)) {
        return Optional.empty(); // a nearer definition without known data
      }
    }
    return Optional.empty();
  }

  Optional<Tensor> constant(String name) {
    for (Env e = this; e != null; e = e.parent) {
      Tensor t = e.constants.get(name);
      if (t != null) {
        return Optional.of(t);
      }
      if (e.types.containsKey(name)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  void putType(String name, Optional<Type> type) {
    type.ifPresent(t -> types.put(name, t));
  }

  void putInts(String name, IntData data) {
    ints.put(name, data);
  }

  void putConstant(String name, Tensor t) {
    constants.put(name, t);
    if (t.rank() <= 1 && isIntegral(t)) {
      TensorValues.longs(t).ifPresent(v -> ints.put(name, new IntData(
          java.util.Arrays.stream(v).mapToObj(dev.modelbridge.ir.Dim::of).toList(), t.rank() == 0)));
    }
  }

  private static boolean isIntegral(Tensor t) {
    return switch (t.elementType()) {
      case INT64, INT32, INT16, INT8, UINT64, UINT32, UINT16, UINT8 -> true;
      default -> false;
    };
  }
}
