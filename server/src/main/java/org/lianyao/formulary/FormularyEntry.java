package org.lianyao.formulary;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One formulary item (Basic) with the product it names: the unit every formulary report counts.
 *
 * @param itemId logical id of the Basic
 * @param formularyId logical id of its InsurancePlan ({@code formulary-reference})
 * @param medicationId logical id of its Medication ({@code subject}), or {@code null}
 * @param itemKey its {@code formulary-item} identifier value ({@code YGT-2025|<product key>}), or {@code null}
 * @param vbp 集采, {@code null} when not stated
 * @param vbpBatch 集采批次, or empty
 * @param essentialMedicine 基药, {@code null} when not stated
 * @param insuranceClass 医保类别 code ({@code A}/{@code B}/{@code C}), or {@code null}
 * @param chronicDiseaseGroups 慢病病种 codes
 * @param twoSpecExempt 一品两规豁免, {@code null} when not stated
 * @param linkageDrug 衔接药品, {@code null} when not stated
 * @param changeType formulary-change type code ({@code introduce}/{@code remove}/{@code change}), or {@code null}
 * @param changeEffective formulary-change effective date, or {@code null}
 * @param changeReason formulary-change reason, or empty
 * @param product the Medication, or {@code null} when it is unknown
 */
public record FormularyEntry(String itemId, String formularyId, String medicationId, String itemKey,
    Boolean vbp, String vbpBatch, Boolean essentialMedicine, String insuranceClass,
    List<String> chronicDiseaseGroups, Boolean twoSpecExempt, Boolean linkageDrug, String changeType,
    LocalDate changeEffective, String changeReason, Product product) {

  /** Change type of an item the version removes (调出): it records the removal, it is not listed. */
  public static final String REMOVE = "remove";

  public FormularyEntry {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(formularyId, "formularyId");
    vbpBatch = Objects.requireNonNullElse(vbpBatch, "");
    chronicDiseaseGroups = chronicDiseaseGroups == null ? List.of() : List.copyOf(chronicDiseaseGroups);
    changeReason = Objects.requireNonNullElse(changeReason, "");
  }

  /** Listed in its version: every item except the removal records (调出). */
  public boolean active() {
    return !REMOVE.equals(changeType);
  }

  public FormularyEntry withProduct(Product p) {
    return new FormularyEntry(itemId, formularyId, medicationId, itemKey, vbp, vbpBatch, essentialMedicine,
        insuranceClass, chronicDiseaseGroups, twoSpecExempt, linkageDrug, changeType, changeEffective,
        changeReason, p);
  }

  /** The product key part of the item key ({@code YGT-2025|<product key>} → {@code <product key>}). */
  public String productKey() {
    if (itemKey == null) {
      return null;
    }
    int bar = itemKey.indexOf('|');
    return bar < 0 ? null : itemKey.substring(bar + 1);
  }

  public String label() {
    return product != null ? product.label() : "Basic/" + itemId;
  }
}
