package org.lianyao.feed.sql;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.group.RDE_O11_ORDER;
import ca.uhn.hl7v2.model.v251.message.RDE_O11;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.RXE;
import ca.uhn.hl7v2.model.v251.segment.RXR;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.lianyao.feed.hl7.Hl7ConversionException;
import org.lianyao.feed.hl7.Hl7ConverterConfig;
import org.lianyao.feed.hl7.ParsedMessage;
import org.lianyao.feed.hl7.RdeConversionResult;
import org.lianyao.feed.hl7.RdeToMedicationRequestConverter;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.TerminologyResources;

/**
 * Intermediate-table rows (中间库 {@code his_prescription} + {@code his_prescription_item}, shape in
 * {@code camel-routes/docs/intermediate-database.md}) → the same FHIR transaction as an RDE^O11: one
 * MedicationRequest per item, Patient and Practitioner by conditional create. Pure: no I/O.
 *
 * <p>Why through the HL7 model: the rows are laid into an in-memory v2.5.1 RDE^O11 (HAPI's objects,
 * never encoded, so no escaping or charset is involved) and converted by
 * {@link RdeToMedicationRequestConverter}. That keeps one implementation of every mapping rule (names,
 * resident IDs, dosage, timing, route, drug maps, profile conformance) for both feeds, so a
 * prescription looks the same whichever way its HIS delivers it. Errors are reported with the
 * column they came from.
 *
 * <p>Columns → v2: resident_id → PID-3 (NNCHN), patient_id → PID-3 (MR), patient_name → PID-5,
 * gender → PID-8, birth_date → PID-7, phone → PID-13; per item: status → ORC-1, prescription_no +
 * item_no → ORC-2 (order number {@code {prescription_no}-{item_no}}), prescription_no → ORC-4,
 * written_at → ORC-9 / RXE-32, prescriber_code/prescriber_name → ORC-12, drug_code/drug_name → RXE-2,
 * dosage_form → RXE-6 (national code or its Chinese name), spec → RXE-25/26, dose/dose_unit → RXE-3/RXE-5, quantity/quantity_unit → RXE-10/11, diagnosis →
 * RXE-27, usage → RXR-1, frequency → TQ1-3, days → TQ1-13, dept and item remark → note text.
 */
public final class IntermediateRowConverter {

  private static final DateTimeFormatter DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final Pattern SPEC = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([A-Za-z\\u4e00-\\u9fa5μ%]+)\\s*$");
  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

  /** status values → ORC-1. HIS views must map their own codes to one of these. */
  private static final Map<String, String> STATUS = Map.ofEntries(
      Map.entry("NW", "NW"), Map.entry("有效", "NW"), Map.entry("正常", "NW"), Map.entry("新开", "NW"),
      Map.entry("已开具", "NW"), Map.entry("CA", "CA"), Map.entry("作废", "CA"), Map.entry("已作废", "CA"),
      Map.entry("取消", "CA"), Map.entry("撤销", "CA"), Map.entry("DC", "DC"), Map.entry("停止", "DC"),
      Map.entry("停用", "DC"), Map.entry("XO", "XO"), Map.entry("修改", "XO"), Map.entry("变更", "XO"));

  /** HL7 locations the RDE converter reports → the column they were filled from. */
  private static final Map<String, String> COLUMNS = Map.ofEntries(
      Map.entry("PID-3", "resident_id / patient_id"), Map.entry("PID-5", "patient_name"),
      Map.entry("PID-7", "birth_date"), Map.entry("PID-8", "gender"), Map.entry("PID-13", "phone"),
      Map.entry("PID", "resident_id / patient_name"),
      Map.entry("ORC-1", "status"), Map.entry("ORC-2", "prescription_no / item_no"), Map.entry("ORC-4", "prescription_no"),
      Map.entry("ORC-9", "written_at"), Map.entry("ORC-12", "prescriber_code / prescriber_name"),
      Map.entry("RXE-2", "drug_code / drug_name"), Map.entry("RXE-6", "dosage_form"), Map.entry("RXE-3", "dose"), Map.entry("RXE-5", "dose_unit"),
      Map.entry("RXE-10", "quantity"), Map.entry("RXE-11", "quantity_unit"), Map.entry("RXE-25", "spec"),
      Map.entry("RXE-27", "diagnosis"), Map.entry("RXE-32", "written_at"), Map.entry("RXR-1", "usage"),
      Map.entry("TQ1-3", "frequency"), Map.entry("TQ1-13", "days"), Map.entry("MSH-4", "(channel institution)"));

