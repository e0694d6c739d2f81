package org.lianyao.profiles.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.fhirpath.TypeDetails;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Generates snapshots for the package's differentials with the HL7 snapshot generator that HAPI
 * itself uses ({@link ProfileUtilities}), against HAPI's bundled R4 core definitions. Unlike
 * HAPI's {@code SnapshotGeneratingValidationSupport}, which drops the generator's messages, every
 * error is collected and reported, and FHIRPath invariants are type-checked so a misspelt element
 * name fails the build instead of making a constraint silently vacuous.
 */
final class SnapshotGenerator {

  private final FhirContext fhirContext;
  private final VersionCanonicalizer canonicalizer;
  /** Terminology plus the SDs generated so far (a dependency is added before its dependants). */
  private final PrePopulatedValidationSupport local;
  private final ValidationSupportChain chain;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  SnapshotGenerator(FhirContext fhirContext, Collection<? extends IBaseResource> terminology) {
    this.fhirContext = fhirContext;
    this.canonicalizer = new VersionCanonicalizer(fhirContext);
    this.local = new PrePopulatedValidationSupport(fhirContext);
    terminology.forEach(local::addResource);
    // Caching off: SDs are replaced by their snapshot versions while we go.
    this.chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.disabled(),
        new DefaultProfileValidationSupport(fhirContext), local,
        new InMemoryTerminologyServerValidationSupport(fhirContext),
        new CommonCodeSystemsTerminologyService(fhirContext));
  }

  /**
   * Returns copies of {@code differentials} with snapshots, in dependency order.
   *
   * @throws PackageBuildException listing every error of every StructureDefinition
   */
  List<StructureDefinition> generate(Collection<StructureDefinition> differentials) {
    List<StructureDefinition> results = new ArrayList<>();
    // Known up front so that target profiles (including a profile's references to itself) resolve;
    // each is replaced by its snapshot version once generated.
    differentials.forEach(local::addStructureDefinition);
    for (StructureDefinition differential : dependencyOrder(differentials)) {
      StructureDefinition withSnapshot = generateOne(differential);
      if (withSnapshot != null) {
        local.addStructureDefinition(withSnapshot);
        results.add(withSnapshot);
      }
    }
    if (!problems.isEmpty()) {
      throw new PackageBuildException("snapshot generation failed:\n  " + String.join("\n  ", problems));
    }
    return results;
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Type-checks a FHIRPath expression evaluated on {@code contextPath} of a {@code resourceType}. */
  TypeDetails checkFhirPath(String resourceType, String contextPath, String expression) {
    FHIRPathEngine engine = new FHIRPathEngine(new WorkerContextValidationSupportAdapter(chain));
    return engine.check(null, resourceType, resourceType, contextPath, engine.parse(expression));
  }

  private StructureDefinition generateOne(StructureDefinition differential) {
    String url = differential.getUrl();
    try {
      // A fresh adapter per SD: it caches the list of structures it has seen.
      WorkerContextValidationSupportAdapter worker = new WorkerContextValidationSupportAdapter(chain);
      org.hl7.fhir.r5.model.StructureDefinition derived =
          canonicalizer.structureDefinitionToCanonical(fhirContext.newTerser().clone(differential));
      derived.setSnapshot(null);
      org.hl7.fhir.r5.model.StructureDefinition base =
          worker.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, derived.getBaseDefinition());
      if (base == null || !base.hasSnapshot()) {
        problems.add(url + ": base " + derived.getBaseDefinition() + " not found or has no snapshot");
        return null;
      }
      List<ValidationMessage> messages = new ArrayList<>();
      ProfileUtilities utilities = new ProfileUtilities(worker, messages, new ProfileKnowledgeWorkerR5(fhirContext));
      List<String> sortErrors = new ArrayList<>();
      utilities.sortDifferential(base, derived, url, sortErrors, false);
      sortErrors.forEach(e -> problems.add(url + ": differential: " + e));
      utilities.generateSnapshot(base, derived, url, null, derived.getName());
      for (ValidationMessage message : messages) {
        String text = url + ": " + message.getLocation() + ": " + message.getMessage();
        if (message.getLevel() == ValidationMessage.IssueSeverity.ERROR
            || message.getLevel() == ValidationMessage.IssueSeverity.FATAL) {
          problems.add(text);
        } else if (message.getLevel() == ValidationMessage.IssueSeverity.WARNING) {
          warnings.add(text);
        }
      }
      StructureDefinition result = (StructureDefinition) canonicalizer.structureDefinitionFromCanonical(derived);
      checkDifferentialIsInSnapshot(result);
      checkInvariants(result);
      return result;
    } catch (RuntimeException e) {
      problems.add(url + ": " + e);
      return null;
    }
  }

  /** Every differential element must have landed in the snapshot; otherwise it was silently ignored. */
  private void checkDifferentialIsInSnapshot(StructureDefinition sd) {
    Set<String> snapshotIds = new HashSet<>();
    for (ElementDefinition element : sd.getSnapshot().getElement()) {
      snapshotIds.add(element.getId());
    }
    for (ElementDefinition element : sd.getDifferential().getElement()) {
      if (!snapshotIds.contains(element.getId())) {
        problems.add(sd.getUrl() + ": differential element " + element.getId() + " is not in the snapshot");
      }
    }
  }

  private void checkInvariants(StructureDefinition sd) {
    for (ElementDefinition element : sd.getDifferential().getElement()) {
      for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
        if (!constraint.hasHuman() || !constraint.hasExpression() || !constraint.hasSeverity()) {
          problems.add(sd.getUrl() + ": constraint " + constraint.getKey() + " needs human, expression and severity");
          continue;
        }
        try {
          checkFhirPath(sd.getType(), contextOf(sd, element), constraint.getExpression());
        } catch (RuntimeException e) {
          problems.add(sd.getUrl() + ": constraint " + constraint.getKey() + " on " + element.getId() + ": "
              + e.getMessage());
        }
      }
    }
  }

  /**
   * The type-checker resolves paths only inside the resource's own definition: an element inside a
   * data type (e.g. {@code MedicationRequest.dosageInstruction.timing}) is checked in the context of
   * its type ({@code Timing}).
   */
  private static String contextOf(StructureDefinition sd, ElementDefinition differential) {
    String path = differential.getPath();
    if (path.indexOf('.') < 0) {
      return path;
    }
    for (ElementDefinition element : sd.getSnapshot().getElement()) {
      if (element.getId().equals(differential.getId()) && element.getType().size() == 1
          && !"BackboneElement".equals(element.getType().get(0).getCode())) {
        return element.getType().get(0).getCode();
      }
    }
    return path;
  }

  /**
   * Orders SDs so that a base definition or an extension used as a type profile comes before the
   * profiles that need its snapshot.
   */
  private List<StructureDefinition> dependencyOrder(Collection<StructureDefinition> sds) {
    Map<String, StructureDefinition> byUrl = new LinkedHashMap<>();
    sds.forEach(sd -> byUrl.put(sd.getUrl(), sd));
    List<StructureDefinition> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (StructureDefinition sd : sds) {
      visit(sd, byUrl, ordered, done, visiting);
    }
    return ordered;
  }

  private void visit(StructureDefinition sd, Map<String, StructureDefinition> byUrl,
      List<StructureDefinition> ordered, Set<String> done, Set<String> visiting) {
    if (done.contains(sd.getUrl())) {
      return;
    }
    if (!visiting.add(sd.getUrl())) {
      throw new PackageBuildException("circular StructureDefinition dependency through " + sd.getUrl());
    }
    Set<String> dependencies = new LinkedHashSet<>();
    dependencies.add(sd.getBaseDefinition());
    for (ElementDefinition element : sd.getDifferential().getElement()) {
      for (ElementDefinition.TypeRefComponent type : element.getType()) {
        type.getProfile().forEach(p -> dependencies.add(p.getValue()));
      }
    }
    for (String dependency : dependencies) {
      StructureDefinition target = byUrl.get(dependency);
      if (target != null && target != sd) {
        visit(target, byUrl, ordered, done, visiting);
      }
    }
    visiting.remove(sd.getUrl());
    done.add(sd.getUrl());
    ordered.add(sd);
  }
}
