package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.ST;
import ca.uhn.hl7v2.model.v251.datatype.TQ;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.group.RDS_O13_ENCODING;
import ca.uhn.hl7v2.model.v251.group.RDS_O13_ORDER;
import ca.uhn.hl7v2.model.v251.group.RDS_O13_TIMING;
import ca.uhn.hl7v2.model.v251.group.RDS_O13_TIMING_ENCODED;
import ca.uhn.hl7v2.model.v251.message.RDS_O13;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.RXD;
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
import java.util.StringJoiner;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationDispense.MedicationDispenseStatus;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.Tags;

/**
 * RDS^O13 (pharmacy dispense; v2.3 RDS^O01 too) → Patient, Practitioner (dispensing pharmacist) and
 * one MedicationDispense per ORDER group, with the traceability codes of its {@link ZtcSegment ZTC}
 * segments. Pure and thread-safe like {@link RdeToMedicationRequestConverter}; rules and sources in
 * {@code camel-routes/docs/hl7v2-mapping.md}.
 *
 * <p>Key: {@code identifier} in the dispense-number system of the dispensing institution (MSH-4),
 * value {@code <ORC-3>-<RXD-1>} (the pharmacy's order number and the dispense counter), or without
 * ORC-3 {@code <ORC-2>-<RXD-1>}, prefixed with {@code <issuer>:} when the prescription was issued by
 * another institution (extended prescriptions), so two institutions' equal numbers cannot collide.
 *
 * <p>authorizingPrescription is a logical reference (Reference.identifier in the prescription-number
 * system of the issuing institution): a dispense must be stored even when its prescription has not
 * reached Lianyao (paper or external prescriptions), which a conditional reference would refuse.
 */
public final class RdsToMedicationDispenseConverter {

  /** Trigger events accepted: O13 (v2.4+) and O01 (its v2.3 name). */
  public static final Set<String> EVENTS = Set.of("O13", "O01");

  /**
   * Base of the dispense-number system (发药单号), qualified by the dispensing institution's NHSA code
   * like the other institution-scoped systems. Not yet in {@code docs/conventions.md} /
   * {@code IdentifierSystems}: to be moved there.
   */
  public static final String DISPENSE_NUMBER_BASE = IdentifierSystems.CANONICAL_BASE + "/sid/dispense-number/";

  private final Hl7ConverterConfig config;

  public RdsToMedicationDispenseConverter(Hl7ConverterConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public static String dispenseNumberSystem(String nhsaInstitutionCode) {
    return DISPENSE_NUMBER_BASE + nhsaInstitutionCode;
  }

  /**
   * @throws Hl7ConversionException when the message cannot be accepted (wrong type, missing PID or
   *     RXD fields, invalid traceability code, misplaced ZTC …)
   */
  public RdsConversionResult convert(ParsedMessage parsed) throws Hl7ConversionException {
    try {
      return doConvert(parsed);
    } catch (Hl7ConversionException e) {
      throw e;
    } catch (HL7Exception | RuntimeException e) {
      throw Hl7ConversionException.internal(e);
    }
  }

  private RdsConversionResult doConvert(ParsedMessage parsed) throws HL7Exception {
    ConversionContext ctx = ConversionContext.start(config, parsed, "RDS", EVENTS);
    if (!(parsed.message() instanceof RDS_O13 rds)) {
      throw Hl7ConversionException.of(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, Locations.field(parsed.msh(), 9),
          "消息结构无法识别为 RDS_O13", "message structure is not RDS_O13 (check MSH-9.3)");
    }
    PID pid = rds.getPATIENT().getPID();
    if (pid.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("PID", 1), "患者信息段 PID", "PID segment");
    }
    PatientMapper.Result patient = PatientMapper.map(pid, ctx);
    Reference subject = new Reference(TransactionBundles.fullUrl("Patient", patient.key()));
    subject.setDisplay(patient.patient().getNameFirstRep().getText());

    List<RDS_O13_ORDER> orders = new ArrayList<>();
    for (RDS_O13_ORDER order : rds.getORDERAll()) {
      if (!order.getORC().isEmpty() || !order.getRXD().isEmpty()) {
        orders.add(order);
      }
    }
    if (orders.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("RXD", 1), "发药段 ORC/RXD", "ORC and RXD segments");
    }
    List<Segment> misplaced = ZtcSegment.outside(rds, orders);
    if (!misplaced.isEmpty()) {
      throw Hl7ConversionException.of(ErrorCode.SEGMENT_SEQUENCE_ERROR, Locations.segment(misplaced.get(0)),
          "ZTC 追溯码段必须放在所属 RXD 之后、同一 ORDER 组内", "ZTC must follow the RXD it belongs to, inside its ORDER group");
    }