  private final RdeToMedicationRequestConverter converter;
  /** Chinese route names (口服 …) → national route code (CV06.00.102), from the terminology module. */
  private final Map<String, String> routeByName;
  /** Chinese dosage-form names (片剂 …) → national dosage form code (CV08.50.002). */
  private final Map<String, String> formByName;

  /**
   * @param config the channel's converter configuration (drug map, prescription category)
   * @param terminology the national route table, for route names sent as text
   */
  public IntermediateRowConverter(Hl7ConverterConfig config, TerminologyResources terminology) {
    this.converter = new RdeToMedicationRequestConverter(Objects.requireNonNull(config, "config"));
    Map<String, String> routes = new HashMap<>();
    for (ConceptDefinitionComponent concept : terminology.concepts(CodeSystems.ROUTE)) {
      if (concept.hasDisplay()) {
        routes.putIfAbsent(concept.getDisplay().strip(), concept.getCode());
      }
    }
    this.routeByName = Map.copyOf(routes);
    Map<String, String> forms = new HashMap<>();
    for (ConceptDefinitionComponent concept : terminology.concepts(CodeSystems.DOSAGE_FORM)) {
      if (concept.hasDisplay()) {
        forms.putIfAbsent(concept.getDisplay().strip(), concept.getCode());
      }
    }
    this.formByName = Map.copyOf(forms);
  }

  /**
   * @param prescription the rows
   * @param institution NHSA institution code of the channel (the prescribing institution)
   * @throws IntermediateRowException when a required column is missing or a value is not usable
   */
  public RdeConversionResult convert(IntermediatePrescription prescription, String institution) {
    String number = prescription.prescriptionNo();
    if (number == null) {
      throw missing(null, "prescription_no", "处方编号");
    }
    if (prescription.updatedAt() == null) {
      throw invalid(number, "updated_at", prescription.updatedAtText(), "日期时间", "date-time");
    }
    if (prescription.items().isEmpty()) {
      throw new IntermediateRowException("中间库处方 " + number + " 没有药品明细（his_prescription_item 中无此处方编号的行）",
          "prescription " + number + " has no item rows", null);
    }
    RDE_O11 message;
    try {
      message = build(prescription, institution);
    } catch (HL7Exception e) {
      throw new IntermediateRowException("中间库处方 " + number + " 无法组装：" + e.getMessage(),
          "prescription " + number + " could not be assembled: " + e.getMessage(), e);
    }
    try {
      return converter.convert(new ParsedMessage(message, StandardCharsets.UTF_8, null, List.of()));
    } catch (Hl7ConversionException e) {
      String column = column(e.getLocation());
      throw new IntermediateRowException("中间库处方 " + number + "：" + e.chineseMessage()
          + (column == null ? "" : "（对应列 " + column + "）"),
          "intermediate prescription " + number + ": " + e.englishMessage() + (column == null ? "" : " (column " + column + ")"),
          e);
    }
  }

