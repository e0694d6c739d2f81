package org.lianyao.feed.hl7;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.Patient;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.Tags;
import org.lianyao.terminology.id.ResidentIdValidator;

/**
 * PID → Patient.
 *
 * <p>Identifiers: a PID-3 repetition is the 居民身份证号 when its type (CX-5) or assigning authority
 * (CX-4) is one of the configured resident-ID conventions; it must pass the GB 11643 check, or it is
 * dropped with a warning (a wrong ID would link the wrong people across institutions). When PID-3
 * carries none, PID-19 (where some HIS put it) is used if it passes the check. Repetitions typed
 * MR/PI/PT/MRN/MZ/ZY/BLH or untyped are the institution's local record number. Other types
 * (insurance card numbers and the like) have no Lianyao identifier system and are not mapped.
 * Without a resident ID the Patient is tagged {@code data-quality#unlinkable-patient}.
 *
 * <p>Birth date and gender default to what the resident ID encodes when PID-7 / PID-8 are empty;
 * a mismatch is kept as sent and warned about.
 */
final class PatientMapper {

  static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
  private static final Pattern MOBILE = Pattern.compile("1\\d{10}");

  /**
   * @param patient the Patient
   * @param key the identifier for conditional create: the resident ID, else the local record number
   */
  record Result(Patient patient, Identifier key) {}

  private PatientMapper() {}

  static Result map(PID pid, ConversionContext ctx) throws HL7Exception {
    Hl7ConverterConfig config = ctx.config;
    Identifier resident = null;
    List<Identifier> local = new ArrayList<>();
    CX[] ids = pid.getPid3_PatientIdentifierList();
    for (int i = 0; i < ids.length; i++) {
      CX cx = ids[i];
      String value = V2.text(cx.getCx1_IDNumber());
      if (value == null) {
        continue;
      }
      String type = upper(V2.text(cx.getCx5_IdentifierTypeCode()));
      String authority = V2.text(cx.getCx4_AssigningAuthority().getHd1_NamespaceID());
      String authorityId = V2.text(cx.getCx4_AssigningAuthority().getHd2_UniversalID());
      if ((type != null && config.residentIdTypeCodes().contains(type))
          || (authority != null && config.residentIdAuthorities().contains(upper(authority)))
          || (authorityId != null && config.residentIdAuthorities().contains(upper(authorityId)))) {
        String normalised = value.toUpperCase(Locale.ROOT);
        Optional<ResidentIdValidator.Problem> problem = ResidentIdValidator.validate(normalised);
        if (problem.isPresent()) {
          ctx.warn(ErrorCode.DATA_TYPE_ERROR, Locations.component(pid, 3, i + 1, 1),
              "身份证号 " + ResidentIdValidator.mask(normalised) + " 无效（" + problem.get().chinese + "），未用于跨机构关联",
              "resident ID " + ResidentIdValidator.mask(normalised) + " is invalid (" + problem.get().english
                  + ") and is not used for cross-institution linking");
        } else if (resident == null) {
          resident = residentId(normalised);
        }
      } else if (type == null || config.localRecordTypeCodes().contains(type)) {
        String institution = ConversionContext.nhsaCode(authority, authorityId).orElse(ctx.sendingInstitution);
        local.add(localRecordNumber(institution, value));
      }
    }
    if (resident == null) {
      String pid19 = V2.text(pid.getPid19_SSNNumberPatient());
      if (pid19 != null && ResidentIdValidator.isValid(pid19.toUpperCase(Locale.ROOT))) {
        resident = residentId(pid19.toUpperCase(Locale.ROOT));
      }
    }
    if (resident == null && local.isEmpty()) {
      throw Hl7ConversionException.missing(Locations.field(pid, 3),
          "患者标识：需要居民身份证号或本机构病历号/门诊号", "patient identifier (resident ID or local record number)");
    }

    Patient patient = new Patient();
    if (resident != null) {
      patient.addIdentifier(resident);
    } else {
      patient.getMeta().addTag(Tags.unlinkablePatient());
      ctx.warn(ErrorCode.REQUIRED_FIELD_MISSING, Locations.field(pid, 3),
          "患者没有有效的居民身份证号，无法跨机构关联（已标记 unlinkable-patient）",
          "patient has no valid resident ID and cannot be linked across institutions (tagged unlinkable-patient)");
    }
    local.forEach(patient::addIdentifier);

    HumanName name = name(pid);
    if (name == null) {
      throw Hl7ConversionException.missing(Locations.field(pid, 5), "患者姓名", "patient name");
    }
    patient.addName(name);

    DateType birthDate = V2.date(pid.getPid7_DateTimeOfBirth(), () -> Locations.field(pid, 7));
    Optional<LocalDate> idBirthDate = resident == null ? Optional.empty() : ResidentIdValidator.birthDate(resident.getValue());
    if (birthDate != null) {
      patient.setBirthDateElement(birthDate);
      if (idBirthDate.isPresent() && birthDate.getPrecision() == TemporalPrecisionEnum.DAY
          && !idBirthDate.get().toString().equals(birthDate.getValueAsString())) {
        ctx.warn(ErrorCode.DATA_TYPE_ERROR, Locations.field(pid, 7),
            "出生日期 " + birthDate.getValueAsString() + " 与身份证号中的出生日期不一致",
            "birth date " + birthDate.getValueAsString() + " differs from the one encoded in the resident ID");
      }
    } else if (idBirthDate.isPresent()) {
      patient.setBirthDateElement(new DateType(idBirthDate.get().toString()));
    }

    AdministrativeGender gender = gender(pid, ctx);
    if (resident != null) {
      AdministrativeGender fromId = ResidentIdValidator.isMale(resident.getValue())
          ? AdministrativeGender.MALE : AdministrativeGender.FEMALE;
      if (gender == null) {
        gender = fromId;
      } else if ((gender == AdministrativeGender.MALE || gender == AdministrativeGender.FEMALE) && gender != fromId) {
        ctx.warn(ErrorCode.DATA_TYPE_ERROR, Locations.field(pid, 8),
            "性别与身份证号中的性别不一致", "administrative sex differs from the one encoded in the resident ID");
      }
    }
    if (gender != null) {
      patient.setGender(gender);
    }

    XTN[] phones = pid.getPid13_PhoneNumberHome();
    if (phones.length > 0) {
      String number = V2.text(phones[0].getXtn12_UnformattedTelephoneNumber());
      number = number != null ? number : V2.text(phones[0].getXtn1_TelephoneNumber());
      if (number != null) {
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(number)
            .setUse(MOBILE.matcher(number).matches() ? ContactPoint.ContactPointUse.MOBILE : ContactPoint.ContactPointUse.HOME);
      }
    }
    XAD[] addresses = pid.getPid11_PatientAddress();
    if (addresses.length > 0) {
      Address address = address(addresses[0]);
      if (address != null) {
        patient.addAddress(address);
      }
    }
    return new Result(patient, resident != null ? resident : local.get(0));
  }

