package dev.modelbridge.schema;

import java.util.List;

/** Opens {@link SchemaDiff} to the cross-checks of the generator package. */
public final class SchemaDiffAccess {
  private SchemaDiffAccess() {}

  public static List<String> diff(OpSchema ours, OpSchema theirs) {
    return SchemaDiff.diff(ours, theirs);
  }
}
