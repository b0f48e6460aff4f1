package dev.modelbridge.e2e.hostile;

import java.nio.file.Path;

/** A mutant not yet made: its kind, a name, and how to write it into an empty folder. */
record Candidate(String kind, String name, Maker maker) {

  /** Writes the mutant into {@code dir} and returns the path to give the CLI (file or folder). */
  interface Maker {
    Path make(Path dir) throws Exception;
  }
}