  private RDE_O11 build(IntermediatePrescription p, String institution) throws HL7Exception {
    Map<String, String> h = p.header();
    String number = p.prescriptionNo();
    RDE_O11 rde = new RDE_O11();
    MSH msh = rde.getMSH();
    msh.getMsh1_FieldSeparator().setValue("|");
    msh.getMsh2_EncodingCharacters().setValue("^~\\&");
    msh.getMsh3_SendingApplication().getHd1_NamespaceID().setValue("HIS-DB");
    msh.getMsh4_SendingFacility().getHd1_NamespaceID().setValue(institution);
    msh.getMsh5_ReceivingApplication().getHd1_NamespaceID().setValue("LIANYAO");
    msh.getMsh7_DateTimeOfMessage().getTs1_Time().setValue(DTM.format(p.updatedAt()));
    msh.getMsh9_MessageType().getMsg1_MessageCode().setValue("RDE");
    msh.getMsh9_MessageType().getMsg2_TriggerEvent().setValue("O11");
    msh.getMsh9_MessageType().getMsg3_MessageStructure().setValue("RDE_O11");
    msh.getMsh10_MessageControlID().setValue(p.key());
    msh.getMsh11_ProcessingID().getPt1_ProcessingID().setValue("P");
    msh.getMsh12_VersionID().getVid1_VersionID().setValue("2.5.1");

    PID pid = rde.getPATIENT().getPID();
    pid.getPid1_SetIDPID().setValue("1");
    int rep = 0;
    String residentId = h.get("resident_id");
    if (residentId != null) {
      CX cx = pid.getPid3_PatientIdentifierList(rep++);
      cx.getCx1_IDNumber().setValue(residentId);
      cx.getCx5_IdentifierTypeCode().setValue("NNCHN");
    }
    String patientId = h.get("patient_id");
    if (patientId != null) {
      CX cx = pid.getPid3_PatientIdentifierList(rep);
      cx.getCx1_IDNumber().setValue(patientId);
      cx.getCx4_AssigningAuthority().getHd1_NamespaceID().setValue(institution);
      cx.getCx5_IdentifierTypeCode().setValue("MR");
    }
    set(pid.getPid5_PatientName(0).getXpn1_FamilyName().getFn1_Surname(), h.get("patient_name"));
    String birth = h.get("birth_date");
    if (birth != null) {
      LocalDateTime date = IntermediatePrescription.dateTime(birth);
      if (date == null) {
        throw invalid(number, "birth_date", birth, "日期", "date");
      }
      pid.getPid7_DateTimeOfBirth().getTs1_Time().setValue(date.toLocalDate().toString().replace("-", ""));
    }
    set(pid.getPid8_AdministrativeSex(), h.get("gender"));
    set(pid.getPid13_PhoneNumberHome(0).getXtn1_TelephoneNumber(), h.get("phone"));

    String written = null;
    if (h.get("written_at") != null) {
      LocalDateTime time = IntermediatePrescription.dateTime(h.get("written_at"));
      if (time == null) {
        throw invalid(number, "written_at", h.get("written_at"), "日期时间", "date-time");
      }
      written = DTM.format(time);
    }
    String control = STATUS.get(h.getOrDefault("status", "NW").strip().toUpperCase(Locale.ROOT));
    if (control == null) {
      throw new IntermediateRowException("中间库处方 " + number + "：status“" + h.get("status")
          + "”无法识别（可用 NW/有效、CA/作废、DC/停止、XO/修改）",
          "prescription " + number + ": status '" + h.get("status") + "' is not one of NW, CA, DC, XO", null);
    }

    int index = 0;
    for (Map<String, String> item : p.items()) {
      RDE_O11_ORDER order = rde.getORDER(index++);
      String itemNo = item.getOrDefault("item_no", String.valueOf(index));
      ORC orc = order.getORC();
      orc.getOrc1_OrderControl().setValue(control);
      orc.getOrc2_PlacerOrderNumber().getEi1_EntityIdentifier().setValue(number + "-" + itemNo);
      orc.getOrc2_PlacerOrderNumber().getEi2_NamespaceID().setValue(institution);
      orc.getOrc4_PlacerGroupNumber().getEi1_EntityIdentifier().setValue(number);
      orc.getOrc4_PlacerGroupNumber().getEi2_NamespaceID().setValue(institution);
      set(orc.getOrc9_DateTimeOfTransaction().getTs1_Time(), written);
      XCN prescriber = orc.getOrc12_OrderingProvider(0);
      set(prescriber.getXcn1_IDNumber(), h.get("prescriber_code"));
      set(prescriber.getXcn2_FamilyName().getFn1_Surname(), h.get("prescriber_name"));

      RXE rxe = order.getRXE();
      set(rxe.getRxe2_GiveCode().getCe1_Identifier(), item.get("drug_code"));
      set(rxe.getRxe2_GiveCode().getCe2_Text(), item.get("drug_name"));
      if (item.get("drug_code") != null) {
        rxe.getRxe2_GiveCode().getCe3_NameOfCodingSystem().setValue("L");
      }
      number(rxe.getRxe3_GiveAmountMinimum(), item.get("dose"), number, "dose", "单次剂量");
      unit(rxe.getRxe5_GiveUnits(), item.get("dose_unit"));
      number(rxe.getRxe10_DispenseAmount(), item.get("quantity"), number, "quantity", "发药数量");
      unit(rxe.getRxe11_DispenseUnits(), item.get("quantity_unit"));
      String form = item.get("dosage_form");
      if (form != null) {
        String value = form.strip();
        String code = value.chars().allMatch(Character::isDigit) ? value : formByName.get(value);
        if (code != null) {
          rxe.getRxe6_GiveDosageForm().getCe1_Identifier().setValue(code);
          rxe.getRxe6_GiveDosageForm().getCe3_NameOfCodingSystem().setValue("CV08.50.002");
        }
        if (!value.equals(code)) {
          rxe.getRxe6_GiveDosageForm().getCe2_Text().setValue(value);
        }
      }
      String spec = item.get("spec");
      if (spec != null) {
        Matcher m = SPEC.matcher(spec);
        if (m.matches()) {
          rxe.getRxe25_GiveStrength().setValue(m.group(1));
          rxe.getRxe26_GiveStrengthUnits().getCe1_Identifier().setValue(m.group(2));
        } else {
          // 0.5g×24片 and the like: kept as a note rather than guessed into strength.
          rxe.getRxe21_PharmacyTreatmentSupplierSSpecialDispensingInstructions(0).getCe2_Text().setValue("规格：" + spec);
        }
      }
      set(rxe.getRxe27_GiveIndication(0).getCe2_Text(), h.get("diagnosis"));
      set(rxe.getRxe32_OriginalOrderDateTime().getTs1_Time(), written);
      String remark = join(h.get("dept") == null ? null : "科室：" + h.get("dept"), item.get("remark"));
      if (remark != null) {
        rxe.getRxe7_ProviderSAdministrationInstructions(0).getCe2_Text().setValue(remark);
      }

      String usage = item.get("usage");
      if (usage != null) {
        route(order.getRXR(0), usage);
      }
      TQ1 tq1 = order.getTIMING_ENCODED(0).getTQ1();
      tq1.getTq11_SetIDTQ1().setValue("1");
      set(tq1.getTq13_RepeatPattern(0).getRpt1_RepeatPatternCode().getCwe1_Identifier(), item.get("frequency"));
      String days = item.get("days");
      if (days != null) {
        number(tq1.getTq113_OccurrenceDuration().getCq1_Quantity(), days, number, "days", "用药天数");
        tq1.getTq113_OccurrenceDuration().getCq2_Units().getCe1_Identifier().setValue("d");
      }
    }
    return rde;
  }

