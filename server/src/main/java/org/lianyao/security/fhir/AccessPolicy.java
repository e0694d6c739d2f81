package org.lianyao.security.fhir;

import static org.lianyao.security.Interaction.CREATE;
import static org.lianyao.security.Interaction.DELETE;
import static org.lianyao.security.Interaction.READ;
import static org.lianyao.security.Interaction.SEARCH;
import static org.lianyao.security.Interaction.UPDATE;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lianyao.security.Caller;
import org.lianyao.security.Interaction;
import org.lianyao.security.Role;
import org.lianyao.security.SecurityProperties;
import org.lianyao.security.SmartScopes;

/**
 * Least-privilege ceilings per role: which resource types each role may touch and how, and which
 * FHIR operations it may invoke. A token's SMART scopes can only narrow these. The table is the
 * gateway's policy and is documented in {@code server/docs/security.md}; keep the two in step.
 */
public final class AccessPolicy {

  /** How a role may write a type. */
  public enum WriteScope {
    /** Any resource of the type (committee's formulary, admin's terminology). */
    ANY,
    /** Shared master data (Patient, Practitioner): any member may create and correct it. */
    SHARED,
    /** Only resources that belong to the caller's own institution ({@link ResourceOwnership}). */
    OWN
  }

  /** One role's rights on one type. */
  public record TypeRights(Set<Interaction> interactions, WriteScope writeScope) {}

  /** Read by every role: the consortium's organisations, catalog, formularies and terminology. */
  static final List<String> REFERENCE_TYPES = List.of(
      "Organization", "Location", "Endpoint", "HealthcareService", "Medication", "InsurancePlan",
      "Basic", "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "StructureDefinition",
      "SearchParameter", "OperationDefinition", "ImplementationGuide", "CompartmentDefinition",
      "StructureMap", "CapabilityStatement");

  /** Patient data a member reads through the sharing rules. */
  static final List<String> SHARED_CLINICAL_READ = List.of(
      "Patient", "Practitioner", "PractitionerRole", "MedicationRequest", "MedicationDispense",
      "SupplyRequest", "Provenance", "Consent");

  /** Terminology and profile resources, changed by admin only. */
  static final List<String> CONFORMANCE_TYPES = List.of(
      "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "StructureDefinition",
      "SearchParameter", "OperationDefinition", "ImplementationGuide", "CompartmentDefinition",
      "StructureMap");

  /** Operations that only read terminology or check a resource: open to every role. */
  private static final List<String> OPEN_OPERATIONS =
      List.of("validate-code", "lookup", "expand", "translate", "subsumes", "validate");

  /** Bulk, import-like and maintenance operations: admin only (least privilege). */
  private static final List<String> ADMIN_OPERATIONS = List.of(
      "export", "export-poll-status", "import", "import-poll-status", "reindex", "reindex-dryrun",
      "mark-all-resources-for-reindex", "perform-reindexing-pass", "expunge", "trigger-subscription",
      "diff", "upload-external-code-system",
      "apply-codesystem-delta-add", "apply-codesystem-delta-remove", "invalidate-expansion",
      "binary-access-read", "binary-access-write", "get-resource-counts", "merge",
      "hapi.fhir.replace-references", "process-message");

  /** Default SMART scopes of a client registered without any (and of the demo clients). */
  private static final Map<Role, List<String>> DEFAULT_SCOPES = Map.of(
      Role.HIS, List.of("system/*.rs", "system/Patient.cu", "system/Practitioner.cu",
          "system/PractitionerRole.cu", "system/MedicationRequest.cu", "system/MedicationDispense.cu",
          "system/SupplyRequest.cud", "system/InsurancePlan.cu", "system/Basic.cud"),
      Role.PHARMACIST, List.of("system/*.rs", "system/MedicationDispense.cu", "system/SupplyRequest.cud"),
      Role.COMMITTEE, List.of("system/*.rs", "system/InsurancePlan.cud", "system/Basic.cud",
          "system/Medication.cud"),
      Role.AUDITOR, List.of("system/AuditEvent.rs", "system/Provenance.rs", "system/Organization.rs"),
      Role.ADMIN, List.of("system/*.cruds"),
      Role.TRACE_PLATFORM, List.of("system/MedicationDispense.rs", "system/Medication.rs",
          "system/Organization.rs"));

  private final Map<Role, Map<String, TypeRights>> ceilings = new EnumMap<>(Role.class);
  private final Map<Role, Boolean> readsEverything = new EnumMap<>(Role.class);
  private final Map<Role, Set<String>> operations = new EnumMap<>(Role.class);

