package org.lianyao.formulary.report;

/**
 * Chinese display names of the coded values reports show (insurance class 甲/乙/丙, chronic-disease
 * groups, institution levels). The server answers from the terminology module's code systems.
 */
public interface Labels {

  String insuranceClass(String code);

  String chronicDiseaseGroup(String code);

  String institutionLevel(String code);

  /** 是 / 否 / 未说明 (a flag the catalog left empty). */
  static String yesNo(Boolean value) {
    return value == null ? "未说明" : value ? "是" : "否";
  }

  /** Codes as they are: for tests that compare codes, not names. */
  Labels CODES = new Labels() {
    @Override
    public String insuranceClass(String code) {
      return code;
    }

    @Override
    public String chronicDiseaseGroup(String code) {
      return code;
    }

    @Override
    public String institutionLevel(String code) {
      return code;
    }
  };
}
