package dev.modelbridge.format;

import dev.modelbridge.ModelIOException;
import dev.modelbridge.OutputExistsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one output, written to temporary siblings and renamed into place together on
 * {@link #commit()}. The main file is renamed last, so a reader never sees it without its side
 * files; closing without commit deletes the temporaries and leaves earlier outputs untouched. If
 * the JVM is stopped midway, a shutdown hook deletes them; if it is killed outright, the next
 * output to the same path sweeps them (see {@link TempFiles}).
 */
public final class StagedOutput implements AutoCloseable {
  private final Path target;
  private final boolean overwrite;
  private final Map<Path, Path> staged = new LinkedHashMap<>();
  private final java.util.Set<Path> protectedFiles = new java.util.HashSet<>();
  private boolean committed;

  public StagedOutput(Path target, boolean overwrite) throws OutputExistsException {
    this.target = target.toAbsolutePath().normalize();
    this.overwrite = overwrite;
    checkFree(this.target);
  }

  /**
   * Marks files that must not be replaced, such as the input model and its external data: opening
   * an output at one of them fails.
   */
  public StagedOutput protect(java.util.Collection<Path> files) {
    for (Path p : files) {
      protectedFiles.add(p.toAbsolutePath().normalize());
    }
    return this;
  }

  /** Whether writing {@code finalPath} would replace a protected file, by name or through a link. */
  private boolean isProtected(Path finalPath) {
    if (protectedFiles.contains(finalPath)) {
      return true;
    }
    if (!Files.exists(finalPath)) {
      return false;
    }
    for (Path p : protectedFiles) {
      try {
        if (Files.exists(p) && Files.isSameFile(p, finalPath)) {
          return true;
        }
      } catch (IOException e) {
        return true; // When in doubt, do not replace what may be an input.
      }
    }
    return false;
  }

  /** The final path of the main output file. */
  public Path target() {
    return target;
  }

  /** The final name of the main output file. */
  public String targetName() {
    return target.getFileName().toString();
  }

  /** Opens the main output file for writing. */
  public FileChannel openMain() throws ModelIOException, OutputExistsException {
    return open(target);
  }

  /**
   * Opens a side file next to the main file. {@code fileName} must be a plain file name, so that
   * nothing is ever written outside the output folder.
   */
  public FileChannel openSibling(String fileName) throws ModelIOException, OutputExistsException {
    if (fileName.isEmpty()
        || fileName.contains("/")
        || fileName.contains("\\")
        || fileName.equals(".")
        || fileName.equals("..")) {
      throw new IllegalArgumentException("not a plain file name: " + fileName);
    }
    return open(target.resolveSibling(fileName));
  }

  private FileChannel open(Path finalPath) throws ModelIOException, OutputExistsException {
    if (isProtected(finalPath)) {
      throw new ModelIOException("the output " + finalPath + " would replace an input file; choose another output path");
    }
    checkFree(finalPath);
    if (staged.containsKey(finalPath)) {
      throw new IllegalStateException(finalPath + " is already being written");
    }
    try {
      Path dir = finalPath.getParent();
      Files.createDirectories(dir);
      TempFiles.sweepStale(finalPath);
      Path tmp = TempFiles.create(finalPath);
      staged.put(finalPath, tmp);
      shareLikeAnOrdinaryFile(tmp, finalPath);
      return FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new ModelIOException("cannot create " + finalPath, e);
    }
  }

  /**
   * Temporary files are created private (0600); the output should get the permissions of the file
   * it replaces, or those of an ordinary new file (0644).
   */
  private static void shareLikeAnOrdinaryFile(Path tmp, Path finalPath) throws IOException {
    if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(finalPath)
        ? Files.getPosixFilePermissions(finalPath)
        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  private void checkFree(Path finalPath) throws OutputExistsException {
    if (!overwrite && Files.exists(finalPath)) {
      throw new OutputExistsException(finalPath);
    }
  }

  /** The final paths written so far, main file last. */
  public List<Path> files() {
    List<Path> out = new ArrayList<>(staged.keySet());
    if (out.remove(target)) {
      out.add(target);
    }
    return out;
  }

  /** Moves every staged file into place, side files first and the main file last. */
  public void commit() throws ModelIOException {
    try {
      for (Path finalPath : files()) {
        Path tmp = staged.get(finalPath);
        move(tmp, finalPath);
        TempFiles.release(tmp);
      }
      committed = true;
    } catch (IOException e) {
      throw new ModelIOException("cannot move output into place at " + target, e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes temporaries that were not committed. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    for (Path tmp : staged.values()) {
      try {
        TempFiles.delete(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
