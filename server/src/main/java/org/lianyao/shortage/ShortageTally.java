package org.lianyao.shortage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts shortage registrations per drug across the consortium and marks the drugs registered at
 * least {@code threshold} times as candidates for next year's catalog. Pure.
 */
public final class ShortageTally {

  /**
   * One registration.
   *
   * @param drugKey what identifies the drug: {@code Medication/12}, else a national code
   *     {@code system|code}, else {@code text:通用名}
   * @param drugLabel how people name the drug
   * @param medicationReference {@code Medication/12}, or {@code null} for an inline drug
   * @param institution who registered it ({@code Organization/3})
   */
  public record Registration(String drugKey, String drugLabel, String medicationReference, String institution) {}

  /**
   * One drug in the report.
   *
   * @param registrations how often it was registered
   * @param institutions by how many institutions
   * @param candidate registrations ≥ threshold
   */
  public record Row(String drugKey, String drugLabel, String medicationReference, int registrations,
      int institutions, boolean candidate) {}

  private ShortageTally() {}

  /** Rows by registrations (descending), then by drug label. */
  public static List<Row> tally(List<Registration> registrations, int threshold) {
    Map<String, List<Registration>> byDrug = new LinkedHashMap<>();
    for (Registration r : registrations) {
      byDrug.computeIfAbsent(r.drugKey(), k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<Registration>> e : byDrug.entrySet()) {
      List<Registration> list = e.getValue();
      Set<String> institutions = new HashSet<>();
      list.forEach(r -> institutions.add(r.institution()));
      Registration first = list.get(0);
      rows.add(new Row(e.getKey(), first.drugLabel(), first.medicationReference(), list.size(),
          institutions.size(), list.size() >= threshold));
    }
    rows.sort(Comparator.comparingInt(Row::registrations).reversed()
        .thenComparing(Row::drugLabel, Comparator.nullsLast(Comparator.naturalOrder())));
    return rows;
  }
}
