package org.lianyao.feed.catalog;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * File-name convention of the catalog inbox: a dropped file names its formulary version first,
 * e.g. {@code YGT-2025.xlsx}, {@code YGT-2025_第二次调整.xlsx} or {@code H50011200003-2025 目录.csv}.
 * The version is the formulary's identifier value in {@code http://lianyao.org/fhir/sid/formulary};
 * it ends at the first {@code _}, {@code .}, space or opening bracket.
 */
public final class CatalogFileNames {

  private static final Pattern END_OF_KEY = Pattern.compile("[_.\\s(\\[【〔]");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

  private CatalogFileNames() {}

  /** The formulary version a file is for, if its name starts with one. */
  public static Optional<String> formularyKey(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    String name = Normalizer.normalize(fileName, Normalizer.Form.NFKC).strip();
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    var m = END_OF_KEY.matcher(name);
    String key = m.find() ? name.substring(0, m.start()) : name;
    return KEY.matcher(key).matches() ? Optional.of(key) : Optional.empty();
  }

  /**
   * The name a processed file gets in the archive or error folder: a time stamp before the
   * extension ({@code YGT-2025.xlsx} → {@code YGT-2025.20250401-101500123.xlsx}), so the same file
   * dropped twice keeps both copies, and a copy dropped back into the inbox still names its version.
   */
  public static String stamped(String fileName, String stamp) {
    int dot = fileName.lastIndexOf('.');
    return dot <= 0 ? fileName + "." + stamp : fileName.substring(0, dot) + "." + stamp + fileName.substring(dot);
  }
}