  static Identifier residentId(String value) {
    Identifier identifier = new Identifier().setUse(IdentifierUse.OFFICIAL)
        .setSystem(IdentifierSystems.RESIDENT_ID).setValue(value);
    identifier.setType(new CodeableConcept(new Coding(V2_0203, "NI", "National unique individual identifier"))
        .setText("居民身份证"));
    return identifier;
  }

  private static Identifier localRecordNumber(String institution, String value) {
    Identifier identifier = new Identifier().setUse(IdentifierUse.USUAL)
        .setSystem(IdentifierSystems.localRecordNumberSystem(institution)).setValue(value);
    identifier.setType(new CodeableConcept(new Coding(V2_0203, "MR", "Medical record number")).setText("病历号"));
    identifier.setAssigner(ConversionContext.institutionIdentifierReference(institution));
    return identifier;
  }

  private static HumanName name(PID pid) {
    for (XPN xpn : pid.getPid5_PatientName()) {
      HumanName name = ChineseNames.toHumanName(V2.text(xpn.getXpn1_FamilyName().getFn1_Surname()),
          V2.text(xpn.getXpn2_GivenName()));
      if (name != null) {
        return name;
      }
    }
    return null;
  }

  /** HL7 table 0001, GB/T 2261.1 digits (1 男, 2 女, 0 未知, 9 未说明) and the Chinese words. */
  private static AdministrativeGender gender(PID pid, ConversionContext ctx) {
    String value = V2.text(pid.getPid8_AdministrativeSex());
    if (value == null) {
      return null;
    }
    switch (value.toUpperCase(Locale.ROOT)) {
      case "M", "1", "男", "男性":
        return AdministrativeGender.MALE;
      case "F", "2", "女", "女性":
        return AdministrativeGender.FEMALE;
      case "O", "A":
        return AdministrativeGender.OTHER;
      case "U", "N", "0", "9", "未知", "未说明":
        return AdministrativeGender.UNKNOWN;
      default:
        ctx.warn(ErrorCode.TABLE_VALUE_NOT_FOUND, Locations.field(pid, 8),
            "性别代码“" + value + "”无法识别，未映射", "administrative sex '" + value + "' is not recognised and was not mapped");
        return null;
    }
  }

  /** Chinese addresses are written province → city → street; the text keeps that order. */
  private static Address address(XAD xad) {
    String street = V2.text(xad.getXad1_StreetAddress().getSad1_StreetOrMailingAddress());
    String other = V2.text(xad.getXad2_OtherDesignation());
    String city = V2.text(xad.getXad3_City());
    String state = V2.text(xad.getXad4_StateOrProvince());
    String postal = V2.text(xad.getXad5_ZipOrPostalCode());
    if (street == null && city == null && state == null && postal == null) {
      return null;
    }
    Address address = new Address();
    StringBuilder text = new StringBuilder();
    if (state != null) {
      address.setState(state);
      if (street == null || !street.startsWith(state)) {
        text.append(state);
      }
    }
    if (city != null) {
      address.setCity(city);
      if (!city.equals(state) && (street == null || !street.startsWith(city))) {
        text.append(city);
      }
    }
    if (street != null) {
      address.addLine(street);
      text.append(street);
    }
    if (other != null) {
      address.addLine(other);
      text.append(other);
    }
    if (postal != null) {
      address.setPostalCode(postal);
    }
    if (!text.isEmpty()) {
      address.setText(text.toString());
    }
    return address;
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }
}
