package dev.modelbridge.ir;

/**
 * One dimension of a shape: a fixed size, a symbolic name, or unknown. Each may carry a
 * denotation (such as {@code DATA_BATCH}); an empty string means none.
 */
public sealed interface Dim {

  /** Standard semantic label of the dimension, or the empty string. */
  String denotation();

  /** A dimension of known size. */
  record Fixed(long size, String denotation) implements Dim {
    public Fixed {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return Long.toString(size);
    }
  }

  /** A dimension named by a symbol, such as {@code batch}; equal names mean equal sizes. */
  record Symbolic(String name, String denotation) implements Dim {
    public Symbolic {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A dimension about which nothing is known. */
  record Unknown(String denotation) implements Dim {
    public Unknown {
      denotation = Strings.orEmpty(denotation);
    }

    @Override
    public String toString() {
      return "?";
    }
  }

  static Dim of(long size) {
    return new Fixed(size, "");
  }

  static Dim of(String symbol) {
    return new Symbolic(symbol, "");
  }

  static Dim unknown() {
    return new Unknown("");
  }
}
