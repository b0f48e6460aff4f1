package dev.modelbridge.format;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary siblings of output files: {@code .<name>.<pid>-<random>.tmp}. Those of this process are
 * deleted by a shutdown hook when the JVM is stopped (Ctrl-C, SIGTERM) before they are committed;
 * those of a process that was killed outright are swept by the next output to the same name, since
 * the process id in the name tells that their writer is gone.
 */
final class TempFiles {
  private static final long PID = ProcessHandle.current().pid();
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteLive, "modelbridge-temp-cleanup"));
  }

  private TempFiles() {}

  /** Creates a new empty temporary sibling of {@code finalPath}, private to this process until committed. */
  static Path create(Path finalPath) throws IOException {
    return create(finalPath, false);
  }

  /** Creates a new empty temporary sibling folder of {@code finalPath}, for outputs that are folders. */
  static Path createFolder(Path finalPath) throws IOException {
    return create(finalPath, true);
  }

  private static Path create(Path finalPath, boolean folder) throws IOException {
    Path dir = finalPath.getParent();
    for (int attempt = 0; ; attempt++) {
      String name = "." + finalPath.getFileName() + "." + PID + "-"
          + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp";
      Path tmp = dir.resolve(name);
      try {
        if (folder) {
          Files.createDirectory(tmp);
        } else {
          Files.createFile(tmp);
        }
        LIVE.add(tmp);
        return tmp;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
      }
    }
  }

  /** The temporary file was renamed into place or deleted: the hook no longer owns it. */
  static void release(Path tmp) {
    LIVE.remove(tmp);
  }

  static void delete(Path tmp) throws IOException {
    try {
      deleteTree(tmp);
    } finally {
      LIVE.remove(tmp);
    }
  }

  /** Deletes temporaries for {@code finalPath} left by processes that no longer run. */
  static void sweepStale(Path finalPath) {
    Path dir = finalPath.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    Pattern p = Pattern.compile("\\." + Pattern.quote(finalPath.getFileName().toString()) + "\\.(\\d+)-[0-9a-z]+\\.tmp");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + finalPath.getFileName() + ".*.tmp")) {
      for (Path f : files) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
          deleteTree(f);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Sweeping is best effort: a stale temporary is hidden and harmless.
    }
  }

  /** Deletes a file, or a staged folder with everything in it (links are deleted, not followed). */
  static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
        for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    } else {
      Files.deleteIfExists(p);
    }
  }

  private static void deleteLive() {
    for (Path tmp : LIVE) {
      try {
        deleteTree(tmp);
      } catch (IOException e) {
        // Nothing more can be done while the JVM stops.
      }
    }
  }
}
