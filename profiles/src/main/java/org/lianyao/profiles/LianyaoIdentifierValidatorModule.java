package org.lianyao.profiles;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.lianyao.terminology.IdentifierSystems;
import org.lianyao.terminology.id.IdentifierProblem;
import org.lianyao.terminology.id.IdentifierValidators;
import org.lianyao.terminology.id.ResidentIdValidator;

/**
 * HAPI validator module for what FHIRPath invariants cannot express: check characters and code
 * structure of Chinese identifiers (居民身份证号 GB 11643, 统一社会信用代码 GB 32100, 药品本位码
 * GB 18937, 药品追溯码, 医保定点医疗机构编码, 国家医保药品编码 and institution-scoped systems such
 * as prescription numbers), wherever they occur — Identifier anywhere in the resource (including
 * contained resources, Bundle entries, extensions and Reference.identifier) and Coding in the same
 * systems (Medication.code) — plus consistency of a resident ID with the person's birthDate and
 * gender. Register it on the same {@code FhirValidator} as the {@code FhirInstanceValidator}.
 *
 * <p>Messages are Chinese with the English diagnostic ({@code 中文 / English}); the message id is
 * the problem's stable code (e.g. {@code resident-id.check-digit}) for callers that map it.
 *
 * <p>Severity is per identifier system. Rules whose source is confirmed (GB 11643, GB 32100,
 * GB 18937, GS1) give errors; rules inferred from examples (NHSA institution code layout, NHSA drug
 * code segments) give warnings by default, so that an unforeseen but genuine code is not rejected —
 * configure with {@link #withSeverity}. Immutable and thread-safe.
 */
public final class LianyaoIdentifierValidatorModule implements IValidatorModule {

  /** Message id of a birth date that differs from the date encoded in the resident ID. */
  public static final String BIRTH_DATE_MISMATCH = "resident-id.birth-date-mismatch";
  /** Message id of a gender that differs from the resident ID's sequence parity. */
  public static final String GENDER_MISMATCH = "resident-id.gender-mismatch";

  /** Key of the consistency checks (birth date and gender against the resident ID) in the severity map. */
  public static final String CONSISTENCY = "consistency";

  private final Map<String, ResultSeverityEnum> severities;

  /** Default severities, see the class comment. */
  public LianyaoIdentifierValidatorModule() {
    this(defaultSeverities());
  }

  private LianyaoIdentifierValidatorModule(Map<String, ResultSeverityEnum> severities) {
    this.severities = Map.copyOf(severities);
  }

  /** Identifier system (or {@link #CONSISTENCY}) → severity; systems not listed give errors. */
  public static Map<String, ResultSeverityEnum> defaultSeverities() {
    Map<String, ResultSeverityEnum> defaults = new HashMap<>();
    // Layouts inferred from published examples (domain reference: unconfirmed).
    defaults.put(IdentifierSystems.NHSA_INSTITUTION_CODE, ResultSeverityEnum.WARNING);
    defaults.put(IdentifierSystems.NHSA_DRUG_CODE, ResultSeverityEnum.WARNING);
    defaults.put(CONSISTENCY, ResultSeverityEnum.ERROR);
    return defaults;
  }

  /**
   * A copy with another severity for one identifier system (an institution-scoped system such as
   * the prescription-number one follows {@link IdentifierSystems#NHSA_INSTITUTION_CODE}) or for
   * {@link #CONSISTENCY}.
   */
  public LianyaoIdentifierValidatorModule withSeverity(String systemOrConsistency, ResultSeverityEnum severity) {
    Map<String, ResultSeverityEnum> copy = new HashMap<>(severities);
    copy.put(Objects.requireNonNull(systemOrConsistency), Objects.requireNonNull(severity));
    return new LianyaoIdentifierValidatorModule(copy);
  }

  @Override
  public void validateResource(IValidationContext<IBaseResource> context) {
    IBaseResource resource;
    try {
      resource = context.getResource();
    } catch (DataFormatException e) {
      return; // unparseable input: the instance validator reports it
    }
    if (resource instanceof Resource r4) {
      validate(r4).forEach(context::addValidationMessage);
    }
  }

  /** All messages for one R4 resource; usable without a FhirValidator (e.g. by the feeds). */
  public List<SingleValidationMessage> validate(Resource resource) {
    List<SingleValidationMessage> messages = new ArrayList<>();
    walk(resource, resource.fhirType(), messages);
    return messages;
  }

