package dev.modelbridge.onnx;

import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.UnsafePathException;
import dev.modelbridge.ir.ExternalLocation;
import dev.modelbridge.ir.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves a tensor's external-data entries to a region of a file inside the model's folder.
 *
 * <p>A location taken from a model file is untrusted (compare CVE-2022-25882 and CVE-2024-27318):
 * absolute paths, {@code ..} segments and symbolic links that lead out of the folder are refused,
 * and so are offsets and lengths outside the file. The checks run before any byte is read, on the
 * canonical path, so a link cannot redirect the read after the check.
 *
 * <p>Hard links are not refused: a hard link has no "real path" elsewhere, every name of the file
 * is equally its own, and a link count above one is common and legitimate (deduplicating caches,
 * package stores). Making one requires write access to the model's folder and a file on the same
 * filesystem, so it cannot come from the model file itself; and only the declared range of the
 * file inside the folder is read.
 */
final class ExternalDataResolver {
  private final Path baseDir;
  private Path realBaseDir;

  /** @param baseDir the folder of the model file, or null when the model came without one */
  ExternalDataResolver(Path baseDir) {
    this.baseDir = baseDir;
  }

  TensorData.FileRegion resolve(ExternalLocation where, long expectedBytes) throws ModelException {
    String location = where.get("location").orElseThrow(
        () -> new InvalidModelException("external_data has no 'location' entry"));
    Path file = safeFile(location);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new ModelIOException("cannot read external data file '" + location + "'", e);
    }
    long offset = number(where, "offset", 0);
    long length = number(where, "length", -1);
    if (offset > size) {
      throw new UnsafePathException(
          "external data offset " + offset + " is past the end of '" + location + "' (" + size + " bytes)");
    }
    if (length < 0) {
      length = expectedBytes >= 0 ? expectedBytes : size - offset;
    }
    if (length > size - offset) {
      throw new UnsafePathException("external data range " + offset + "+" + length
          + " runs past the end of '" + location + "' (" + size + " bytes)");
    }
    if (expectedBytes >= 0 && length != expectedBytes) {
      throw new InvalidModelException("external data length " + length
          + " does not match the " + expectedBytes + " bytes the dims and data type call for");
    }
    return new TensorData.FileRegion(file, offset, length, Optional.of(where));
  }

  private Path safeFile(String location) throws ModelException {
    if (baseDir == null) {
      throw new UnsafePathException(
          "external data '" + location + "' cannot be resolved: the model was not read from a file");
    }
    if (location.isEmpty() || location.indexOf('\0') >= 0) {
      throw new UnsafePathException("external data location is empty or contains a NUL byte");
    }
    String unixy = location.replace('\\', '/');
    if (unixy.startsWith("/") || unixy.matches("^[A-Za-z]:.*") || unixy.startsWith("~")) {
      throw new UnsafePathException(
          "external data location '" + location + "' is absolute; it must be relative to the model's folder");
    }
    for (String segment : unixy.split("/")) {
      if (segment.equals("..")) {
        throw new UnsafePathException(
            "external data location '" + location + "' climbs out of the model's folder with '..'");
      }
    }
    Path candidate = baseDir.resolve(unixy).normalize();
    if (!candidate.startsWith(baseDir)) {
      throw new UnsafePathException(
          "external data location '" + location + "' leads outside the model's folder");
    }
    try {
      if (realBaseDir == null) {
        realBaseDir = baseDir.toRealPath();
      }
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        throw new ModelIOException("external data file '" + location + "' does not exist in " + baseDir);
      }
      Path real = candidate.toRealPath();
      if (!real.startsWith(realBaseDir)) {
        throw new UnsafePathException("external data location '" + location
            + "' is a symbolic link that leads outside the model's folder");
      }
      if (!Files.isRegularFile(real)) {
        throw new UnsafePathException("external data location '" + location + "' is not a regular file");
      }
      return real;
    } catch (IOException e) {
      throw new ModelIOException("cannot resolve external data location '" + location + "'", e);
    }
  }

  private static long number(ExternalLocation where, String key, long absent) throws InvalidModelException {
    Optional<String> v = where.get(key);
    if (v.isEmpty()) {
      return absent;
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n < 0) {
        throw new InvalidModelException("external data " + key + " is negative: " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidModelException("external data " + key + " is not a number: '" + v.get() + "'");
    }
  }
}
