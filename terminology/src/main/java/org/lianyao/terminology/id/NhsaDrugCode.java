package org.lianyao.terminology.id;

/**
 * A parsed 国家医保药品分类与代码 (NHSA drug code). The segment split follows
 * {@link NhsaDrugCodeValidator#SEGMENT_LENGTHS}, which is unconfirmed beyond the first four segments.
 *
 * @param value the whole code
 * @param type {@code X} western medicine, {@code Z} Chinese patent medicine
 * @param classification 5 characters; for western medicines the ATC level-4 group, e.g. {@code A10BA}
 * @param genericNameCode 通用名代码, 4 characters, e.g. {@code E021}
 * @param dosageFormCode 剂型代码, 4 characters, e.g. {@code A010}
 * @param remainder the rest (9 characters; 6 in the provincial 20-character variant): spec/package
 *     and enterprise, split unconfirmed
 * @param provincialVariant true for the 20-character form found in some provincial copies
 */
public record NhsaDrugCode(
    String value, char type, String classification, String genericNameCode, String dosageFormCode,
    String remainder, boolean provincialVariant) {

  public boolean isWesternMedicine() {
    return type == 'X';
  }

  public boolean isChinesePatentMedicine() {
    return type == 'Z';
  }

  /**
   * The part that identifies one generic drug in one dosage form across manufacturers
   * (type + classification + generic name + dosage form), used to group 一品两规 candidates.
   */
  public String genericFormKey() {
    return value.substring(0, 14);
  }
}
