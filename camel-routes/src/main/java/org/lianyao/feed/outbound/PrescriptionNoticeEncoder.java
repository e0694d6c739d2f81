package org.lianyao.feed.outbound;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.group.RDE_O11_ORDER;
import ca.uhn.hl7v2.model.v251.message.RDE_O11;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.RXE;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.lianyao.feed.hl7.ControlIdGenerator;
import org.lianyao.feed.hl7.Hl7Charsets;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Encodes a {@link PrescriptionNotice} as an HL7 v2.5.1 RDE^O11 for the target institution's HIS —
 * the message type member HIS already read for prescriptions. Layout (also in
 * {@code camel-routes/docs/feeds.md}):
 *
 * <ul>
 *   <li>MSH-3/4 {@code LIANYAO}, MSH-5 {@code HIS}, MSH-6 the target institution, MSH-18 the
 *       channel's charset ({@code GB 18030-2000} or {@code UNICODE UTF-8});</li>
 *   <li>PID: resident ID (CX-5 {@code NNCHN}), name, birth date, sex;</li>
 *   <li>ORC-1: {@code NW} extension created, {@code XO} changed, {@code CA} cancelled, {@code DC}
 *       stopped; ORC-2 the changed prescription's number ^ its institution; ORC-3 the Lianyao id
 *       ({@code MedicationRequest/123} ^ {@code LIANYAO}); for an extension ORC-8 the original's
 *       number &amp; the original institution (subcomponents of EIP-1); ORC-9 authoredOn; ORC-12 prescriber (display); ORC-16
 *       status reason; ORC-21 the prescribing institution;</li>
 *   <li>RXE-2 drug (NHSA code, else local code ^ name), RXE-3/5 dose, RXE-10/11 quantity,
 *       RXE-32 authoredOn; NTE-3 a Chinese explanation for the HIS user.</li>
 * </ul>
 */
public final class PrescriptionNoticeEncoder {

  private static final DateTimeFormatter DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

  private final HapiContext context;
  private final PipeParser parser;
  private final ControlIdGenerator controlIds;
  private final ZoneId zone;
  private final String sendingFacility;

  /**
   * @param controlIdNode node prefix of the MSH-10 control ids
   * @param sendingFacility MSH-3/MSH-4 of the notices (the gateway)
   */
  public PrescriptionNoticeEncoder(String controlIdNode, String sendingFacility) {
    this.context = new DefaultHapiContext();
    context.setValidationContext(ValidationContextFactory.noValidation());
    context.getParserConfiguration().setValidating(false);
    this.parser = context.getPipeParser();
    this.controlIds = new ControlIdGenerator(controlIdNode);
    this.zone = ZoneId.of("Asia/Shanghai");
    this.sendingFacility = Objects.requireNonNull(sendingFacility, "sendingFacility");
  }

  /** An encoded notice. */
  public record Encoded(String controlId, String text, byte[] bytes, Charset charset) {}

  /** ORC-1 of the notice. */
  static String orderControl(PrescriptionNotice notice) {
    MedicationRequest.MedicationRequestStatus status = notice.request().getStatus();
    if (status == MedicationRequest.MedicationRequestStatus.CANCELLED
        || status == MedicationRequest.MedicationRequestStatus.ENTEREDINERROR) {
      return "CA";
    }
    if (status == MedicationRequest.MedicationRequestStatus.STOPPED) {
      return "DC";
    }
    return notice.created() ? "NW" : "XO";
  }

