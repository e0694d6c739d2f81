package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.TQ;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.group.RDE_O11_ORDER;
import ca.uhn.hl7v2.model.v251.group.RDE_O11_TIMING;
import ca.uhn.hl7v2.model.v251.group.RDE_O11_TIMING_ENCODED;
import ca.uhn.hl7v2.model.v251.message.RDE_O11;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.RXE;
import ca.uhn.hl7v2.model.v251.segment.RXR;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestDispenseRequestComponent;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestPriority;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.Tags;

/**
 * RDE^O11 / RDE^O25 (pharmacy encoded order; v2.3 RDE^O01 too) → Patient, Practitioner and one
 * MedicationRequest per ORDER group with its Medication contained. Pure: no I/O, no Camel; one
 * instance serves all threads. The field-by-field rules and their sources are in
 * {@code camel-routes/docs/hl7v2-mapping.md}.
 *
 * <p>Keys: the MedicationRequest's first identifier is ORC-2 (placer order number, type PLAC) in the
 * prescription-number system of the issuing institution (ORC-2.2 when it is an NHSA code, else MSH-4);
 * without ORC-2, ORC-3 (filler, FILL), else RXE-15. HL7 requires a placer number per order, so two
 * ORDER groups with the same ORC-2 are rejected (205); the prescription as a whole (处方号) goes to
 * groupIdentifier from ORC-4 (placer group number).
 */
public final class RdeToMedicationRequestConverter {

  /** Trigger events accepted: O11 and O25 (v2.4+), O01 (their v2.3 name). */
  public static final Set<String> EVENTS = Set.of("O11", "O25", "O01");

  private final Hl7ConverterConfig config;

