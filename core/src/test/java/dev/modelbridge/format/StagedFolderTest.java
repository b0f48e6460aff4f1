package dev.modelbridge.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.OutputExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder output (a SavedModel) is staged under a hidden sibling and renamed into place on commit. */
class StagedFolderTest {

  private static void writeModel(Path folder, String content) throws Exception {
    Files.writeString(folder.resolve("saved_model.pb"), content);
    Files.createDirectories(folder.resolve("variables"));
    Files.writeString(folder.resolve("variables/variables.index"), content);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void commitRenamesTheFolderIntoPlace(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("model");
    try (StagedOutput out = new StagedOutput(target, false)) {
      Path staging = out.openFolder();
      writeModel(staging, "one");
      assertFalse(Files.exists(target), "nothing at the target before commit");
      out.commit();
      assertEquals(List.of(target.resolve("saved_model.pb"), target.resolve("variables/variables.index")), out.files());
    }
    assertEquals("one", Files.readString(target.resolve("variables/variables.index")));
    assertEquals(List.of("model"), names(dir));
  }

  @Test
  void withoutCommitNothingIsLeftAndTheEarlierOutputIsIntact(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("model");
    Files.createDirectories(target);
    writeModel(target, "old");
    try (StagedOutput out = new StagedOutput(target, true)) {
      writeModel(out.openFolder(), "new");
    }
    assertEquals("old", Files.readString(target.resolve("saved_model.pb")));
    assertEquals(List.of("model"), names(dir));
  }

  @Test
  void replacingNeedsOverwriteAndThenReplacesTheWholeFolder(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("model");
    Files.createDirectories(target);
    writeModel(target, "old");
    Files.writeString(target.resolve("stale.txt"), "x");
    assertThrows(OutputExistsException.class, () -> new StagedOutput(target, false));
    try (StagedOutput out = new StagedOutput(target, true)) {
      writeModel(out.openFolder(), "new");
      out.commit();
    }
    assertEquals("new", Files.readString(target.resolve("saved_model.pb")));
    assertFalse(Files.exists(target.resolve("stale.txt")));
    assertEquals(List.of("model"), names(dir));
  }

  @Test
  void aFolderOutputOverAFileIsRefused(@TempDir Path dir) throws Exception {
    Path target = Files.writeString(dir.resolve("model"), "a file");
    try (StagedOutput out = new StagedOutput(target, true)) {
      assertThrows(dev.modelbridge.ModelIOException.class, out::openFolder);
    }
    assertTrue(Files.isRegularFile(target));
  }
}
