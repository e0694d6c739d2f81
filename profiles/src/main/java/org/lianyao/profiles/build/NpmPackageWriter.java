package org.lianyao.profiles.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a FHIR NPM package (a gzipped tar with everything under {@code package/}, see
 * https://hl7.org/fhir/packages.html). Entries are sorted and carry a fixed time stamp, so the same
 * sources always give the same bytes.
 */
final class NpmPackageWriter {

  /** npm's own reproducible-pack time stamp. */
  private static final Date FIXED_MTIME = Date.from(Instant.parse("1985-10-26T08:15:00Z"));

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** path inside the archive (e.g. {@code package/Patient-x.json}) → content. */
  private final Map<String, byte[]> files = new TreeMap<>();
  /** folder (e.g. {@code package}, {@code package/example}) → .index.json entries. */
  private final Map<String, List<Map<String, Object>>> indexes = new TreeMap<>();

  void addJson(String path, Object value) {
    try {
      files.put(path, JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + path, e);
    }
  }

  /** Adds a resource file and its .index.json entry in the same folder. */
  void addResource(String folder, String fileName, String json, Map<String, Object> indexEntry) {
    String path = folder + "/" + fileName;
    if (files.put(path, json.getBytes(StandardCharsets.UTF_8)) != null) {
      throw new PackageBuildException("duplicate package file " + path);
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("filename", fileName);
    entry.putAll(indexEntry);
    indexes.computeIfAbsent(folder, f -> new ArrayList<>()).add(entry);
  }

  /** Writes the archive atomically: a half-written package must never land on the classpath. */
  void write(Path target) {
    for (Map.Entry<String, List<Map<String, Object>>> index : indexes.entrySet()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("index-version", 2);
      json.put("files", index.getValue());
      addJson(index.getKey() + "/.index.json", json);
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling(target.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        out.write(toBytes());
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private byte[] toBytes() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // java.util.zip writes a zero mtime in the gzip header: reproducible.
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        entry.setModTime(FIXED_MTIME);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return bytes.toByteArray();
  }
}
