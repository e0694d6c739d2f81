package org.lianyao.prescription;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rule parameters of shared, extended (延伸处方) and long-term (长期处方) prescriptions
 * ({@code lianyao.prescription.*}). The defaults follow {@code shared/docs/domain-reference.md}
 * (处方管理办法, 长期处方管理规范（试行）国卫办医发〔2021〕17号) and issue #7; local policy may differ, so
 * every number and code list is configuration, never a literal in the rules.
 *
 * @param zone time zone in which "today", days supply and days remaining are counted
 * @param extend rules of {@code MedicationRequest/$extend}
 * @param longTerm rules enforced on every long-term prescription written
 * @param sharing patient refusal (拒绝共享) and emergency override (break-glass)
 * @param sharedView {@code Patient/$shared-prescriptions}
 * @param formularyCacheTtl how long a member formulary (what an institution stocks) is cached; any
 *     formulary write on this node clears the cache at once
 * @param formularyFallbackToLatest when no member formulary of an institution covers today, use its
 *     most recent one that has started (a new year's formulary is often published late)
 */
@ConfigurationProperties("lianyao.prescription")
public record PrescriptionProperties(
    @DefaultValue("Asia/Shanghai") ZoneId zone,
    @DefaultValue Extend extend,
    @DefaultValue LongTerm longTerm,
    @DefaultValue Sharing sharing,
    @DefaultValue SharedView sharedView,
    @DefaultValue("60s") Duration formularyCacheTtl,
    @DefaultValue("true") boolean formularyFallbackToLatest) {

  /**
   * @param maxOriginalAgeDays the original must have been written at most this many days ago
   * @param graceDays the original's supply period plus this many days is the window in which it may
   *     still be extended (处方管理办法: a prescription's validity may be extended by at most 3 days)
   * @param maxDays longest days supply of an ordinary extended prescription (4 weeks)
   * @param excludedControlClasses drug-control-class codes that are never extended (麻醉、精神、医疗用毒性、
   *     放射性药品、药品类易制毒化学品)
   * @param excludedCategories prescription-category codes of originals that are never extended
   * @param numberPrefix prefix of the prescription numbers the gateway generates for extended
   *     prescriptions when the caller gives none ({@code YS20261123…})
   */
  public record Extend(
      @DefaultValue("90") int maxOriginalAgeDays,
      @DefaultValue("3") int graceDays,
      @DefaultValue("28") int maxDays,
      @DefaultValue({"narcotic", "psychotropic-1", "psychotropic-2", "toxic", "radioactive", "precursor"})
      List<String> excludedControlClasses,
      @DefaultValue({"narcotic", "psychotropic-1", "psychotropic-2"}) List<String> excludedCategories,
      @DefaultValue("YS") String numberPrefix) {}

  /**
   * @param maxDays longest days supply of a long-term prescription (12 weeks)
   * @param evaluationRequiredAboveDays above this days supply a documented evaluation
   *     ({@code long-term-prescription-evaluation}) is required (4 weeks)
   * @param excludedControlClasses drug-control-class codes not allowed on a long-term prescription
   * @param excludedCategories prescription-category codes that cannot be combined with long-term
   * @param antimicrobialExemptIcd10Prefixes ICD-10 code prefixes of chronic infections (tuberculosis)
   *     for which antimicrobials are allowed on a long-term prescription
   */
  public record LongTerm(
      @DefaultValue("84") int maxDays,
      @DefaultValue("28") int evaluationRequiredAboveDays,
      @DefaultValue({"narcotic", "psychotropic-1", "psychotropic-2", "toxic", "radioactive", "precursor",
          "antimicrobial", "special-storage"}) List<String> excludedControlClasses,
      @DefaultValue({"narcotic", "psychotropic-1", "psychotropic-2", "emergency"}) List<String> excludedCategories,
      @DefaultValue({"A15", "A16", "A17", "A18", "A19"}) List<String> antimicrobialExemptIcd10Prefixes) {}

  /**
   * @param breakGlassHeader request header that carries the reason of an emergency read of a patient
   *     who refused sharing (percent-encoded UTF-8 for Chinese text)
   * @param refusalRefreshInterval how often the set of patients with an active refusal is re-read
   *     from the database (other nodes' writes); writes on this node take effect at once
   */
  public record Sharing(
      @DefaultValue("X-Break-Glass") String breakGlassHeader,
      @DefaultValue("5s") Duration refusalRefreshInterval) {}

  /** @param maxResults most prescriptions one shared view returns (newest first) */
  public record SharedView(@DefaultValue("200") int maxResults) {}
}
