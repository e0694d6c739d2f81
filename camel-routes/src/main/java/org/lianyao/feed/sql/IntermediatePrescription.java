package org.lianyao.feed.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One prescription read from a HIS intermediate database (中间库): a row of {@code his_prescription}
 * and its rows of {@code his_prescription_item}. Column names are lower-cased and values kept as
 * text exactly as the JDBC driver gave them (dates and times in ISO form), so that the JSON stored
 * in the message store is the input of a replay, byte for byte.
 *
 * @param header the prescription row
 * @param items its item rows, in {@code item_no} order
 */
public record IntermediatePrescription(Map<String, String> header, List<Map<String, String>> items) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public IntermediatePrescription {
    header = Map.copyOf(header);
    items = items.stream().map(Map::copyOf).toList();
  }

  /** From JDBC rows (any key case, any value type). */
  public static IntermediatePrescription of(Map<String, ?> header, List<? extends Map<String, ?>> items) {
    List<Map<String, String>> rows = new ArrayList<>();
    if (items != null) {
      for (Map<String, ?> item : items) {
        rows.add(normalise(item));
      }
    }
    return new IntermediatePrescription(normalise(header), rows);
  }

  private static Map<String, String> normalise(Map<String, ?> row) {
    Map<String, String> out = new LinkedHashMap<>();
    row.forEach((k, v) -> {
      String value = text(v);
      if (value != null) {
        out.put(k.toLowerCase(Locale.ROOT), value);
      }
    });
    return out;
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof BigDecimal b) {
      return b.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
    }
    String s = value.toString().strip();
    return s.isEmpty() ? null : s;
  }

  /** 处方编号 (prescription_no). */
  public String prescriptionNo() {
    return header.get("prescription_no");
  }

  /** updated_at as read (ISO local date-time). */
  public String updatedAtText() {
    return header.get("updated_at");
  }

  /** updated_at as a local date-time, or null when absent or unreadable. */
  public LocalDateTime updatedAt() {
    return dateTime(updatedAtText());
  }

  /**
   * The key of this version of the row: {@code prescription_no@updated_at}. A prescription changed
   * later (cancelled …) has a new {@code updated_at}, hence a new key, and is processed again.
   */
  public String key() {
    return prescriptionNo() + "@" + updatedAtText();
  }

  public byte[] toJson() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("header", header);
    doc.put("items", items);
    try {
      return JSON.writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static IntermediatePrescription fromJson(byte[] json) {
    try {
      Map<String, Object> doc = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      @SuppressWarnings("unchecked")
      Map<String, ?> header = (Map<String, ?>) Objects.requireNonNull(doc.get("header"), "header");
      @SuppressWarnings("unchecked")
      List<Map<String, ?>> items = (List<Map<String, ?>>) doc.getOrDefault("items", List.of());
      return of(header, items);
    } catch (IOException e) {
      throw new UncheckedIOException("stored intermediate-table row is not valid JSON", e);
    }
  }

  /** ISO date-time ({@code 2026-11-20T09:28}, {@code 2026-11-20 09:28:00}, with or without offset) or null. */
  static LocalDateTime dateTime(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip().replace(' ', 'T');
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay();
      }
      if (v.matches(".*([+-]\\d{2}:?\\d{2}|Z)$")) {
        return OffsetDateTime.parse(v).toLocalDateTime();
      }
      return LocalDateTime.parse(v);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
