package dev.modelbridge.ir;

/** Small helpers for the IR's string fields, where absent and empty mean the same. */
final class Strings {
  private Strings() {}

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
