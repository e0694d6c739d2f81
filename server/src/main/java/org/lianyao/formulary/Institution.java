package org.lianyao.formulary;

/**
 * A consortium member institution as the coverage and two-spec reports show it.
 *
 * @param id logical id of the Organization
 * @param name its name
 * @param nhsaCode 医保定点医疗机构编码, or empty
 * @param levelCode {@code institution-level} code from Organization.type, or {@code null}
 * @param levelDisplay Chinese name of the level, or empty
 * @param grassroots the level's {@code grassroots} property (基层医疗机构); {@code null} when the level
 *     is unknown
 */
public record Institution(String id, String name, String nhsaCode, String levelCode, String levelDisplay,
    Boolean grassroots) {

  public String reference() {
    return "Organization/" + id;
  }

  public String label() {
    return name.isEmpty() ? reference() : name;
  }
}
