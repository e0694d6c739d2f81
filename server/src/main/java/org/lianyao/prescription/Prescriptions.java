package org.lianyao.prescription;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.lianyao.prescription.rules.DrugFacts;
import org.lianyao.prescription.rules.PrescriptionFacts;
import org.lianyao.prescription.rules.SupplyPeriod;
import org.lianyao.terminology.IdentifierSystems;

/** Reading prescriptions (MedicationRequest) into the rules' terms. Pure. */
public final class Prescriptions {

  private Prescriptions() {}

  /**
   * @param firstDispense when the drug was first handed over, or {@code null}: the supply starts
   *     then, else on the day the prescription was written
   */
  public static PrescriptionFacts facts(MedicationRequest mr, DrugFacts drug, boolean foreign, Date firstDispense,
      ZoneId zone) {
    LocalDate authored = mr.hasAuthoredOn() ? LocalDate.ofInstant(mr.getAuthoredOn().toInstant(), zone) : null;
    LocalDate start = firstDispense != null ? LocalDate.ofInstant(firstDispense.toInstant(), zone) : authored;
    Integer days = PrescriptionWriteInterceptor.daysSupply(mr);
    SupplyPeriod supply = start != null && days != null && days >= 0 ? new SupplyPeriod(start, days) : null;
    return new PrescriptionFacts(mr.getStatus() == null ? "unknown" : mr.getStatus().toCode(),
        PrescriptionWriteInterceptor.categories(mr), authored, supply, drug, foreign,
        PrescriptionWriteInterceptor.diagnosisCodes(mr));
  }

  /** The prescription number (处方编号): the identifier in a prescription-number system. */
  public static Identifier number(MedicationRequest mr) {
    for (Identifier i : mr.getIdentifier()) {
      if (i.getSystem() != null && i.getSystem().startsWith(IdentifierSystems.PRESCRIPTION_NUMBER_BASE)) {
        return i;
      }
    }
    return null;
  }
}
