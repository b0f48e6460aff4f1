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
 *
 * <p>A format whose output is a folder (a SavedModel) stages the whole folder instead through
 * {@link #openFolder()}: it is written under a temporary sibling folder and renamed into place on
 * commit, with the same guarantees (no partial output, an earlier output intact until the commit,
 * replacing one only when overwriting is allowed).
 */
public final class StagedOutput implements AutoCloseable {
  private final Path target;
  private final boolean overwrite;
  private final Map<Path, Path> staged = new LinkedHashMap<>();
  private final java.util.Set<Path> protectedFiles = new java.util.HashSet<>();
  private Path stagedFolder;
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

  /**
   * Stages the target as a folder: returns an empty temporary sibling folder to write into, which
   * {@link #commit()} renames to the target. Exclusive with {@link #openMain()} and
   * {@link #openSibling}.
   */
  public Path openFolder() throws ModelIOException, OutputExistsException {
    if (protectedFiles.contains(target)) {
      throw new ModelIOException("the output " + target + " would replace an input file; choose another output path");
    }
    checkFree(target);
    if (stagedFolder != null || !staged.isEmpty()) {
      throw new IllegalStateException(target + " is already being written");
    }
    if (Files.isRegularFile(target)) {
      throw new ModelIOException("the output " + target + " is a file, but this format writes a folder; choose another output path");
    }
    try {
      Files.createDirectories(target.getParent());
      TempFiles.sweepStale(target);
      stagedFolder = TempFiles.createFolder(target);
      return stagedFolder;
    } catch (IOException e) {
      throw new ModelIOException("cannot create " + target, e);
    }
  }

  private FileChannel open(Path finalPath) throws ModelIOException, OutputExistsException {
    if (isProtected(finalPath)) {
      throw new ModelIOException("the output " + finalPath + " would replace an input file; choose another output path");
    }
    checkFree(finalPath);
    if (staged.containsKey(finalPath) || stagedFolder != null) {
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

  /** The final paths written so far, main file last; for a staged folder, the files in it. */
  public List<Path> files() {
    if (stagedFolder != null) {
      return folderFiles();
    }
    List<Path> out = new ArrayList<>(staged.keySet());
    if (out.remove(target)) {
      out.add(target);
    }
    return out;
  }

  private List<Path> folderFiles() {
    Path root = committed ? target : stagedFolder;
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().map(f -> target.resolve(root.relativize(f))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves every staged file into place, side files first and the main file last. */
  public void commit() throws ModelIOException {
    if (stagedFolder != null) {
      commitFolder();
      return;
    }
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

  /**
   * Renames the staged folder into place. A folder cannot be renamed over a non-empty one, so an
   * earlier output is first renamed aside, then deleted once the new one is in place (and put back
   * if the rename fails).
   */
  private void commitFolder() throws ModelIOException {
    Path old = null;
    if (!overwrite && Files.exists(target)) {
      throw new ModelIOException("the output " + target + " appeared while it was being written; use --force to replace it");
    }
    try {
      if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        old = TempFiles.createFolder(target);
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(stagedFolder, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
          TempFiles.release(old);
          old = null;
        }
        throw e;
      }
      TempFiles.release(stagedFolder);
      committed = true;
    } catch (IOException e) {
      throw new ModelIOException("cannot move output into place at " + target, e);
    } finally {
      if (old != null) {
        try {
          TempFiles.delete(old);
        } catch (IOException e) {
          // The new output is in place; the hidden old one is swept by the next write.
        }
      }
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
    if (stagedFolder != null) {
      try {
        TempFiles.delete(stagedFolder);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
