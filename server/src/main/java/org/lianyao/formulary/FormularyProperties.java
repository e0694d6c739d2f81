package org.lianyao.formulary;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.lianyao.formulary.report.LinkageCoverage;
import org.lianyao.formulary.report.TwoSpecCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Formulary rules and reports ({@code lianyao.formulary.*}). The thresholds are policy (the Yubei
 * reply, 国卫药政发〔2024〕38号) and differ between provinces, so they are configuration, not code.
 *
 * @param coverage thresholds of {@code $coverage}
 * @param twoSpec what {@code $two-spec-check} counts
 * @param upload limits of catalog uploads to {@code $import-catalog}
 */
@ConfigurationProperties("lianyao.formulary")
public record FormularyProperties(
    @DefaultValue Coverage coverage,
    @DefaultValue TwoSpec twoSpec,
    @DefaultValue Upload upload) {

  /**
   * 衔接药品配备率 thresholds, in percent.
   *
   * @param leadThreshold rate the lead hospital and other non-grassroots members must reach (90)
   * @param grassrootsThreshold rate grassroots members (基层, institution-level property
   *     {@code grassroots}) must reach (60)
   * @param lowVarietyFactor grassroots members stocking fewer linkage drugs than this share of the
   *     grassroots average are flagged 品种偏少 (30)
   */
  public record Coverage(
      @DefaultValue("90") BigDecimal leadThreshold,
      @DefaultValue("60") BigDecimal grassrootsThreshold,
      @DefaultValue("30") BigDecimal lowVarietyFactor) {

    public LinkageCoverage.Rules rules() {
      return new LinkageCoverage.Rules(leadThreshold, grassrootsThreshold, lowVarietyFactor);
    }
  }

  /**
   * 一品两规 (处方管理办法 art. 16; exemptions 国卫药政发〔2024〕38号).
   *
   * @param maxPerRoute most product-specs per generic name, oral and injectable each (2)
   * @param oralDosageForms national dosage-form codes (CV08.50.002) counted as oral; sublingual (07),
   *     buccal (08) and ambiguous forms (溶液剂 23, 滴剂 29) are not, as their route is not oral by
   *     the form alone
   * @param injectableDosageForms codes counted as injectable: 粉针剂, 注射液, 注射溶媒, 输液剂
   * @param exemptChronicDiseaseGroups groups whose drugs are exempt: hypertension, diabetes, COPD
   */
  public record TwoSpec(
      @DefaultValue("2") int maxPerRoute,
      @DefaultValue({"01", "02", "03", "04", "05", "06", "11", "12", "14", "19", "20", "21", "22", "24", "27",
          "30", "31", "32", "33", "36", "53", "54", "55", "56", "70", "71"}) List<String> oralDosageForms,
      @DefaultValue({"15", "16", "17", "18"}) List<String> injectableDosageForms,
      @DefaultValue({"hypertension", "diabetes", "copd"}) List<String> exemptChronicDiseaseGroups) {

    public TwoSpecCheck.Rules rules() {
      return new TwoSpecCheck.Rules(maxPerRoute, Set.copyOf(oralDosageForms), Set.copyOf(injectableDosageForms),
          Set.copyOf(exemptChronicDiseaseGroups));
    }
  }

  /**
   * @param maxFileSize largest catalog file {@code $import-catalog} accepts (multipart or raw body)
   */
  public record Upload(@DefaultValue("20MB") DataSize maxFileSize) {}
}
