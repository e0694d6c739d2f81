package org.lianyao.formulary.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.FormularyVersion;
import org.lianyao.formulary.Institution;

/**
 * 衔接药品配备率: how many of a consortium version's linkage drugs (衔接药品, {@code linkage-drug = true})
 * each member institution stocks in its member formulary, against the threshold of its level —
 * the check the Yubei reply describes (lead unit ≥ 90 %, grassroots ≥ 60 %, and grassroots units
 * stocking fewer than 30 % of the grassroots average flagged as 品种偏少 low-variety).
 *
 * <p>Pure: the caller loads the version's items and every member's items once; counting happens
 * here in memory.
 */
public final class LinkageCoverage {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * Thresholds, in percent.
   *
   * @param leadThreshold rate a non-grassroots institution (the lead hospital, other hospitals) must reach
   * @param grassrootsThreshold rate a grassroots institution (基层) must reach
   * @param lowVarietyFactor a grassroots institution stocking fewer linkage drugs than this share of
   *     the grassroots average is flagged low-variety
   */
  public record Rules(BigDecimal leadThreshold, BigDecimal grassrootsThreshold, BigDecimal lowVarietyFactor) {
    public Rules {
      Objects.requireNonNull(leadThreshold, "leadThreshold");
      Objects.requireNonNull(grassrootsThreshold, "grassrootsThreshold");
      Objects.requireNonNull(lowVarietyFactor, "lowVarietyFactor");
    }
  }

  /** One member institution and the member formulary it stocks from (none: stocks nothing listed). */
  public record Member(Institution institution, FormularyVersion formulary, List<FormularyEntry> items) {
    public Member {
      Objects.requireNonNull(institution, "institution");
      items = items == null ? List.of() : items;
    }
  }

  /**
   * One institution's result.
   *
   * @param linkageItems linkage drugs in the consortium version (the denominator)
   * @param stocked linkage drugs the member formulary lists (the numerator)
   * @param rate stocked / linkageItems in percent, two decimals; {@code null} without linkage drugs
   * @param threshold the threshold of the institution's level; {@code null} when the level is unknown
   * @param pass rate ≥ threshold; {@code null} when it cannot be judged (unknown level, no linkage drugs)
   * @param lowVariety a grassroots institution below the low-variety cut-off
   * @param missing the linkage drugs it does not stock, in version order
   */
  public record InstitutionResult(Institution institution, FormularyVersion formulary, int linkageItems,
      int stocked, BigDecimal rate, BigDecimal threshold, Boolean pass, boolean lowVariety,
      List<FormularyEntry> missing) {}

  /**
   * @param grassrootsAverage mean linkage drugs stocked by the grassroots institutions, two decimals
   *     ({@code null} when there is none)
   * @param lowVarietyCutoff grassrootsAverage × lowVarietyFactor
   */
  public record Result(FormularyVersion version, List<InstitutionResult> institutions, int linkageItems,
      BigDecimal grassrootsAverage, BigDecimal lowVarietyCutoff, Rules rules) {

    public long passed() {
      return institutions.stream().filter(r -> Boolean.TRUE.equals(r.pass())).count();
    }

    public long failed() {
      return institutions.stream().filter(r -> Boolean.FALSE.equals(r.pass())).count();
    }

    public long lowVariety() {
      return institutions.stream().filter(InstitutionResult::lowVariety).count();
    }
  }

  private LinkageCoverage() {}

  public static Result compute(FormularyVersion version, Collection<FormularyEntry> versionItems,
      Collection<Member> members, Rules rules) {
    List<FormularyEntry> linkage = versionItems.stream()
        .filter(FormularyEntry::active)
        .filter(i -> Boolean.TRUE.equals(i.linkageDrug()))
        .sorted(Comparator.comparing(FormularyEntry::itemId))
        .toList();
    ProductMatcher matcher = new ProductMatcher(linkage);

    record Counted(Member member, Set<String> stockedItemIds) {}
    List<Counted> counted = new ArrayList<>();
    for (Member member : members) {
      Set<String> stocked = new HashSet<>();
      for (FormularyEntry item : member.items()) {
        if (item.active()) {
          matcher.match(item).ifPresent(m -> stocked.add(m.itemId()));
        }
      }
      counted.add(new Counted(member, stocked));
    }

    List<Counted> grassroots = counted.stream()
        .filter(c -> Boolean.TRUE.equals(c.member().institution().grassroots())).toList();
    BigDecimal average = grassroots.isEmpty() ? null
        : BigDecimal.valueOf(grassroots.stream().mapToInt(c -> c.stockedItemIds().size()).sum())
            .divide(BigDecimal.valueOf(grassroots.size()), 2, RoundingMode.HALF_UP);
    BigDecimal cutoff = average == null ? null
        : average.multiply(rules.lowVarietyFactor()).divide(HUNDRED, 2, RoundingMode.HALF_UP);

    List<InstitutionResult> results = new ArrayList<>();
    for (Counted c : counted) {
      Institution inst = c.member().institution();
      int stocked = c.stockedItemIds().size();
      BigDecimal rate = linkage.isEmpty() ? null
          : BigDecimal.valueOf(stocked).multiply(HUNDRED).divide(BigDecimal.valueOf(linkage.size()), 2, RoundingMode.HALF_UP);
      BigDecimal threshold = inst.grassroots() == null ? null
          : inst.grassroots() ? rules.grassrootsThreshold() : rules.leadThreshold();
      Boolean pass = rate == null || threshold == null ? null : rate.compareTo(threshold) >= 0;
      boolean low = Boolean.TRUE.equals(inst.grassroots()) && cutoff != null
          && BigDecimal.valueOf(stocked).compareTo(cutoff) < 0;
      List<FormularyEntry> missing = linkage.stream().filter(i -> !c.stockedItemIds().contains(i.itemId())).toList();
      results.add(new InstitutionResult(inst, c.member().formulary(), linkage.size(), stocked, rate, threshold,
          pass, low, missing));
    }
    results.sort(Comparator.comparing((InstitutionResult r) -> r.institution().nhsaCode())
        .thenComparing(r -> r.institution().id()));
    return new Result(version, List.copyOf(results), linkage.size(), average, cutoff, rules);
  }
}