  /** Depth-first over every element; paths follow the validator's style, e.g. {@code Patient.identifier[0].value}. */
  private void walk(Base element, String path, List<SingleValidationMessage> messages) {
    if (element instanceof Identifier identifier) {
      checkValue(identifier.getSystem(), identifier.getValue(), path + ".value", messages);
    } else if (element instanceof Coding coding) {
      checkValue(coding.getSystem(), coding.getCode(), path + ".code", messages);
    }
    if (element instanceof Patient || element instanceof Practitioner || element instanceof RelatedPerson) {
      checkPersonConsistency((Resource) element, path, messages);
    }
    for (Property property : element.children()) {
      if (!property.hasValues()) {
        continue;
      }
      List<Base> values = property.getValues();
      boolean repeating = property.getMaxCardinality() > 1;
      for (int i = 0; i < values.size(); i++) {
        Base value = values.get(i);
        if (value == null || value.isPrimitive()) {
          continue;
        }
        walk(value, path + "." + segment(property, value) + (repeating ? "[" + i + "]" : ""), messages);
      }
    }
  }

  /** {@code value[x]} becomes {@code value.ofType(Identifier)}, as in the validator's locations. */
  private static String segment(Property property, Base value) {
    String name = property.getName();
    if (name.endsWith("[x]")) {
      return name.substring(0, name.length() - 3) + ".ofType(" + value.fhirType() + ")";
    }
    return name;
  }

  private void checkValue(String system, String value, String location, List<SingleValidationMessage> messages) {
    // A missing value is the profile's business (cardinality), not a check-digit problem.
    if (system == null || value == null || !IdentifierValidators.hasRule(system)) {
      return;
    }
    Optional<IdentifierProblem> problem = IdentifierValidators.validate(system, value);
    problem.ifPresent(p -> messages.add(message(severityFor(system), location, p.code(), p.chinese(), p.english())));
  }

  private ResultSeverityEnum severityFor(String system) {
    String key = IdentifierSystems.institutionCodeOf(system).isPresent()
        ? IdentifierSystems.NHSA_INSTITUTION_CODE
        : system;
    return severities.getOrDefault(key, ResultSeverityEnum.ERROR);
  }

  /**
   * GB 11643 encodes the birth date (positions 7–14) and the gender (odd 17th digit = male); a
   * mismatch usually means someone else's ID was typed, which would link two people's records
   * across the consortium.
   */
  private void checkPersonConsistency(Resource person, String path, List<SingleValidationMessage> messages) {
    List<Identifier> identifiers;
    DateType birthDate;
    AdministrativeGender gender;
    if (person instanceof Patient p) {
      identifiers = p.getIdentifier();
      birthDate = p.getBirthDateElement();
      gender = p.getGender();
    } else if (person instanceof Practitioner p) {
      identifiers = p.getIdentifier();
      birthDate = p.getBirthDateElement();
      gender = p.getGender();
    } else {
      RelatedPerson p = (RelatedPerson) person;
      identifiers = p.getIdentifier();
      birthDate = p.getBirthDateElement();
      gender = p.getGender();
    }
    ResultSeverityEnum severity = severities.getOrDefault(CONSISTENCY, ResultSeverityEnum.ERROR);
    for (Identifier identifier : identifiers) {
      String id = identifier.getValue();
      if (!IdentifierSystems.RESIDENT_ID.equals(identifier.getSystem()) || !ResidentIdValidator.isValid(id)) {
        continue; // an invalid ID is already reported; its date and sex digit mean nothing
      }
      LocalDate encoded = ResidentIdValidator.birthDate(id).orElseThrow();
      if (birthDate != null && birthDate.getValue() != null && !sameAtPrecision(birthDate, encoded)) {
        messages.add(message(severity, path + ".birthDate", BIRTH_DATE_MISMATCH,
            "出生日期与身份证号不一致：身份证号中的出生日期为 " + encoded + "，birthDate 为 " + birthDate.getValueAsString(),
            "birthDate " + birthDate.getValueAsString() + " does not match the date encoded in the resident ID (" + encoded + ")"));
      }
      boolean male = ResidentIdValidator.isMale(id);
      if ((gender == AdministrativeGender.MALE && !male) || (gender == AdministrativeGender.FEMALE && male)) {
        messages.add(message(severity, path + ".gender", GENDER_MISMATCH,
            "性别与身份证号不一致：身份证号第17位表示" + (male ? "男性" : "女性") + "，gender 为 " + gender.toCode(),
            "gender " + gender.toCode() + " does not match the resident ID's sequence digit (" + (male ? "male" : "female") + ")"));
      }
    }
  }

  /** Compares only what the birthDate states: {@code 1956} matches any day of 1956. */
  private static boolean sameAtPrecision(DateType birthDate, LocalDate encoded) {
    String value = birthDate.getValueAsString();
    TemporalPrecisionEnum precision = birthDate.getPrecision();
    String expected = encoded.toString();
    return switch (precision) {
      case YEAR -> expected.startsWith(value.substring(0, 4));
      case MONTH -> expected.startsWith(value.substring(0, 7));
      default -> expected.equals(value.substring(0, 10));
    };
  }

  private static SingleValidationMessage message(ResultSeverityEnum severity, String location, String id,
      String chinese, String english) {
    SingleValidationMessage message = new SingleValidationMessage();
    message.setSeverity(severity);
    message.setLocationString(location);
    message.setMessageId(id);
    message.setMessage(chinese + " / " + english);
    return message;
  }
}
