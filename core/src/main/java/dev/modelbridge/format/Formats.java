package dev.modelbridge.format;

import dev.modelbridge.UnsupportedModelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The model formats on the class path, found through {@link ServiceLoader}. */
public final class Formats {
  private final List<ModelFormat> formats;

  private Formats(List<ModelFormat> formats) {
    this.formats = List.copyOf(formats);
  }

  /** The formats registered on the class path of this class's loader. */
  public static Formats discover() {
    List<ModelFormat> found = new ArrayList<>();
    ServiceLoader.load(ModelFormat.class, Formats.class.getClassLoader()).forEach(found::add);
    return new Formats(found);
  }

  public static Formats of(ModelFormat... formats) {
    return new Formats(List.of(formats));
  }

  public List<ModelFormat> all() {
    return formats;
  }

  /** The format with the given id or alias, ignoring case. */
  public ModelFormat byId(String id) throws UnsupportedModelException {
    String key = id.toLowerCase(Locale.ROOT);
    for (ModelFormat f : formats) {
      if (f.id().equals(key) || f.aliases().contains(key)) {
        return f;
      }
    }
    throw new UnsupportedModelException(
        "unknown format '" + id + "' (known: " + ids() + ")");
  }

  /** The first readable format that recognises the file or folder. */
  public ModelFormat detect(Path path) throws UnsupportedModelException {
    for (ModelFormat f : formats) {
      if (f.canRead() && f.detect(path)) {
        return f;
      }
    }
    throw new UnsupportedModelException(
        "not a model file of a known format (known: " + ids() + ")");
  }

  private String ids() {
    return formats.stream().map(ModelFormat::id).collect(Collectors.joining(", "));
  }
}
