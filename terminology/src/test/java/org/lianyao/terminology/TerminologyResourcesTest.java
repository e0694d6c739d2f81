package org.lianyao.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyComponent;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.NamingSystem.NamingSystemIdentifierType;
import org.hl7.fhir.r4.model.NamingSystem.NamingSystemUniqueIdComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Timing.EventTiming;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lianyao.terminology.id.NhsaDrugCodeValidator;

class TerminologyResourcesTest {

  private static final String BASE = IdentifierSystems.CANONICAL_BASE;
  private static final Set<String> NATIONAL = Set.of(CodeSystems.ROUTE, CodeSystems.DOSAGE_FORM, CodeSystems.FREQUENCY);

  /** HL7 v2 table 0162 codes (terminology.hl7.org v2-0162, 47 codes), to check the route map's sources. */
  private static final Set<String> V2_0162 = Set.of("AP", "B", "DT", "EP", "ET", "GTT", "GU", "IA", "IB", "IC",
      "ICV", "ID", "IH", "IHA", "IM", "IMR", "IN", "IO", "IP", "IS", "IT", "IU", "IV", "MM", "MTH", "NG", "NP", "NS",
      "NT", "OP", "OT", "OTH", "PF", "PO", "PR", "RM", "SC", "SD", "SL", "TD", "TL", "TP", "TRA", "UR", "VG", "VM", "WND");

  private static TerminologyResources resources;

  @BeforeAll
  static void load() {
    resources = new TerminologyResources(FhirContext.forR4Cached());
  }

