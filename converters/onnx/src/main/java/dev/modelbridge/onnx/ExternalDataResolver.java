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
 * <p>A hard link has no other "real path" to check, and an archive unpacked into the folder can
 * plant one to a file outside it (the classic tar hard-link escape). A data file with more than
 * one link is therefore refused unless the reader is told hard links are expected (format option
 * {@value #ALLOW_HARD_LINKS}, for deduplicating caches and package stores).
 */
final class ExternalDataResolver {
  /** Format option that accepts external data files with more than one hard link. */
  static final String ALLOW_HARD_LINKS = "allowHardLinks";

  private final Path baseDir;
  private final boolean allowHardLinks;
  private Path realBaseDir;

  /** @param baseDir the folder of the model file, or null when the model came without one */
  ExternalDataResolver(Path baseDir) {
    this(baseDir, false);
  }

  ExternalDataResolver(Path baseDir, boolean allowHardLinks) {
    this.baseDir = baseDir;
    this.allowHardLinks = allowHardLinks;
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
      if (!allowHardLinks && linkCount(real) > 1) {
        throw new UnsafePathException("external data location '" + location + "' is a file with "
            + linkCount(real) + " hard links, which may be a file from outside the model's folder"
            + " (read with the format option " + ALLOW_HARD_LINKS + "=true if the links are expected)");
      }
      return real;
    } catch (IOException e) {
      throw new ModelIOException("cannot resolve external data location '" + location + "'", e);
    }
  }

  private static int linkCount(Path file) throws IOException {
    try {
      return (Integer) Files.getAttribute(file, "unix:nlink");
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      return 1;
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