    Map<String, Practitioner> practitioners = new LinkedHashMap<>();
    List<MedicationDispense> dispenses = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    int index = 0;
    for (RDS_O13_ORDER order : orders) {
      index++;
      MedicationDispense dispense = convertOrder(order, index, subject, practitioners, ctx);
      Identifier key = BundleKeys.medicationDispense(dispense);
      if (!keys.add(key.getValue())) {
        throw Hl7ConversionException.of(ErrorCode.DUPLICATE_KEY_IDENTIFIER, Locations.field(order.getRXD(), 1),
            "同一消息中发药记录“" + key.getValue() + "”重复（ORC-3/ORC-2 与 RXD-1 相同）",
            "dispense '" + key.getValue() + "' repeats within the message (same ORC-3/ORC-2 and RXD-1)");
      }
      dispenses.add(dispense);
    }
    return new RdsConversionResult(ctx.sendingInstitution, ctx.controlId, parsed.triggerEvent(), patient.patient(),
        new ArrayList<>(practitioners.values()), dispenses, ctx.warnings);
  }

  private MedicationDispense convertOrder(RDS_O13_ORDER order, int index, Reference subject,
      Map<String, Practitioner> practitioners, ConversionContext ctx) throws HL7Exception {
    ORC orc = order.getORC();
    RXD rxd = order.getRXD();
    if (orc.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("ORC", index), "医嘱段 ORC", "ORC segment");
    }
    if (rxd.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.segment("RXD", index), "发药段 RXD", "RXD segment");
    }
    MedicationDispense dispense = new MedicationDispense();
    dispense.addIdentifier(dispenseNumber(orc, rxd, ctx));
    dispense.setStatus(status(orc));
    dispense.addExtension(Extensions.DISPENSING_INSTITUTION, ConversionContext.institutionReference(ctx.sendingInstitution));

    MedicationMapper.Result medication = MedicationMapper.map(V2.Coded.of(rxd.getRxd2_DispenseGiveCode()),
        V2.decimal(rxd.getRxd16_ActualStrength(), () -> Locations.field(rxd, 16), "规格", "actual strength"),
        V2.Coded.of(rxd.getRxd17_ActualStrengthUnit()), V2.Coded.of(rxd.getRxd6_ActualDosageForm()),
        () -> Locations.field(rxd, 2), ctx);
    batch(medication.medication(), rxd, ctx);
    dispense.addContained(medication.medication());
    dispense.setMedication(new Reference("#" + MedicationMapper.CONTAINED_ID));
    if (!medication.matched()) {
      dispense.getMeta().addTag(Tags.unmatchedDrug());
    }
    dispense.setSubject(subject.copy());

    for (XCN xcn : rxd.getRxd10_DispensingProvider()) {
      PractitionerMapper.Result pharmacist = PractitionerMapper.map(xcn, ctx);
      if (!pharmacist.isEmpty()) {
        dispense.addPerformer().setActor(pharmacist.reference());
        if (pharmacist.practitioner() != null) {
          practitioners.putIfAbsent(pharmacist.key().getSystem() + "|" + pharmacist.key().getValue(),
              pharmacist.practitioner());
        }
        break;
      }
    }

    Reference prescription = prescription(orc, rxd, ctx);
    if (prescription != null) {
      dispense.addAuthorizingPrescription(prescription);
    } else {
      ctx.warn(ErrorCode.REQUIRED_FIELD_MISSING, Locations.field(orc, 2),
          "发药记录没有处方号（ORC-2 或 RXD-7），无法关联处方", "dispense has no prescription number (ORC-2 or RXD-7)");
    }

    BigDecimal amount = V2.decimal(rxd.getRxd4_ActualDispenseAmount(), () -> Locations.field(rxd, 4), "发药数量", "actual dispense amount");
    if (amount == null) {
      throw Hl7ConversionException.missing(Locations.field(rxd, 4), "实际发药数量", "actual dispense amount");
    }
    dispense.setQuantity(V2.quantity(amount, V2.Coded.of(rxd.getRxd5_ActualDispenseUnits())));
    DateTimeType handedOver = V2.dateTime(rxd.getRxd3_DateTimeDispensed(), ctx.config.zone(), () -> Locations.field(rxd, 3));
    if (handedOver == null) {
      throw Hl7ConversionException.missing(Locations.field(rxd, 3), "发药时间", "date/time dispensed");
    }
    dispense.setWhenHandedOverElement(handedOver);

    RXE rxe = order.getENCODING().getRXE();
    TimingMapper.Result timing = timing(order, orc, ctx);
    BigDecimal minimum = null;
    BigDecimal maximum = null;
    V2.Coded unit = null;
    if (!rxe.isEmpty()) {
      minimum = V2.decimal(rxe.getRxe3_GiveAmountMinimum(), () -> Locations.field(rxe, 3), "给药剂量", "give amount");
      maximum = V2.decimal(rxe.getRxe4_GiveAmountMaximum(), () -> Locations.field(rxe, 4), "最大给药剂量", "give amount maximum");
      unit = V2.Coded.of(rxe.getRxe5_GiveUnits());
    }
    Dosage dosage = DosageMapper.dosage(firstRxr(order), timing, minimum, maximum, unit, null, ctx);
    if (!dosage.isEmpty()) {
      dispense.addDosageInstruction(dosage);
    }
    if (timing != null && timing.supplyDays() != null) {
      dispense.setDaysSupply(V2.days(timing.supplyDays()));
    }

    String substitution = V2.text(rxd.getRxd11_SubstitutionStatus());
    if (substitution != null) {
      switch (substitution.toUpperCase(Locale.ROOT)) {
        case "N", "0" -> dispense.getSubstitution().setWasSubstituted(false);
        case "G", "T" -> dispense.getSubstitution().setWasSubstituted(true);
        default -> { }
      }
    }
    StringJoiner dispenseNotes = new StringJoiner("；");
    for (ST note : rxd.getRxd9_DispenseNotes()) {
      String text = V2.text(note);
      if (text != null) {
        dispenseNotes.add(text);
      }
    }
    String special = V2.texts(rxd.getRxd15_PharmacyTreatmentSupplierSSpecialDispensingInstructions());
    if (special != null) {
      dispenseNotes.add(special);
    }
    for (String note : V2.notes(order.getNTEAll(),
        dispenseNotes.length() == 0 ? null : dispenseNotes.toString())) {
      dispense.addNote().setText(note);
    }

    traceability(dispense, ZtcSegment.collect(order), ctx);
    return dispense;
  }

  /** ORC-1 of a dispense: RE (the HL7 code for a dispense report), NW, XO → completed; CA, OC, CR (退药/冲销) → cancelled. */
  private static MedicationDispenseStatus status(ORC orc) throws HL7Exception {
    String code = V2.text(orc.getOrc1_OrderControl());
    if (code == null) {
      throw Hl7ConversionException.missing(Locations.field(orc, 1), "医嘱控制码", "order control");
    }
    return switch (code.toUpperCase(Locale.ROOT)) {
      case "RE", "NW", "XO" -> MedicationDispenseStatus.COMPLETED;
      case "CA", "OC", "CR" -> MedicationDispenseStatus.CANCELLED;
      default -> throw Hl7ConversionException.tableValue(Locations.field(orc, 1), code,
          "发药消息的医嘱控制码（支持 RE 发药、CA/OC/CR 退药）", "order control code of a dispense (supported: RE, NW, XO, CA, OC, CR)");
    };
  }

  private static Identifier dispenseNumber(ORC orc, RXD rxd, ConversionContext ctx) throws HL7Exception {
    String counter = V2.text(rxd.getRxd1_DispenseSubIDCounter());
    counter = counter == null ? "1" : counter;
    String filler = V2.text(orc.getOrc3_FillerOrderNumber().getEi1_EntityIdentifier());
    String value;
    if (filler != null) {
      value = filler + "-" + counter;
    } else {
      EI placer = orc.getOrc2_PlacerOrderNumber();
      String placerNumber = V2.text(placer.getEi1_EntityIdentifier());
      if (placerNumber == null) {
        throw Hl7ConversionException.missing(Locations.field(orc, 3), "发药单号（ORC-3）或处方医嘱号（ORC-2）",
            "filler order number (ORC-3) or placer order number (ORC-2)");
      }
      String issuer = ctx.issuer(placer);
      value = (issuer.equals(ctx.sendingInstitution) ? "" : issuer + ":") + placerNumber + "-" + counter;
    }
    Identifier identifier = new Identifier().setUse(IdentifierUse.OFFICIAL)
        .setSystem(dispenseNumberSystem(ctx.sendingInstitution)).setValue(value);
    identifier.setType(new CodeableConcept().setText("发药单号"));
    identifier.setAssigner(ConversionContext.institutionIdentifierReference(ctx.sendingInstitution));
    return identifier;
  }

  /** ORC-2 (placer order number of the prescription), else RXD-7, as a logical MedicationRequest reference. */
  private static Reference prescription(ORC orc, RXD rxd, ConversionContext ctx) {
    EI placer = orc.getOrc2_PlacerOrderNumber();
    String number = V2.text(placer.getEi1_EntityIdentifier());
    String issuer = ctx.issuer(placer);
    if (number == null) {
      number = V2.text(rxd.getRxd7_PrescriptionNumber());
      issuer = ctx.sendingInstitution;
    }
    if (number == null) {
      return null;
    }
    Reference reference = new Reference();
    reference.setType("MedicationRequest");
    reference.setIdentifier(new Identifier().setSystem(IdentifierSystems.prescriptionNumberSystem(issuer)).setValue(number));
    return reference;
  }

  /** RXD-18 lot, RXD-19 expiry, RXD-20 manufacturer (first repetitions) → the contained Medication. */
  private static void batch(Medication medication, RXD rxd, ConversionContext ctx) throws HL7Exception {
    ST[] lots = rxd.getRxd18_SubstanceLotNumber();
    TS[] expiries = rxd.getRxd19_SubstanceExpirationDate();
    String lot = lots.length > 0 ? V2.text(lots[0]) : null;
    DateTimeType expiry = expiries.length > 0
        ? V2.dateTime(expiries[0], ctx.config.zone(), () -> Locations.field(rxd, 19, 1)) : null;
    if (lot != null) {
      medication.getBatch().setLotNumber(lot);
    }
    if (expiry != null) {
      medication.getBatch().setExpirationDateElement(expiry);
    }
    CE[] manufacturers = rxd.getRxd20_SubstanceManufacturerName();
    if (manufacturers.length > 0) {
      String name = V2.Coded.of(manufacturers[0]).display();
      if (name != null) {
        medication.setManufacturer(new Reference().setDisplay(name));
      }
    }
  }

  /**
   * ZTC → traceability-code extensions (Identifier in the traceability-code system, packaging level
   * in Identifier.type.text) and the split-pack extension: true when any code is split (拆零),
   * false when all say N, absent when no ZTC-4 was sent.
   */
  private static void traceability(MedicationDispense dispense, List<Segment> ztcs, ConversionContext ctx)
      throws HL7Exception {
    Set<String> seen = new HashSet<>();
    Boolean split = null;
    boolean mixed = false;
    for (Segment ztc : ztcs) {
      ZtcSegment.Scan scan = ZtcSegment.read(ztc, ctx);
      String value = scan.code().identifierValue();
      if (!seen.add(value)) {
        ctx.warn(ErrorCode.DUPLICATE_KEY_IDENTIFIER, Locations.field(ztc, 2),
            "追溯码 " + value + " 在同一发药记录中重复，只记录一次", "traceability code " + value + " repeats in one dispense; recorded once");
        continue;
      }
      Identifier identifier = new Identifier().setSystem(IdentifierSystems.TRACEABILITY_CODE).setValue(value);
      if (scan.packagingLevel() != null) {
        identifier.setType(new CodeableConcept().setText(scan.packagingLevel()));
      }
      dispense.addExtension(Extensions.TRACEABILITY_CODE, identifier);
      if (scan.splitPack() != null) {
        if (split != null && !split.equals(scan.splitPack())) {
          mixed = true;
        }
        split = split == null ? scan.splitPack() : split || scan.splitPack();
      }
    }
    if (mixed) {
      ctx.warn(ErrorCode.DATA_TYPE_ERROR, Locations.segment(ztcs.get(0)),
          "同一发药记录的追溯码拆零标志不一致，按拆零记录", "split-pack flags differ within one dispense; recorded as split-pack");
    }
    if (split != null) {
      dispense.addExtension(Extensions.SPLIT_PACK, new BooleanType(split));
    }
  }

  /** TQ1 of the order's timing, else of the encoded timing, else RXE-1 of the encoding, else ORC-7. */
  private static TimingMapper.Result timing(RDS_O13_ORDER order, ORC orc, ConversionContext ctx) throws HL7Exception {
    for (RDS_O13_TIMING group : order.getTIMINGAll()) {
      TQ1 tq1 = group.getTQ1();
      if (!tq1.isEmpty()) {
        return TimingMapper.fromTq1(tq1, ctx);
      }
    }
    RDS_O13_ENCODING encoding = order.getENCODING();
    for (RDS_O13_TIMING_ENCODED group : encoding.getTIMING_ENCODEDAll()) {
      TQ1 tq1 = group.getTQ1();
      if (!tq1.isEmpty()) {
        return TimingMapper.fromTq1(tq1, ctx);
      }
    }
    RXE rxe = encoding.getRXE();
    if (!rxe.isEmpty() && !rxe.getRxe1_QuantityTiming().isEmpty()) {
      return TimingMapper.fromTq(rxe.getRxe1_QuantityTiming(), rxe, 1, ctx);
    }
    for (TQ orcTiming : orc.getOrc7_QuantityTiming()) {
      if (!orcTiming.isEmpty()) {
        return TimingMapper.fromTq(orcTiming, orc, 7, ctx);
      }
    }
    return null;
  }

  private static RXR firstRxr(RDS_O13_ORDER order) throws HL7Exception {
    for (RXR rxr : order.getRXRAll()) {
      if (!rxr.isEmpty()) {
        return rxr;
      }
    }
    for (RXR rxr : order.getENCODING().getRXRAll()) {
      if (!rxr.isEmpty()) {
        return rxr;
      }
    }
    return null;
  }
}