  @Test
  void indexListsExactlyTheFilesInTheFolder() throws IOException, URISyntaxException {
    URL folder = getClass().getClassLoader().getResource(TerminologyResources.RESOURCE_PATH);
    assertThat(folder).isNotNull();
    assertThat(folder.getProtocol()).isEqualTo("file"); // tests run against target/classes
    Set<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).collect(Collectors.toSet());
    }
    assertThat(TerminologyResources.fileNames()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(onDisk);
  }

  @Test
  void returnsEveryResourceOfEveryType() {
    assertThat(resources.all()).hasSize(TerminologyResources.fileNames().size());
    assertThat(resources.codeSystems()).hasSize(13);
    assertThat(resources.valueSets()).hasSize(13);
    assertThat(resources.conceptMaps()).hasSize(3);
    assertThat(resources.namingSystems()).hasSize(14);
    assertThat(resources.codeSystems().size() + resources.valueSets().size() + resources.conceptMaps().size()
        + resources.namingSystems().size()).isEqualTo(resources.all().size());
  }

  @Test
  void canonicalResourcesCarryConsistentMetadata() {
    Set<String> urls = new HashSet<>();
    for (Resource resource : resources.all()) {
      // R4 NamingSystem has no url, title or version; it is checked in everyIdentifierSystemHasANamingSystem.
      if (!(resource instanceof MetadataResource r) || resource instanceof NamingSystem) {
        continue;
      }
      String what = resource.fhirType() + "/" + resource.getIdPart();
      assertThat(urls.add(r.getUrl())).as("unique url " + r.getUrl()).isTrue();
      assertThat(r.getStatus()).as(what).isEqualTo(PublicationStatus.ACTIVE);
      assertThat(r.getPublisher()).as(what).isEqualTo("联药");
      assertThat(r.getName()).as(what).matches("[A-Z][A-Za-z0-9]*");
      assertThat(r.getTitle()).as(what).containsPattern("\\p{IsHan}");
      assertThat(r.getDescription()).as(what).containsPattern("\\p{IsHan}");
      assertThat(r.hasDate()).as(what).isTrue();
      assertThat(r.getVersion()).as(what).isNotBlank();
      if (!(r instanceof CodeSystem) || !NATIONAL.contains(r.getUrl())) {
        String type = r.fhirType();
        assertThat(r.getUrl()).as(what).isEqualTo(BASE + "/" + type + "/" + r.getIdPart());
        if (!(r instanceof ValueSet) || !isNationalValueSet((ValueSet) r)) {
          assertThat(r.getVersion()).as(what).isEqualTo("1.0.0");
        }
      }
    }
  }

  @Test
  void nationalTablesUseTheirOidsAndEditions() {
    assertThat(cs(CodeSystems.ROUTE).getIdPart()).isEqualTo("route");
    assertThat(cs(CodeSystems.DOSAGE_FORM).getVersion()).isEqualTo(CodeSystems.DOSAGE_FORM_VERSION).isEqualTo("2011");
    assertThat(cs(CodeSystems.DOSAGE_FORM).getDescription()).contains("WS/T 364.16-2023").contains("未能获得");
    assertThat(cs(CodeSystems.FREQUENCY).getDescription()).contains("unconfirmed");
    for (String url : NATIONAL) {
      CodeSystem cs = cs(url);
      assertThat(cs.getUrl()).startsWith("urn:oid:2.16.156.10011.2.3.1.");
      assertThat(cs.getIdentifierFirstRep().getValue()).isEqualTo(url);
    }
    // The ValueSet pins the dosage-form edition, because 2023 reuses codes with other meanings.
    ConceptSetComponent include = vs(CodeSystems.DOSAGE_FORM_VALUE_SET).getCompose().getIncludeFirstRep();
    assertThat(include.getVersion()).isEqualTo("2011");
  }

  @Test
  void nationalCodeTablesAreComplete() {
    assertThat(resources.concepts(CodeSystems.ROUTE)).hasSize(24);
    assertThat(resources.concepts(CodeSystems.DOSAGE_FORM)).hasSize(75);
    assertThat(resources.concepts(CodeSystems.FREQUENCY)).hasSize(14);
    assertThat(resources.display(CodeSystems.ROUTE, "1")).contains("口服");
    assertThat(resources.display(CodeSystems.ROUTE, "404")).contains("静脉注射或静脉滴注");
    assertThat(resources.display(CodeSystems.ROUTE, "699")).contains("其他局部用药途径");
    assertThat(resources.display(CodeSystems.DOSAGE_FORM, "01")).contains("片剂");
    assertThat(resources.display(CodeSystems.DOSAGE_FORM, "1")).as("codes keep their leading zero").isEmpty();
    assertThat(resources.display(CodeSystems.DOSAGE_FORM, "99")).contains("其他");
    assertThat(resources.display(CodeSystems.FREQUENCY, "9")).contains("每日一次（qd）");
  }

  @Test
  void routeHierarchyNestsSubRoutesUnderTheirGroup() {
    CodeSystem route = cs(CodeSystems.ROUTE);
    assertThat(route.getHierarchyMeaning()).isEqualTo(CodeSystem.CodeSystemHierarchyMeaning.ISA);
    ConceptDefinitionComponent injection = route.getConcept().stream().filter(c -> c.getCode().equals("4")).findFirst().orElseThrow();
    assertThat(injection.getConcept()).extracting(ConceptDefinitionComponent::getCode).containsExactly("401", "402", "403", "404");
  }

  @Test
  void everyCodeSystemHasAValueSetWithExactlyItsCodes() {
    for (CodeSystem cs : resources.codeSystems()) {
      assertThat(cs.getCount()).as(cs.getUrl() + " count").isEqualTo(resources.concepts(cs.getUrl()).size());
      ValueSet vs = vs(cs.getValueSet());
      assertThat(vs.getCompose().getInclude()).hasSize(1);
      ConceptSetComponent include = vs.getCompose().getIncludeFirstRep();
      assertThat(include.getSystem()).isEqualTo(cs.getUrl());
      Map<String, String> expected = new HashMap<>();
      resources.concepts(cs.getUrl()).forEach(c -> expected.put(c.getCode(), c.getDisplay()));
      Map<String, String> listed = new HashMap<>();
      include.getConcept().forEach(c -> listed.put(c.getCode(), c.getDisplay()));
      assertThat(listed).as(vs.getUrl()).isEqualTo(expected);
    }
    assertThat(resources.valueSets()).allSatisfy(vs ->
        assertThat(resources.codeSystem(vs.getCompose().getIncludeFirstRep().getSystem())).as(vs.getUrl()).isPresent());
  }

  @Test
  void everyConceptHasAChineseDisplayAndDeclaredProperties() {
    for (CodeSystem cs : resources.codeSystems()) {
      Map<String, PropertyComponent> declared = new HashMap<>();
      cs.getProperty().forEach(p -> declared.put(p.getCode(), p));
      for (ConceptDefinitionComponent concept : resources.concepts(cs.getUrl())) {
        String what = cs.getUrl() + "#" + concept.getCode();
        assertThat(concept.getDisplay()).as(what).containsPattern("\\p{IsHan}");
        for (ConceptPropertyComponent property : concept.getProperty()) {
          PropertyComponent declaration = declared.get(property.getCode());
          assertThat(declaration).as(what + " property " + property.getCode()).isNotNull();
          assertThat(property.getValue().fhirType()).as(what + " " + property.getCode())
              .isEqualTo(declaration.getType().toCode());
        }
      }
    }
  }

  @Test
  void everyFrequencyCodeCarriesItsTiming() {
    Set<String> units = Set.of("s", "min", "h", "d", "wk", "mo", "a");
    for (String system : List.of(CodeSystems.FREQUENCY, CodeSystems.HIS_FREQUENCY)) {
      CodeSystem cs = cs(system);
      assertThat(cs.getProperty()).extracting(PropertyComponent::getCode)
          .contains("frequency", "period", "periodUnit", "when", "count");
      for (ConceptDefinitionComponent concept : resources.concepts(system)) {
        Map<String, String> props = new HashMap<>();
        concept.getProperty().forEach(p -> props.put(p.getCode(), p.getValue().primitiveValue()));
        String what = system + "#" + concept.getCode();
        if (system.equals(CodeSystems.FREQUENCY) && concept.getCode().equals("99")) {
          assertThat(props).as(what + ": 其他 has no fixed timing").isEmpty();
        } else if (concept.getCode().equals("prn")) {
          assertThat(props).as(what).containsExactly(Map.entry("asNeeded", "true"));
        } else if (props.containsKey("count")) {
          assertThat(props).as(what).containsOnlyKeys("count");
        } else {
          assertThat(props).as(what).containsKeys("frequency", "period", "periodUnit");
          assertThat(Integer.parseInt(props.get("frequency"))).as(what).isPositive();
          assertThat(Double.parseDouble(props.get("period"))).as(what).isPositive();
          assertThat(units).as(what).contains(props.get("periodUnit"));
        }
        if (props.containsKey("when")) {
          assertThat(EventTiming.fromCode(props.get("when"))).as(what).isNotNull();
        }
      }
    }
    assertThat(prop(CodeSystems.FREQUENCY, "3", "when")).isEqualTo("HS");
    assertThat(prop(CodeSystems.FREQUENCY, "13", "count")).isEqualTo("1");
    assertThat(cs(CodeSystems.HIS_FREQUENCY).getCaseSensitive()).isFalse();
  }

  @Test
  void lianyaoCodeSystemsMatchConventions() {
    assertThat(resources.codeSystems()).extracting(CodeSystem::getIdPart).containsExactlyInAnyOrder(
        "route", "dosage-form", "frequency", "his-frequency", "institution-level", "prescription-category",
        "drug-control-class", "insurance-class", "chronic-disease-group", "formulary-change-type",
        "formulary-kind", "formulary-item-type", "data-quality");
    // grassroots: 一级医院 and the four community / rural kinds.
    for (ConceptDefinitionComponent level : resources.concepts(CodeSystems.INSTITUTION_LEVEL)) {
      boolean expected = !level.getCode().equals("tertiary-hospital") && !level.getCode().equals("secondary-hospital");
      assertThat(prop(CodeSystems.INSTITUTION_LEVEL, level.getCode(), "grassroots")).as(level.getCode())
          .isEqualTo(Boolean.toString(expected));
    }
  }

  @Test
  void chronicDiseaseGroupsCoverTheCatalogDiseases() {
    assertThat(resources.concepts(CodeSystems.CHRONIC_DISEASE_GROUP)).extracting(ConceptDefinitionComponent::getDisplay)
        .contains("高血压", "糖尿病", "慢阻肺", "抑郁症", "帕金森病");
    for (ConceptDefinitionComponent group : resources.concepts(CodeSystems.CHRONIC_DISEASE_GROUP)) {
      assertThat(prop(CodeSystems.CHRONIC_DISEASE_GROUP, group.getCode(), "icd10")).as(group.getCode())
          .matches("[A-Z]\\d{2}(\\.\\d)?(-[A-Z]\\d{2}(\\.\\d)?)?(,[A-Z]\\d{2}(\\.\\d)?(-[A-Z]\\d{2}(\\.\\d)?)?)*");
    }
    assertThat(prop(CodeSystems.CHRONIC_DISEASE_GROUP, "hypertension", "icd10")).isEqualTo("I10-I15");
    assertThat(cs(CodeSystems.CHRONIC_DISEASE_GROUP).getDescription()).contains("unconfirmed");
  }

  @Test
  void conceptMapTargetsExistInTheirCodeSystems() {
    for (ConceptMap map : resources.conceptMaps()) {
      for (ConceptMapGroupComponent group : map.getGroup()) {
        for (SourceElementComponent element : group.getElement()) {
          String what = map.getIdPart() + " " + element.getCode();
          if (resources.codeSystem(group.getSource()).isPresent()) {
            assertThat(resources.hasConcept(group.getSource(), element.getCode())).as(what + " source").isTrue();
            assertThat(element.getDisplay()).as(what).isEqualTo(resources.display(group.getSource(), element.getCode()).orElseThrow());
          }
          assertThat(element.getTarget()).as(what).isNotEmpty();
          for (TargetElementComponent target : element.getTarget()) {
            ConceptMapEquivalence eq = target.getEquivalence();
            if (eq == ConceptMapEquivalence.UNMATCHED) {
              assertThat(target.hasCode()).as(what + " unmatched has no target code").isFalse();
              continue;
            }
            if (eq == ConceptMapEquivalence.NARROWER || eq == ConceptMapEquivalence.INEXACT) {
              assertThat(target.getComment()).as(what + " needs a comment (cmd-1)").containsPattern("\\p{IsHan}");
            }
            if (resources.codeSystem(group.getTarget()).isPresent()) {
              assertThat(resources.display(group.getTarget(), target.getCode())).as(what + " → " + target.getCode())
                  .contains(target.getDisplay());
            }
          }
        }
        if (group.hasUnmapped()) {
          assertThat(resources.hasConcept(group.getTarget(), group.getUnmapped().getCode())).isTrue();
        }
      }
    }
  }

  @Test
  void frequencyMapCoversEveryHisFrequency() {
    ConceptMap map = resources.conceptMap(CodeSystems.CONCEPT_MAP_FREQUENCY_TO_NATIONAL).orElseThrow();
    ConceptMapGroupComponent group = map.getGroupFirstRep();
    assertThat(group.getSource()).isEqualTo(CodeSystems.HIS_FREQUENCY);
    assertThat(group.getTarget()).isEqualTo(CodeSystems.FREQUENCY);
    assertThat(group.getElement()).extracting(SourceElementComponent::getCode).containsExactlyInAnyOrderElementsOf(
        resources.concepts(CodeSystems.HIS_FREQUENCY).stream().map(ConceptDefinitionComponent::getCode).toList());
    assertThat(target(map, "bid").getCode()).isEqualTo("1");
    assertThat(target(map, "tid").getCode()).isEqualTo(CodeSystems.Frequency.OTHER);
    assertThat(target(map, "tid").getEquivalence()).isEqualTo(ConceptMapEquivalence.WIDER);
    assertThat(target(map, "st").getCode()).isEqualTo(CodeSystems.Frequency.STAT);
    assertThat(group.getUnmapped().getCode()).isEqualTo("99");
  }

  @Test
  void routeMapUsesRealTable0162Codes() {
    ConceptMap map = resources.conceptMap(CodeSystems.CONCEPT_MAP_ROUTE_TO_NATIONAL).orElseThrow();
    ConceptMapGroupComponent group = map.getGroupFirstRep();
    assertThat(group.getSource()).isEqualTo(CodeSystems.HL7_V2_ROUTE);
    assertThat(group.getTarget()).isEqualTo(CodeSystems.ROUTE);
    assertThat(group.getElement()).extracting(SourceElementComponent::getCode).allMatch(V2_0162::contains)
        .contains("PO", "IV", "IM", "SC", "SL", "IH", "TP", "PR", "ID", "NS", "OP").doesNotHaveDuplicates();
    assertThat(target(map, "PO").getCode()).isEqualTo(CodeSystems.Route.ORAL);
    assertThat(target(map, "IV").getCode()).isEqualTo("404");
    assertThat(target(map, "IH").getCode()).isEqualTo("5");
  }

  @Test
  void localDrugMapTargetsAreWellFormedNhsaCodes() {
    ConceptMap map = resources.conceptMap(CodeSystems.localDrugConceptMap("H50011200001")).orElseThrow();
    ConceptMapGroupComponent group = map.getGroupFirstRep();
    assertThat(group.getSource()).isEqualTo(CodeSystems.localDrugSystem("H50011200001"));
    assertThat(group.getTarget()).isEqualTo(IdentifierSystems.NHSA_DRUG_CODE);
    assertThat(map.getExperimental()).isTrue();
    assertThat(target(map, "YP0001").getCode()).isEqualTo("XA10BAE021A010010201650");
    for (SourceElementComponent element : group.getElement()) {
      for (TargetElementComponent target : element.getTarget()) {
        if (target.hasCode()) {
          assertThat(NhsaDrugCodeValidator.validate(target.getCode())).as(element.getCode()).isEmpty();
        }
      }
    }
  }

  @Test
  void everyIdentifierSystemHasANamingSystem() {
    List<String> systems = List.of(IdentifierSystems.RESIDENT_ID, IdentifierSystems.INSTITUTION_CODE,
        IdentifierSystems.NHSA_INSTITUTION_CODE, IdentifierSystems.USCC, IdentifierSystems.NHSA_DRUG_CODE,
        IdentifierSystems.NMPA_STANDARD_CODE, IdentifierSystems.NMPA_APPROVAL_NUMBER, IdentifierSystems.TRACEABILITY_CODE,
        IdentifierSystems.PRESCRIPTION_NUMBER_BASE + "{NHSA institution code}",
        IdentifierSystems.PRACTITIONER_CODE_BASE + "{NHSA institution code}",
        IdentifierSystems.LOCAL_RECORD_NUMBER_BASE + "{NHSA institution code}",
        IdentifierSystems.FORMULARY, IdentifierSystems.PRODUCT_KEY, IdentifierSystems.FORMULARY_ITEM);
    for (String system : systems) {
      NamingSystem ns = resources.namingSystem(system).orElseThrow(() -> new AssertionError("no NamingSystem for " + system));
      assertThat(ns.getKind()).isEqualTo(NamingSystem.NamingSystemType.IDENTIFIER);
      assertThat(ns.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
      assertThat(ns.getPublisher()).isEqualTo("联药");
      assertThat(ns.getDescription()).containsPattern("\\p{IsHan}");
      assertThat(ns.getUniqueId()).filteredOn(NamingSystemUniqueIdComponent::getPreferred)
          .extracting(NamingSystemUniqueIdComponent::getValue).contains(system);
    }
    assertThat(resources.namingSystem("2.16.156.10011.1.3")).map(NamingSystem::getIdPart).contains("resident-id");
    assertThat(resources.namingSystem(IdentifierSystems.PRESCRIPTION_NUMBER_OID.substring("urn:oid:".length())))
        .map(NamingSystem::getIdPart).contains("prescription-number");
  }

  @Test
  void namingSystemsHaveAtMostOnePreferredIdPerType() {
    for (NamingSystem ns : resources.namingSystems()) {
      Map<NamingSystemIdentifierType, Long> preferred = ns.getUniqueId().stream()
          .filter(NamingSystemUniqueIdComponent::getPreferred)
          .collect(Collectors.groupingBy(NamingSystemUniqueIdComponent::getType, Collectors.counting()));
      assertThat(preferred.values()).as(ns.getIdPart()).allMatch(n -> n == 1);
    }
  }

  @Test
  void lookupsHonourCaseSensitivity() {
    assertThat(resources.hasConcept(CodeSystems.HIS_FREQUENCY, "TID")).isTrue();
    assertThat(resources.concept(CodeSystems.HIS_FREQUENCY, "TID")).map(ConceptDefinitionComponent::getCode).contains("tid");
    assertThat(resources.hasConcept(CodeSystems.INSURANCE_CLASS, "a")).as("case-sensitive system").isFalse();
    assertThat(resources.hasConcept("http://example.org/unknown", "1")).isFalse();
    assertThat(resources.hasConcept(CodeSystems.ROUTE, null)).isFalse();
  }

  @Test
  void accessorsReturnCopies() {
    resources.codeSystem(CodeSystems.ROUTE).orElseThrow().getConceptFirstRep().setDisplay("changed");
    resources.concept(CodeSystems.ROUTE, "1").orElseThrow().setDisplay("changed");
    resources.all().forEach(r -> r.setId("changed"));
    assertThat(resources.display(CodeSystems.ROUTE, "1")).contains("口服");
    assertThat(cs(CodeSystems.ROUTE).getConceptFirstRep().getDisplay()).isEqualTo("口服");
    assertThat(resources.all()).extracting(Resource::getIdPart).doesNotContain("changed");
  }

  @Test
  void constantsPointAtBundledResources() throws IllegalAccessException {
    List<String> checked = new ArrayList<>();
    for (var field : CodeSystems.class.getFields()) {
      if (field.getType() != String.class) {
        continue;
      }
      String value = (String) field.get(null);
      String name = field.getName();
      if (name.endsWith("_VALUE_SET") && value.startsWith(BASE)) {
        assertThat(resources.valueSet(value)).as(name).isPresent();
        checked.add(name);
      } else if (name.startsWith("CONCEPT_MAP_") && !name.endsWith("_BASE")) {
        assertThat(resources.conceptMap(value)).as(name).isPresent();
        checked.add(name);
      } else if ((value.startsWith(BASE + "/CodeSystem/") && !name.endsWith("_BASE")) || value.startsWith("urn:oid:")) {
        assertThat(resources.codeSystem(value)).as(name).isPresent();
        checked.add(name);
      }
    }
    assertThat(checked).hasSize(13 + 13 + 2);
  }

  @Test
  void codeConstantsExistInTheirCodeSystems() throws IllegalAccessException {
    Map<Class<?>, String> systems = Map.of(
        CodeSystems.InstitutionLevel.class, CodeSystems.INSTITUTION_LEVEL,
        CodeSystems.PrescriptionCategory.class, CodeSystems.PRESCRIPTION_CATEGORY,
        CodeSystems.DrugControlClass.class, CodeSystems.DRUG_CONTROL_CLASS,
        CodeSystems.InsuranceClass.class, CodeSystems.INSURANCE_CLASS,
        CodeSystems.ChronicDiseaseGroup.class, CodeSystems.CHRONIC_DISEASE_GROUP,
        CodeSystems.FormularyChangeType.class, CodeSystems.FORMULARY_CHANGE_TYPE,
        CodeSystems.FormularyKind.class, CodeSystems.FORMULARY_KIND,
        CodeSystems.FormularyItemType.class, CodeSystems.FORMULARY_ITEM_TYPE,
        CodeSystems.DataQuality.class, CodeSystems.DATA_QUALITY,
        CodeSystems.Frequency.class, CodeSystems.FREQUENCY);
    assertThat(CodeSystems.class.getClasses()).hasSize(systems.size() + 1); // + Route, checked below
    for (var entry : systems.entrySet()) {
      for (var field : entry.getKey().getFields()) {
        assertThat(resources.hasConcept(entry.getValue(), (String) field.get(null)))
            .as(entry.getKey().getSimpleName() + "." + field.getName()).isTrue();
      }
    }
    for (var field : CodeSystems.Route.class.getFields()) {
      assertThat(resources.hasConcept(CodeSystems.ROUTE, (String) field.get(null))).as(field.getName()).isTrue();
    }
    // Every Lianyao code (except the open-ended chronic-disease list) has a constant.
    for (var entry : systems.entrySet()) {
      if (entry.getValue().startsWith("urn:oid:")) {
        continue;
      }
      Set<String> constants = new HashSet<>();
      for (var field : entry.getKey().getFields()) {
        constants.add((String) field.get(null));
      }
      assertThat(constants).as(entry.getKey().getSimpleName()).containsExactlyInAnyOrderElementsOf(
          resources.concepts(entry.getValue()).stream().map(ConceptDefinitionComponent::getCode).toList());
    }
  }

  @Test
  void tagDisplaysMatchTheCodeSystem() {
    assertThat(Tags.unmatchedDrug().getDisplay()).isEqualTo(resources.display(CodeSystems.DATA_QUALITY, "unmatched-drug").orElseThrow());
    assertThat(Tags.unlinkablePatient().getDisplay())
        .isEqualTo(resources.display(CodeSystems.DATA_QUALITY, "unlinkable-patient").orElseThrow());
    assertThat(Tags.unmatchedDrug().getSystem()).isEqualTo(CodeSystems.DATA_QUALITY);
  }

  private static boolean isNationalValueSet(ValueSet vs) {
    return NATIONAL.contains(vs.getCompose().getIncludeFirstRep().getSystem());
  }

  private static CodeSystem cs(String url) {
    return resources.codeSystem(url).orElseThrow(() -> new AssertionError("no CodeSystem " + url));
  }

  private static ValueSet vs(String url) {
    return resources.valueSet(url).orElseThrow(() -> new AssertionError("no ValueSet " + url));
  }

  private static String prop(String system, String code, String property) {
    return resources.concept(system, code).orElseThrow().getProperty().stream()
        .filter(p -> p.getCode().equals(property)).findFirst()
        .map(p -> p.getValue().primitiveValue()).orElse(null);
  }

  private static TargetElementComponent target(ConceptMap map, String source) {
    return map.getGroupFirstRep().getElement().stream().filter(e -> e.getCode().equals(source)).findFirst()
        .orElseThrow(() -> new AssertionError(map.getIdPart() + " has no element " + source))
        .getTargetFirstRep();
  }
}