  public Encoded encode(PrescriptionNotice notice, Charset charset) {
    String controlId = controlIds.getID();
    try {
      RDE_O11 rde = new RDE_O11();
      MSH msh = rde.getMSH();
      msh.getMsh1_FieldSeparator().setValue("|");
      msh.getMsh2_EncodingCharacters().setValue("^~\\&");
      msh.getMsh3_SendingApplication().getHd1_NamespaceID().setValue("LIANYAO");
      msh.getMsh4_SendingFacility().getHd1_NamespaceID().setValue(sendingFacility);
      msh.getMsh5_ReceivingApplication().getHd1_NamespaceID().setValue("HIS");
      msh.getMsh6_ReceivingFacility().getHd1_NamespaceID().setValue(notice.targetInstitution());
      msh.getMsh7_DateTimeOfMessage().getTs1_Time().setValue(ZonedDateTime.now(zone).format(DTM));
      msh.getMsh9_MessageType().getMsg1_MessageCode().setValue("RDE");
      msh.getMsh9_MessageType().getMsg2_TriggerEvent().setValue("O11");
      msh.getMsh9_MessageType().getMsg3_MessageStructure().setValue("RDE_O11");
      msh.getMsh10_MessageControlID().setValue(controlId);
      msh.getMsh11_ProcessingID().getPt1_ProcessingID().setValue("P");
      msh.getMsh12_VersionID().getVid1_VersionID().setValue("2.5.1");
      msh.getMsh18_CharacterSet(0).setValue(Hl7Charsets.isGbFamily(charset) ? "GB 18030-2000" : "UNICODE UTF-8");

      patient(rde.getPATIENT().getPID(), notice.patient());
      MedicationRequest mr = notice.request();
      RDE_O11_ORDER order = rde.getORDER(0);
      ORC orc = order.getORC();
      orc.getOrc1_OrderControl().setValue(orderControl(notice));
      Identifier number = prescriptionNumber(mr);
      if (number != null) {
        orc.getOrc2_PlacerOrderNumber().getEi1_EntityIdentifier().setValue(number.getValue());
        orc.getOrc2_PlacerOrderNumber().getEi2_NamespaceID().setValue(issuer(number));
      }
      orc.getOrc3_FillerOrderNumber().getEi1_EntityIdentifier()
          .setValue(mr.getIdElement().toUnqualifiedVersionless().getValue());
      orc.getOrc3_FillerOrderNumber().getEi2_NamespaceID().setValue("LIANYAO");
      if (notice.original() != null) {
        orc.getOrc8_Parent().getEip1_PlacerAssignedIdentifier().getEi1_EntityIdentifier()
            .setValue(notice.original().getValue());
        orc.getOrc8_Parent().getEip1_PlacerAssignedIdentifier().getEi2_NamespaceID()
            .setValue(issuer(notice.original()));
      }
      if (mr.hasAuthoredOn()) {
        orc.getOrc9_DateTimeOfTransaction().getTs1_Time().setValue(dtm(mr.getAuthoredOn()));
        order.getRXE().getRxe32_OriginalOrderDateTime().getTs1_Time().setValue(dtm(mr.getAuthoredOn()));
      }
      if (mr.getRequester().hasDisplay()) {
        orc.getOrc12_OrderingProvider(0).getXcn2_FamilyName().getFn1_Surname().setValue(mr.getRequester().getDisplay());
      }
      if (mr.getStatusReason().hasText()) {
        orc.getOrc16_OrderControlCodeReason().getCe2_Text().setValue(mr.getStatusReason().getText());
      }
      if (notice.prescribingInstitution() != null) {
        orc.getOrc21_OrderingFacilityName(0).getXon10_OrganizationIdentifier().setValue(notice.prescribingInstitution());
      }
      drug(order.getRXE(), mr);
      order.getNTE(0).getNte1_SetIDNTE().setValue("1");
      order.getNTE(0).getNte3_Comment(0).setValue(explanation(notice, number));
      String text;
      synchronized (parser) {
        text = parser.encode(rde);
      }
      return new Encoded(controlId, text, text.getBytes(charset), charset);
    } catch (HL7Exception e) {
      throw new IllegalStateException("prescription notice could not be encoded", e);
    }
  }

  private static String explanation(PrescriptionNotice notice, Identifier number) {
    String no = number == null ? "" : number.getValue();
    String status = switch (orderControl(notice)) {
      case "CA" -> "已作废";
      case "DC" -> "已停止";
      case "NW" -> "已开具";
      default -> "已修改";
    };
    if (notice.kind() == PrescriptionNotice.Kind.EXTENSION) {
      String original = notice.original() == null ? "" : "贵院处方 " + notice.original().getValue() + " 的";
      return "联药通知：" + notice.prescribingInstitution() + " " + status + original + "延伸处方 " + no;
    }
    return "联药通知：原处方 " + no + "（" + notice.prescribingInstitution() + "）" + status
        + "，贵院据此开具的延伸处方请复核";
  }