  public RdeToMedicationRequestConverter(Hl7ConverterConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * @throws HL7Exception when the message cannot be accepted (wrong type, missing PID,
   *     unsupported order control, bad data types, duplicate order numbers …)
   */
  public RdeConversionResult convert(ParsedMessage parsed) throws Hl7ConversionException {
    try {
      return doConvert(parsed);
    } catch (Hl7ConversionException e) {
      throw e;
    } catch (HL7Exception | RuntimeException e) {
      throw Hl7ConversionException.internal(e);
    }
  }

  private RdeConversionResult doConvert(ParsedMessage parsed) throws HL7Exception {
    ConversionContext ctx = ConversionContext.start(config, parsed, "RDE", EVENTS);
    if (!(parsed.message() instanceof RDE_O11 rde)) {
      throw Hl7ConversionException.of(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, Locations.field(parsed.msh(), 9),
          "消息结构无法识别为 RDE_O11", "message structure is not RDE_O11 (check MSH-9.3)");
    }
    PID pid = rde.getPATIENT().getPID();
    if (pid.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("PID", 1), "患者信息段 PID", "PID segment");
    }
    PatientMapper.Result patient = PatientMapper.map(pid, ctx);
    Reference subject = new Reference(TransactionBundles.fullUrl("Patient", patient.key()));
    subject.setDisplay(patient.patient().getNameFirstRep().getText());

    Map<String, Practitioner> practitioners = new LinkedHashMap<>();
    List<RdeConversionResult.ConvertedOrder> orders = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int index = 0;
    for (RDE_O11_ORDER order : rde.getORDERAll()) {
      index++;
      if (order.getORC().isEmpty() && order.getRXE().isEmpty()) {
        continue;
      }
      orders.add(convertOrder(order, index, subject, practitioners, keys, ctx));
    }
    if (orders.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("ORC", 1), "医嘱段 ORC 与药品编码段 RXE", "ORC and RXE segments");
    }
    return new RdeConversionResult(ctx.sendingInstitution, ctx.controlId, parsed.triggerEvent(), patient.patient(),
        new ArrayList<>(practitioners.values()), orders, ctx.warnings);
  }

  private RdeConversionResult.ConvertedOrder convertOrder(RDE_O11_ORDER order, int index, Reference subject,
      Map<String, Practitioner> practitioners, Set<String> keys, ConversionContext ctx) throws HL7Exception {
    ORC orc = order.getORC();
    RXE rxe = order.getRXE();
    if (orc.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("ORC", index), "医嘱段 ORC", "ORC segment");
    }
    String controlCode = V2.text(orc.getOrc1_OrderControl());
    if (controlCode == null) {
      throw Hl7ConversionException.missing(Locations.field(orc, 1), "医嘱控制码", "order control");
    }
    OrderControl control = OrderControl.fromCode(controlCode).orElseThrow(() -> Hl7ConversionException.tableValue(
        Locations.field(orc, 1), controlCode, "医嘱控制码（支持 NW 新开、CA 取消、DC 停止、XO 修改、RF 续方）",
        "order control code (supported: NW, CA, DC, XO, RF)"));
    if (rxe.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("RXE", index), "药品编码段 RXE", "RXE segment");
    }

    MedicationRequest request = new MedicationRequest();
    String issuer = identifiers(request, orc, rxe, ctx);
    Identifier key = BundleKeys.medicationRequest(request);
    if (!keys.add(key.getSystem() + "|" + key.getValue())) {
      throw Hl7ConversionException.of(ErrorCode.DUPLICATE_KEY_IDENTIFIER, Locations.field(orc, 2),
          "同一消息中医嘱号“" + key.getValue() + "”重复：每个 ORDER 组的 ORC-2 必须唯一，处方号请放在 ORC-4",
          "placer order number '" + key.getValue() + "' repeats within the message; ORC-2 must be unique per ORDER"
              + " group (put the prescription number in ORC-4)");
    }
    request.addExtension(Extensions.PRESCRIBING_INSTITUTION, ConversionContext.institutionReference(issuer));
    request.setStatus(control.status());
    request.setIntent(MedicationRequestIntent.ORDER);
    // 处方类别 is required on every prescription, but v2 has no field for it: the channel's
    // configured category (default 普通 ordinary) is used.
    request.addCategory(new CodeableConcept(ctx.config.prescriptionCategory().copy()));
    if (control == OrderControl.CA || control == OrderControl.DC) {
      CE reason = orc.getOrc16_OrderControlCodeReason();
      V2.Coded coded = V2.Coded.of(reason);
      if (!coded.isEmpty()) {
        request.setStatusReason(new CodeableConcept().setText(coded.display()));
      }
    }

    MedicationMapper.Result medication = MedicationMapper.map(V2.Coded.of(rxe.getRxe2_GiveCode()),
        V2.decimal(rxe.getRxe25_GiveStrength(), () -> Locations.field(rxe, 25), "规格", "give strength"),
        V2.Coded.of(rxe.getRxe26_GiveStrengthUnits()), V2.Coded.of(rxe.getRxe6_GiveDosageForm()),
        () -> Locations.field(rxe, 2), ctx);
    request.addContained(medication.medication());
    request.setMedication(new Reference("#" + MedicationMapper.CONTAINED_ID));
    if (!medication.matched()) {
      request.getMeta().addTag(Tags.unmatchedDrug());
    }
    request.setSubject(subject.copy());

    DateTimeType authored = V2.dateTime(rxe.getRxe32_OriginalOrderDateTime(), ctx.config.zone(), () -> Locations.field(rxe, 32));
    if (authored == null) {
      authored = V2.dateTime(orc.getOrc9_DateTimeOfTransaction(), ctx.config.zone(), () -> Locations.field(orc, 9));
    }
    if (authored != null) {
      request.setAuthoredOnElement(authored);
    }

    PractitionerMapper.Result prescriber = prescriber(orc, rxe, ctx);
    if (prescriber.isEmpty()) {
      ctx.warn(ErrorCode.REQUIRED_FIELD_MISSING, Locations.field(orc, 12),
          "缺少开方医生（ORC-12）", "ordering provider (ORC-12) is missing");
    } else {
      request.setRequester(prescriber.reference());
      if (prescriber.practitioner() != null) {
        practitioners.putIfAbsent(prescriber.key().getSystem() + "|" + prescriber.key().getValue(), prescriber.practitioner());
      } else {
        ctx.warn(ErrorCode.REQUIRED_FIELD_MISSING, Locations.component(orc, 12, 1, 1),
            "开方医生没有工号（ORC-12.1），仅保留姓名", "ordering provider has no code (ORC-12.1); kept as display only");
      }
    }

    TimingMapper.Result timing = timing(order, rxe, orc, ctx);
    Dosage dosage = DosageMapper.dosage(firstRxr(order), timing,
        V2.decimal(rxe.getRxe3_GiveAmountMinimum(), () -> Locations.field(rxe, 3), "给药剂量", "give amount"),
        V2.decimal(rxe.getRxe4_GiveAmountMaximum(), () -> Locations.field(rxe, 4), "最大给药剂量", "give amount maximum"),
        V2.Coded.of(rxe.getRxe5_GiveUnits()), V2.texts(rxe.getRxe7_ProviderSAdministrationInstructions()), ctx);
    DosageMapper.rate(dosage, V2.decimal(V2.text(rxe.getRxe23_GiveRateAmount()), () -> Locations.field(rxe, 23),
        "给药速度", "give rate amount"), V2.Coded.of(rxe.getRxe24_GiveRateUnits()));
    if (!dosage.isEmpty()) {
      request.addDosageInstruction(dosage);
    }
    if (timing != null && timing.priority() != null) {
      request.setPriority(MedicationRequestPriority.fromCode(timing.priority()));
    }

    MedicationRequestDispenseRequestComponent dispense = new MedicationRequestDispenseRequestComponent();
    BigDecimal amount = V2.decimal(rxe.getRxe10_DispenseAmount(), () -> Locations.field(rxe, 10), "发药数量", "dispense amount");
    if (amount != null) {
      dispense.setQuantity(V2.quantity(amount, V2.Coded.of(rxe.getRxe11_DispenseUnits())));
    }
    Integer refills = V2.count(rxe.getRxe12_NumberOfRefills(), () -> Locations.field(rxe, 12), "可重复配药次数", "number of refills");
    if (refills != null) {
      dispense.setNumberOfRepeatsAllowed(refills);
    }
    if (timing != null && timing.supplyDays() != null) {
      dispense.setExpectedSupplyDuration(V2.days(timing.supplyDays()));
    }
    if (!dispense.isEmpty()) {
      request.setDispenseRequest(dispense);
    }

    String substitution = V2.text(rxe.getRxe9_SubstitutionStatus());
    if (substitution != null) {
      Boolean allowed = switch (substitution.toUpperCase(Locale.ROOT)) {
        case "N", "1", "7" -> Boolean.FALSE;
        case "G", "T" -> Boolean.TRUE;
        default -> null;
      };
      if (allowed != null) {
        request.getSubstitution().setAllowed(new BooleanType(allowed));
      }
    }
    for (CE indication : rxe.getRxe27_GiveIndication()) {
      V2.Coded coded = V2.Coded.of(indication);
      if (!coded.isEmpty()) {
        request.addReasonCode(new CodeableConcept().setText(coded.display()));
      }
    }
    for (String note : V2.notes(order.getNTEAll(), V2.texts(rxe.getRxe21_PharmacyTreatmentSupplierSSpecialDispensingInstructions()))) {
      request.addNote().setText(note);
    }
    return new RdeConversionResult.ConvertedOrder(control, request);
  }

  /**
   * ORC-2 → PLAC, ORC-3 (else RXE-15) → FILL, ORC-4 → groupIdentifier; all in the prescription-number
   * system of their issuing institution. Returns the prescribing (issuing) institution.
   */
  private static String identifiers(MedicationRequest request, ORC orc, RXE rxe, ConversionContext ctx)
      throws HL7Exception {
    EI placer = orc.getOrc2_PlacerOrderNumber();
    EI filler = orc.getOrc3_FillerOrderNumber();
    String placerNumber = V2.text(placer.getEi1_EntityIdentifier());
    String fillerNumber = V2.text(filler.getEi1_EntityIdentifier());
    String fillerIssuer = ctx.issuer(filler);
    if (fillerNumber == null) {
      fillerNumber = V2.text(rxe.getRxe15_PrescriptionNumber());
      fillerIssuer = ctx.sendingInstitution;
    }
    if (placerNumber == null && fillerNumber == null) {
      throw Hl7ConversionException.missing(Locations.field(orc, 2), "医嘱号/处方号（ORC-2，或 ORC-3）",
          "placer order number (ORC-2) or filler order number (ORC-3)");
    }
    String issuer = placerNumber != null ? ctx.issuer(placer) : fillerIssuer;
    if (placerNumber != null) {
      request.addIdentifier(orderNumber(placerNumber, issuer, "PLAC", "Placer Identifier", "医嘱号"));
    }
    if (fillerNumber != null) {
      request.addIdentifier(orderNumber(fillerNumber, fillerIssuer, "FILL", "Filler Identifier", "药房医嘱号"));
    }
    EI group = orc.getOrc4_PlacerGroupNumber();
    String groupNumber = V2.text(group.getEi1_EntityIdentifier());
    if (groupNumber != null) {
      // Type as text only: v2-0203 "PGN" (V2-to-FHIR) is not in the R4 edition of the table that
      // the gateway's validator knows, and an unknown code there fails profile validation.
      Identifier groupIdentifier = orderNumber(groupNumber, ctx.issuer(group), "PGN", "Placer Group Number", "处方号");
      groupIdentifier.setType(new CodeableConcept().setText("处方号"));
      request.setGroupIdentifier(groupIdentifier);
    }
    return issuer;
  }

  static Identifier orderNumber(String value, String institution, String type, String typeDisplay, String text) {
    Identifier identifier = new Identifier().setUse(IdentifierUse.OFFICIAL)
        .setSystem(IdentifierSystems.prescriptionNumberSystem(institution)).setValue(value);
    identifier.setType(new CodeableConcept(new Coding(PatientMapper.V2_0203, type, typeDisplay)).setText(text));
    identifier.setAssigner(ConversionContext.institutionIdentifierReference(institution));
    return identifier;
  }

  /** ORC-12, else RXE-13 (which some HIS use for the prescriber instead of a DEA number). */
  private static PractitionerMapper.Result prescriber(ORC orc, RXE rxe, ConversionContext ctx) {
    for (XCN xcn : orc.getOrc12_OrderingProvider()) {
      PractitionerMapper.Result result = PractitionerMapper.map(xcn, ctx);
      if (!result.isEmpty()) {
        return result;
      }
    }
    for (XCN xcn : rxe.getRxe13_OrderingProviderSDEANumber()) {
      PractitionerMapper.Result result = PractitionerMapper.map(xcn, ctx);
      if (!result.isEmpty()) {
        return result;
      }
    }
    return new PractitionerMapper.Result(null, null, null);
  }

  /** TQ1 of the encoded timing, else of the order's timing, else RXE-1, else ORC-7 (v2.3/2.4 senders). */
  private static TimingMapper.Result timing(RDE_O11_ORDER order, RXE rxe, ORC orc, ConversionContext ctx)
      throws HL7Exception {
    List<TQ1> tq1s = new ArrayList<>();
    for (RDE_O11_TIMING_ENCODED group : order.getTIMING_ENCODEDAll()) {
      if (!group.getTQ1().isEmpty()) {
        tq1s.add(group.getTQ1());
      }
    }
    if (tq1s.isEmpty()) {
      for (RDE_O11_TIMING group : order.getTIMINGAll()) {
        if (!group.getTQ1().isEmpty()) {
          tq1s.add(group.getTQ1());
        }
      }
    }
    if (!tq1s.isEmpty()) {
      if (tq1s.size() > 1) {
        ctx.warn(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment(tq1s.get(1)),
            "多个 TQ1 组合的复杂给药时间只映射了第一个 TQ1", "complex timing with several TQ1 segments: only the first is mapped");
      }
      return TimingMapper.fromTq1(tq1s.get(0), ctx);
    }
    TQ rxeTiming = rxe.getRxe1_QuantityTiming();
    if (!rxeTiming.isEmpty()) {
      return TimingMapper.fromTq(rxeTiming, rxe, 1, ctx);
    }
    for (TQ orcTiming : orc.getOrc7_QuantityTiming()) {
      if (!orcTiming.isEmpty()) {
        return TimingMapper.fromTq(orcTiming, orc, 7, ctx);
      }
    }
    return null;
  }

  private static RXR firstRxr(RDE_O11_ORDER order) throws HL7Exception {
    for (RXR rxr : order.getRXRAll()) {
      if (!rxr.isEmpty()) {
        return rxr;
      }
    }
    for (RXR rxr : order.getORDER_DETAIL().getRXRAll()) {
      if (!rxr.isEmpty()) {
        return rxr;
      }
    }
    return null;
  }
}
