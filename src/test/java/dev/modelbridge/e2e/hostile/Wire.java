package dev.modelbridge.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Protobuf wire-format surgery on raw bytes: field boundaries, length prefixes, hand-made nesting. */
final class Wire {
  private Wire() {}

  /** One field: where it starts, where its length prefix starts (-1 unless length-delimited), payload, end. */
  record Field(int number, int start, int lengthAt, int payload, int end) {}

  /** The fields between {@code from} and {@code to}, or null when the bytes are not a message. */
  static List<Field> fields(byte[] b, int from, int to) {
    List<Field> out = new ArrayList<>();
    int p = from;
    while (p < to) {
      long[] tag = varint(b, p, to);
      if (tag == null || tag[0] >>> 3 == 0) {
        return null;
      }
      int start = p;
      p = (int) tag[1];
      int wire = (int) (tag[0] & 7);
      int lengthAt = -1;
      int payload = p;
      switch (wire) {
        case 0 -> {
          long[] v = varint(b, p, to);
          if (v == null) {
            return null;
          }
          p = (int) v[1];
        }
        case 1 -> p += 8;
        case 5 -> p += 4;
        case 2 -> {
          long[] len = varint(b, p, to);
          if (len == null || len[0] < 0 || len[1] + len[0] > to) {
            return null;
          }
          lengthAt = p;
          payload = (int) len[1];
          p = (int) (len[1] + len[0]);
        }
        default -> {
          return null;
        }
      }
      if (p > to) {
        return null;
      }
      out.add(new Field((int) (tag[0] >>> 3), start, lengthAt, payload, p));
    }
    return out;
  }

  /** Every field of the message and of messages nested in it down to {@code depth} levels. */
  static List<Field> allFields(byte[] b, int depth) {
    List<Field> out = new ArrayList<>();
    collect(b, 0, b.length, depth, out);
    return out;
  }

  private static void collect(byte[] b, int from, int to, int depth, List<Field> out) {
    List<Field> fs = fields(b, from, to);
    if (fs == null) {
      return;
    }
    for (Field f : fs) {
      out.add(f);
      if (depth > 0 && f.lengthAt() >= 0 && f.end() > f.payload()) {
        collect(b, f.payload(), f.end(), depth - 1, out);
      }
    }
  }

  /** The value of a varint at {@code p} and the offset after it, or null. */
  static long[] varint(byte[] b, int p, int to) {
    long v = 0;
    for (int shift = 0; shift < 64 && p < to; shift += 7) {
      int x = b[p++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return new long[] {v, p};
      }
    }
    return null;
  }

  static byte[] encodeVarint(long v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
    return o.toByteArray();
  }

  /** {@code b} with the length prefix of {@code f} replaced by {@code length}. */
  static byte[] withLength(byte[] b, Field f, long length) {
    byte[] v = encodeVarint(length);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(b, 0, f.lengthAt());
    o.writeBytes(v);
    o.write(b, f.payload(), b.length - f.payload());
    return o.toByteArray();
  }

  /** A length-delimited field {@code number} holding {@code payload}. */
  static byte[] lengthDelimited(int number, byte[] payload) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(encodeVarint((long) number << 3 | 2));
    o.writeBytes(encodeVarint(payload.length));
    o.writeBytes(payload);
    return o.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] truncate(byte[] b, int length) {
    return Arrays.copyOf(b, length);
  }
}