  private void patient(PID pid, Patient patient) throws HL7Exception {
    pid.getPid1_SetIDPID().setValue("1");
    if (patient == null) {
      return;
    }
    int rep = 0;
    for (Identifier id : patient.getIdentifier()) {
      if (IdentifierSystems.RESIDENT_ID.equals(id.getSystem())) {
        CX cx = pid.getPid3_PatientIdentifierList(rep++);
        cx.getCx1_IDNumber().setValue(id.getValue());
        cx.getCx5_IdentifierTypeCode().setValue("NNCHN");
      }
    }
    if (rep == 0 && patient.getIdElement().hasIdPart()) {
      CX cx = pid.getPid3_PatientIdentifierList(0);
      cx.getCx1_IDNumber().setValue(patient.getIdElement().getIdPart());
      cx.getCx4_AssigningAuthority().getHd1_NamespaceID().setValue("LIANYAO");
      cx.getCx5_IdentifierTypeCode().setValue("PI");
    }
    HumanName name = patient.getNameFirstRep();
    String text = name.hasText() ? name.getText() : name.getNameAsSingleString();
    if (text != null && !text.isBlank()) {
      pid.getPid5_PatientName(0).getXpn1_FamilyName().getFn1_Surname().setValue(text);
    }
    if (patient.hasBirthDate()) {
      pid.getPid7_DateTimeOfBirth().getTs1_Time().setValue(patient.getBirthDateElement().getValueAsString().replace("-", ""));
    }
    if (patient.hasGender()) {
      pid.getPid8_AdministrativeSex().setValue(switch (patient.getGender()) {
        case MALE -> "M";
        case FEMALE -> "F";
        case OTHER -> "O";
        default -> "U";
      });
    }
  }

  private static void drug(RXE rxe, MedicationRequest mr) throws HL7Exception {
    CodeableConcept code = medicationCode(mr).orElse(null);
    if (code != null) {
      Coding nhsa = code.getCoding().stream()
          .filter(c -> IdentifierSystems.NHSA_DRUG_CODE.equals(c.getSystem())).findFirst().orElse(null);
      Coding chosen = nhsa != null ? nhsa : code.getCodingFirstRep();
      if (chosen.hasCode()) {
        rxe.getRxe2_GiveCode().getCe1_Identifier().setValue(chosen.getCode());
        rxe.getRxe2_GiveCode().getCe3_NameOfCodingSystem().setValue(nhsa != null ? "NHSA" : "L");
      }
      String name = code.hasText() ? code.getText() : chosen.getDisplay();
      rxe.getRxe2_GiveCode().getCe2_Text().setValue(name);
    }
    Dosage dosage = mr.getDosageInstructionFirstRep();
    if (dosage.hasDoseAndRate() && dosage.getDoseAndRateFirstRep().hasDoseQuantity()) {
      Quantity dose = dosage.getDoseAndRateFirstRep().getDoseQuantity();
      rxe.getRxe3_GiveAmountMinimum().setValue(dose.getValue().toPlainString());
      rxe.getRxe5_GiveUnits().getCe1_Identifier().setValue(dose.hasCode() ? dose.getCode() : dose.getUnit());
      rxe.getRxe5_GiveUnits().getCe2_Text().setValue(dose.getUnit());
    }
    Quantity quantity = mr.getDispenseRequest().getQuantity();
    if (quantity.hasValue()) {
      rxe.getRxe10_DispenseAmount().setValue(quantity.getValue().toPlainString());
      rxe.getRxe11_DispenseUnits().getCe1_Identifier().setValue(quantity.getUnit());
      rxe.getRxe11_DispenseUnits().getCe2_Text().setValue(quantity.getUnit());
    }
  }

  private static Optional<CodeableConcept> medicationCode(MedicationRequest mr) {
    if (mr.hasMedicationCodeableConcept()) {
      return Optional.of(mr.getMedicationCodeableConcept());
    }
    if (mr.hasMedicationReference()) {
      String ref = mr.getMedicationReference().getReference();
      if (ref != null && ref.startsWith("#")) {
        for (Resource contained : mr.getContained()) {
          if (contained instanceof Medication med && ref.substring(1).equals(med.getIdElement().getIdPart())) {
            return Optional.of(med.getCode());
          }
        }
      }
      if (mr.getMedicationReference().hasDisplay()) {
        return Optional.of(new CodeableConcept().setText(mr.getMedicationReference().getDisplay()));
      }
    }
    return Optional.empty();
  }

  /** The request's number in a prescription-number system (first one), or null. */
  public static Identifier prescriptionNumber(MedicationRequest mr) {
    for (Identifier id : mr.getIdentifier()) {
      if (id.getSystem() != null && IdentifierSystems.institutionCodeOf(id.getSystem()).isPresent()
          && id.getSystem().startsWith(IdentifierSystems.prescriptionNumberSystem(""))) {
        return id;
      }
    }
    return null;
  }

  private static String issuer(Identifier number) {
    return IdentifierSystems.institutionCodeOf(number.getSystem()).orElse(null);
  }

  private String dtm(Date date) {
    return ZonedDateTime.ofInstant(date.toInstant(), zone).format(DTM);
  }
}
