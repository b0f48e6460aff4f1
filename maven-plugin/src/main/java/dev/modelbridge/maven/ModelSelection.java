package dev.modelbridge.maven;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * The model files to check under the configured folders. Without includes, every model the
 * formats recognise ({@link ModelBridge#findModels}); with includes, every file or folder that
 * matches one (so a model with an unusual name can be checked). Excludes apply to both.
 */
final class ModelSelection {
  private final List<PathMatcher> includes;
  private final List<PathMatcher> excludes;
  private final Log log;
  private final ModelBridge bridge = ModelBridge.create();

  ModelSelection(List<String> includes, List<String> excludes, Log log) {
    this.includes = matchers(includes);
    this.excludes = matchers(excludes);
    this.log = log;
  }

  /** The models under each root, in order; a root that does not exist is skipped. */
  List<Path> select(List<Path> roots) throws MojoExecutionException {
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        log.debug("ModelBridge: " + root + " does not exist, nothing to check there");
        continue;
      }
      List<Path> found = includes.isEmpty() ? models(root) : matching(root);
      found.stream().filter(p -> !matches(excludes, root, p)).forEach(out::add);
    }
    return out;
  }

  private List<Path> models(Path root) throws MojoExecutionException {
    try {
      return bridge.findModels(root);
    } catch (ModelException e) {
      throw new MojoExecutionException("cannot search " + root + " for models: " + e.getMessage(), e);
    }
  }

  private List<Path> matching(Path root) throws MojoExecutionException {
    if (!Files.isDirectory(root)) {
      return List.of(root);
    }
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          // A folder can be a model (a SavedModel): take it whole.
          if (!dir.equals(root) && matches(includes, root, dir)) {
            found.add(dir);
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (matches(includes, root, file)) {
            found.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new MojoExecutionException("cannot list " + root + ": " + e, e);
    }
    found.sort(null);
    return found;
  }

  private static boolean matches(List<PathMatcher> patterns, Path root, Path p) {
    if (patterns.isEmpty()) {
      return false;
    }
    Path rel = p.equals(root) ? p.getFileName() : root.relativize(p);
    return rel != null && patterns.stream().anyMatch(m -> m.matches(rel));
  }

  /**
   * Glob matchers. As in Ant and Maven, a leading {@code **}{@code /} also matches no folder at
   * all, which a Java glob does not do by itself.
   */
  private static List<PathMatcher> matchers(List<String> patterns) {
    List<PathMatcher> out = new ArrayList<>();
    if (patterns == null) {
      return out;
    }
    FileSystem fs = FileSystems.getDefault();
    for (String raw : patterns) {
      String p = raw.trim().replace('\\', '/');
      if (p.isEmpty()) {
        continue;
      }
      out.add(fs.getPathMatcher("glob:" + p));
      if (p.startsWith("**/")) {
        out.add(fs.getPathMatcher("glob:" + p.substring(3)));
      }
    }
    return out;
  }
}