  public AccessPolicy(SecurityProperties properties) {
    for (Role r : Role.values()) {
      ceilings.put(r, new LinkedHashMap<>());
      operations.put(r, new LinkedHashSet<>(OPEN_OPERATIONS));
      readsEverything.put(r, false);
    }
    for (Role r : Role.values()) {
      read(r, REFERENCE_TYPES);
    }
    read(Role.HIS, SHARED_CLINICAL_READ);
    write(Role.HIS, WriteScope.SHARED, EnumSet.of(CREATE, UPDATE), "Patient", "Practitioner");
    write(Role.HIS, WriteScope.OWN, EnumSet.of(CREATE, UPDATE), "PractitionerRole",
        "MedicationRequest", "MedicationDispense", "InsurancePlan");
    // Shortage registrations and member-formulary items may be withdrawn; prescriptions and
    // dispenses are corrected with status entered-in-error instead, so the history stays.
    write(Role.HIS, WriteScope.OWN, EnumSet.of(CREATE, UPDATE, DELETE), "SupplyRequest", "Basic");

    read(Role.PHARMACIST, SHARED_CLINICAL_READ);
    write(Role.PHARMACIST, WriteScope.OWN, EnumSet.of(CREATE, UPDATE), "MedicationDispense");
    write(Role.PHARMACIST, WriteScope.OWN, EnumSet.of(CREATE, UPDATE, DELETE), "SupplyRequest");

    read(Role.COMMITTEE, List.of("SupplyRequest"));
    write(Role.COMMITTEE, WriteScope.ANY, EnumSet.of(CREATE, UPDATE, DELETE),
        "InsurancePlan", "Basic", "Medication");
    operations.get(Role.COMMITTEE).add("import-catalog");

    read(Role.AUDITOR, List.of("AuditEvent", "Provenance"));

    readsEverything.put(Role.ADMIN, true);
    write(Role.ADMIN, WriteScope.ANY, EnumSet.of(CREATE, UPDATE, DELETE),
        CONFORMANCE_TYPES.toArray(String[]::new));
    write(Role.ADMIN, WriteScope.ANY, EnumSet.of(CREATE, UPDATE, DELETE),
        "Organization", "Location", "Endpoint", "HealthcareService", "Subscription");
    write(Role.ADMIN, WriteScope.SHARED, EnumSet.of(CREATE, UPDATE), "Patient", "Practitioner", "PractitionerRole");
    operations.get(Role.ADMIN).addAll(ADMIN_OPERATIONS);

    read(Role.TRACE_PLATFORM, List.of("MedicationDispense"));

    properties.operations().forEach((name, roles) -> {
      String op = name.startsWith("$") ? name.substring(1) : name;
      for (Role r : Role.values()) {
        operations.get(r).remove(op);
      }
      for (String roleName : roles) {
        Role role = Role.fromClaim(roleName).orElseThrow(() -> new IllegalArgumentException(
            "lianyao.security.operations." + name + ": unknown role '" + roleName + "'"));
        operations.get(role).add(op);
      }
    });
  }

  private void read(Role role, List<String> types) {
    for (String t : types) {
      ceilings.get(role).merge(t, new TypeRights(EnumSet.of(READ, SEARCH), null), AccessPolicy::merge);
    }
  }

  private void write(Role role, WriteScope scope, Set<Interaction> interactions, String... types) {
    for (String t : types) {
      Set<Interaction> all = EnumSet.of(READ, SEARCH);
      all.addAll(interactions);
      ceilings.get(role).merge(t, new TypeRights(all, scope), AccessPolicy::merge);
    }
  }

  private static TypeRights merge(TypeRights a, TypeRights b) {
    Set<Interaction> all = EnumSet.noneOf(Interaction.class);
    all.addAll(a.interactions());
    all.addAll(b.interactions());
    return new TypeRights(all, b.writeScope() != null ? b.writeScope() : a.writeScope());
  }

  /** What the role allows on a type, before scopes. */
  public Set<Interaction> ceiling(Role role, String type) {
    TypeRights rights = ceilings.get(role).get(type);
    Set<Interaction> result = EnumSet.noneOf(Interaction.class);
    if (rights != null) {
      result.addAll(rights.interactions());
    }
    if (readsEverything.get(role)) {
      result.add(READ);
      result.add(SEARCH);
    }
    return result;
  }

  public WriteScope writeScope(Role role, String type) {
    TypeRights rights = ceilings.get(role).get(type);
    return rights == null || rights.writeScope() == null ? WriteScope.ANY : rights.writeScope();
  }

  /** Role ceiling ∩ token scopes. */
  public Set<Interaction> effective(Caller caller, String type) {
    Set<Interaction> result = ceiling(caller.role(), type);
    result.removeIf(i -> !caller.scopes().allows(type, i));
    return result;
  }

  public boolean readsEverything(Role role) {
    return readsEverything.get(role);
  }

  /** Types the role names explicitly (its reads and writes). */
  public Set<String> typesOf(Role role) {
    return Collections.unmodifiableSet(ceilings.get(role).keySet());
  }

  /** Operation names without {@code $}. */
  public Set<String> operations(Role role) {
    return Collections.unmodifiableSet(operations.get(role));
  }

  public boolean mayInvoke(Role role, String operation) {
    String op = operation.startsWith("$") ? operation.substring(1) : operation;
    return operations.get(role).contains(op);
  }

  public static List<String> defaultScopes(Role role) {
    return DEFAULT_SCOPES.get(role);
  }

  /** Every scope the default clients use: what {@code scopes_supported} advertises. */
  public static Set<String> supportedScopes() {
    Set<String> all = new TreeSet<>();
    DEFAULT_SCOPES.values().forEach(all::addAll);
    return all;
  }

  /** Explains why the caller may not do an interaction: the missing right, Chinese and English. */
  public Denial explain(Caller caller, String type, Interaction interaction) {
    String action = interaction.chinese() + " " + type;
    if (!ceiling(caller.role(), type).contains(interaction)) {
      return new Denial(
          "角色「" + caller.role().claimValue() + "」(" + caller.role().chineseName() + ") 无权" + action,
          "role '" + caller.role().claimValue() + "' may not " + interaction.english() + " " + type,
          "role:" + caller.role().claimValue() + " → " + SmartScopes.required(type, interaction));
    }
    String scope = SmartScopes.required(type, interaction);
    return new Denial(
        "访问令牌缺少授权范围 " + scope + "，不能" + action,
        "token lacks scope " + scope + " to " + interaction.english() + " " + type,
        scope);
  }

  public Denial explainOperation(Caller caller, String operation) {
    String op = operation.startsWith("$") ? operation : "$" + operation;
    return new Denial(
        "角色「" + caller.role().claimValue() + "」(" + caller.role().chineseName() + ") 无权执行操作 " + op,
        "role '" + caller.role().claimValue() + "' may not invoke " + op,
        "operation:" + op);
  }
}