  /** National code (digits), its Chinese name, or an HL7 table 0162 code such as PO. */
  private void route(RXR rxr, String usage) throws HL7Exception {
    CE route = rxr.getRxr1_Route();
    String value = usage.strip();
    if (value.chars().allMatch(Character::isDigit)) {
      route.getCe1_Identifier().setValue(value);
      route.getCe3_NameOfCodingSystem().setValue("CV06.00.102");
      return;
    }
    String national = routeByName.get(value);
    if (national != null) {
      route.getCe1_Identifier().setValue(national);
      route.getCe2_Text().setValue(value);
      route.getCe3_NameOfCodingSystem().setValue("CV06.00.102");
      return;
    }
    route.getCe1_Identifier().setValue(value);
    route.getCe3_NameOfCodingSystem().setValue("HL70162");
  }

  private static void unit(CE ce, String unit) throws HL7Exception {
    if (unit != null) {
      ce.getCe1_Identifier().setValue(unit);
      ce.getCe2_Text().setValue(unit);
    }
  }

  private static void number(ca.uhn.hl7v2.model.Primitive field, String value, String prescription, String column,
      String chinese) throws HL7Exception {
    if (value == null) {
      return;
    }
    if (!NUMBER.matcher(value.strip()).matches()) {
      throw invalid(prescription, column, value, "数值（" + chinese + "）", "number");
    }
    field.setValue(new BigDecimal(value.strip()).stripTrailingZeros().toPlainString());
  }

  private static void set(ca.uhn.hl7v2.model.Primitive field, String value) throws HL7Exception {
    if (value != null) {
      field.setValue(value);
    }
  }

  private static String join(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "；" + b;
  }

  private static String column(Location location) {
    if (location == null || location.getSegmentName() == null) {
      return null;
    }
    String key = location.getSegmentName() + (location.getField() > 0 ? "-" + location.getField() : "");
    String column = COLUMNS.get(key);
    return column != null ? column : COLUMNS.get(location.getSegmentName());
  }

  private static IntermediateRowException missing(String prescription, String column, String chinese) {
    return new IntermediateRowException("中间库处方" + (prescription == null ? "" : " " + prescription) + "缺少必填列 "
        + column + "（" + chinese + "）", "intermediate prescription" + (prescription == null ? "" : " " + prescription)
        + ": required column " + column + " is empty", null);
  }

  private static IntermediateRowException invalid(String prescription, String column, String value, String chinese,
      String english) {
    return new IntermediateRowException("中间库处方 " + prescription + "：列 " + column + " 的值“" + value + "”不是有效的"
        + chinese, "intermediate prescription " + prescription + ": column " + column + " value '" + value
        + "' is not a valid " + english, null);
  }
}
