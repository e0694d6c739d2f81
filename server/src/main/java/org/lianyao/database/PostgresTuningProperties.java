package org.lianyao.database;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * PostgreSQL planner tuning the gateway applies at start ({@code lianyao.database.postgres.*}).
 *
 * @param statisticsTargets per-column statistics target ({@code table.column} → target, -1 meaning
 *     the server's {@code default_statistics_target}), set on HAPI's tables when different, followed
 *     by an {@code ANALYZE} of those columns. Default: HAPI's own tuning migration gives
 *     {@code hfj_res_link.src_resource_id} and {@code target_resource_id} a target of 10,000; as
 *     join keys their 10,000-value most-common-value lists are compared pair by pair while
 *     PostgreSQL plans a chained search (e.g. {@code MedicationRequest?patient.identifier=}), which
 *     took 5–15 ms of planning for a 0.3 ms query.
 * @param planCacheMode PostgreSQL's {@code plan_cache_mode} for the gateway's own connections
 *     ({@code auto}, {@code force_custom_plan}, {@code force_generic_plan}; blank: the server's).
 *     Default {@code force_custom_plan}: HAPI's searches compare hashes of the searched values, and a
 *     generic plan, which the JDBC driver's prepared statements get after a few executions, cannot
 *     tell a patient's identifier (one row) from {@code status=active} (most prescriptions): the
 *     prescription search by patient identifier ran 40 ms under the generic plan and 0.6 ms under a
 *     custom one.
 */
@ConfigurationProperties("lianyao.database.postgres")
public record PostgresTuningProperties(Map<String, Integer> statisticsTargets, String planCacheMode) {

  private static final Set<String> PLAN_CACHE_MODES = Set.of("auto", "force_custom_plan", "force_generic_plan");
  /** {@code table.column}, lower-case SQL identifiers: interpolated into ALTER TABLE, so nothing else. */
  private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}");

  public PostgresTuningProperties {
    statisticsTargets = statisticsTargets == null ? Map.of() : Map.copyOf(statisticsTargets);
    statisticsTargets.forEach((column, target) -> {
      if (!COLUMN.matcher(column).matches() || target == null || target < -1 || target > 10000) {
        throw new IllegalArgumentException("lianyao.database.postgres.statistics-targets: " + column + "=" + target
            + " is not table.column (lower case) with a target from -1 to 10000");
      }
    });
    planCacheMode = planCacheMode == null ? "" : planCacheMode.trim();
    if (!planCacheMode.isEmpty() && !PLAN_CACHE_MODES.contains(planCacheMode)) {
      throw new IllegalArgumentException("lianyao.database.postgres.plan-cache-mode: " + planCacheMode
          + " is not one of " + PLAN_CACHE_MODES);
    }
  }
}
