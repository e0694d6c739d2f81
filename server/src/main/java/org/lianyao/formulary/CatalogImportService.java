package org.lianyao.formulary;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.conformance.ProfileEnforcementInterceptor;
import org.lianyao.feed.catalog.CatalogImportResult;
import org.lianyao.feed.catalog.CatalogImporter;
import org.lianyao.feed.catalog.CatalogItem;
import org.lianyao.feed.catalog.CatalogProblem;
import org.lianyao.feed.catalog.CatalogTransactionWriter;
import org.lianyao.feed.catalog.CatalogWriteException;
import org.lianyao.feed.catalog.CatalogWriteOutcome;
import org.lianyao.feed.catalog.FormularyTarget;
import org.lianyao.formulary.index.FormularyIndex;
import org.lianyao.terminology.CodeSystems;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Writes catalog files into a formulary version, for {@code InsurancePlan/$import-catalog} and the
 * Camel file route alike: one FHIR transaction through HAPI's system DAO, so a file imports
 * completely or not at all.
 *
 * <p><b>Re-import.</b> The formulary ends up holding exactly the file's items: an item of the version
 * whose product the file no longer lists is deleted in the same transaction (HAPI keeps its
 * history). A 调出 row is not such a case — it is imported as an item with change type
 * {@code remove}, the record of the removal. Importing the same file again changes nothing: every
 * conditional update is a no-op and nothing is deleted.
 *
 * <p><b>Member formularies.</b> Before writing, every row is checked against the consortium version
 * the member formulary points to, so the report names each row outside it; the storage rule
 * ({@link FormularyRulesInterceptor}) checks the same again on write.
 */
@Service
public class CatalogImportService implements CatalogTransactionWriter {

  private static final Logger log = LoggerFactory.getLogger(CatalogImportService.class);
  private static final String STORAGE_RESPONSE_CODE = "https://hapifhir.io/fhir/CodeSystem/hapi-fhir-storage-response-code";

  private final CatalogImporter importer;
  private final Formularies formularies;
  private final FormularyIndex index;
  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final ObjectProvider<ProfileEnforcementInterceptor> enforcement;

  public CatalogImportService(CatalogImporter importer, Formularies formularies, FormularyIndex index,
      IFhirSystemDao<Bundle, ?> systemDao, ObjectProvider<ProfileEnforcementInterceptor> enforcement) {
    this.importer = importer;
    this.formularies = formularies;
    this.index = index;
    this.systemDao = systemDao;
    this.enforcement = enforcement;
  }

  /**
   * Result of {@link #importFile}: the validation, and what was written (none when it had problems).
   */
  public record Imported(CatalogImportResult prepared, CatalogWriteOutcome outcome) {}

  /**
   * Reads, checks and — when the file has no problem — writes a catalog file into {@code formulary}.
   *
   * @throws CatalogWriteException when the store refuses the whole file (nothing written)
   */
  public Imported importFile(InputStream in, String fileName, FormularyVersion formulary) throws IOException {
    FormularyTarget target = targetOf(formulary);
    CatalogImportResult prepared = importer.prepare(in, fileName, target);
    if (!prepared.isValid()) {
      return new Imported(prepared, null);
    }
    return new Imported(prepared, write(prepared, target));
  }

  /** The import target of a version: named by its formulary identifier (the one key style). */
  public static FormularyTarget targetOf(FormularyVersion formulary) {
    if (formulary.identifier() == null || formulary.identifier().isBlank()) {
      throw FormularyOutcomes.unprocessable(
          "目录版本“" + formulary.label() + "”没有目录版本编号（identifier，system = " + IdentifierSystems.FORMULARY
              + "），无法导入；请先为其登记编号，如 YGT-2025",
          formulary.reference() + " has no identifier in " + IdentifierSystems.FORMULARY + "; catalog items are keyed by it");
    }
    return FormularyTarget.ofIdentifier(IdentifierSystems.FORMULARY, formulary.identifier());
  }

  @Override
  public CatalogWriteOutcome write(CatalogImportResult prepared, FormularyTarget target) {
    if (!prepared.isValid()) {
      throw new IllegalArgumentException("an import with problems is never written");
    }
    FormularyVersion formulary = formularies.versionByIdentifier(target.key()).orElseThrow(() -> new CatalogWriteException(
        "目录版本“" + target.key() + "”不存在：请先建立该目录版本（InsurancePlan，identifier = " + target.key() + "）再导入",
        "no formulary version with identifier " + IdentifierSystems.FORMULARY + "|" + target.key()));
    if (formulary.kind() == FormularyKind.MEMBER) {
      checkInsideConsortium(prepared, formulary);
    }

    Bundle transaction = prepared.transaction().copy();
    Set<String> fileKeys = new HashSet<>();
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      if (entry.getResource() instanceof Basic basic) {
        // The version is known now: point at it directly instead of letting HAPI resolve the same
        // conditional reference once per item.
        for (Extension ext : basic.getExtensionsByUrl(Extensions.FORMULARY_REFERENCE)) {
          ext.setValue(new Reference(formulary.reference()));
        }
        if (itemKey(basic) != null) {
          fileKeys.add(itemKey(basic));
        }
      } else if (entry.getResource() instanceof Medication medication) {
        markWithoutNationalCode(medication);
      }
    }
    List<IBaseResource> created = resolveKeys(transaction);
    int stale = 0;
    for (FormularyEntry existing : index.entries(List.of(formulary.id()))) {
      if (existing.itemKey() == null || !fileKeys.contains(existing.itemKey())) {
        transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("Basic/" + existing.itemId());
        stale++;
      }
    }

    long start = System.currentTimeMillis();
    Bundle response;
    if (formulary.kind() == FormularyKind.MEMBER) {
      // Every row was checked above; the storage rule would read each Medication again.
      FormularyRulesInterceptor.CHECKED_BY_IMPORT.set(formulary.id());
    }
    try {
      // New resources are validated alongside the transaction on all cores; an update is left to the
      // write, which skips validating it when its content did not change (a re-import).
      ProfileEnforcementInterceptor profiles = enforcement.getIfAvailable();
      response = profiles == null
          ? systemDao.transaction(new SystemRequestDetails(), transaction)
          : profiles.bulkWrite(created, () -> systemDao.transaction(new SystemRequestDetails(), transaction));
    } catch (BaseServerResponseException e) {
      throw new CatalogWriteException(problems(e), e);
    } finally {
      FormularyRulesInterceptor.CHECKED_BY_IMPORT.remove();
    }
    CatalogWriteOutcome outcome = count(formulary, prepared.itemCount(), response);
    log.info("Catalog {} → {} ({}): {} in {} ms ({} stale items)", prepared.validation().file().sourceName(),
        formulary.identifier(), formulary.reference(), outcome.summary(), System.currentTimeMillis() - start, stale);
    return outcome;
  }

  /**
   * Turns the converter's conditional updates into updates by id. HAPI checks every conditional entry
   * of a transaction against every resource the transaction writes (a quadratic duplicate check: a
   * 5,000-row first import took 400 s), so the keys are resolved here through the formulary index
   * instead: a known product or item is updated by its id; a new one is created under an id derived
   * from its key, so two imports of the same new product still meet on one resource. Same result as
   * the conditional updates: one Medication per product key, one item per formulary and product.
   *
   * @return the resources the transaction will create (no stored resource has their key yet)
   */
  List<IBaseResource> resolveKeys(Bundle transaction) {
    List<IBaseResource> created = new ArrayList<>();
    List<String> medicationKeys = new ArrayList<>();
    List<String> itemKeys = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      if (entry.getResource() instanceof Medication m && FormularyResources.keyIdentifier(m) != null) {
        medicationKeys.add(FormularyResources.keyIdentifier(m));
      } else if (entry.getResource() instanceof Basic b && itemKey(b) != null) {
        itemKeys.add(itemKey(b));
      }
    }
    Map<String, String> medications = index.medicationsByKey(medicationKeys);
    Map<String, String> items = index.itemsByKey(itemKeys);
    Map<String, String> placeholders = new HashMap<>();
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      String type = entry.getResource() == null ? null : entry.getResource().fhirType();
      String key = entry.getResource() instanceof Medication m ? FormularyResources.keyIdentifier(m)
          : entry.getResource() instanceof Basic b ? itemKey(b) : null;
      if (key == null || entry.getRequest().getMethod() != Bundle.HTTPVerb.PUT) {
        continue; // left as the converter wrote it
      }
      String known = "Medication".equals(type) ? medications.get(key) : items.get(key);
      String id = known != null ? known : derivedId("Medication".equals(type) ? "med" : "item", key);
      if (known == null) {
        created.add(entry.getResource());
      }
      entry.getResource().setId(type + "/" + id);
      entry.getRequest().setUrl(type + "/" + id);
      if (entry.hasFullUrl()) {
        placeholders.put(entry.getFullUrl(), type + "/" + id);
      }
    }
    // An item's Medication by its id too, as HAPI would write it: the items are then validated
    // before the transaction with the content they are stored with.
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      if (entry.getResource() instanceof Basic basic && placeholders.containsKey(basic.getSubject().getReference())) {
        basic.getSubject().setReference(placeholders.get(basic.getSubject().getReference()));
      }
    }
    return created;
  }

  private static String itemKey(Basic basic) {
    return basic.getIdentifier().stream().filter(i -> IdentifierSystems.FORMULARY_ITEM.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse(null);
  }

  /** {@code med-<32 hex>}: the first 128 bits of SHA-256 over the key; never numeric, as HAPI requires. */
  static String derivedId(String prefix, String key) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return prefix + "-" + java.util.HexFormat.of().formatHex(hash, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Every row of a member formulary file must be a product-spec of its consortium version. */
  private void checkInsideConsortium(CatalogImportResult prepared, FormularyVersion member) {
    FormularyVersion parent = member.parentId() == null ? null : formularies.version(member.parentId()).orElse(null);
    if (parent == null || parent.kind() != FormularyKind.CONSORTIUM) {
      throw new CatalogWriteException("成员单位目录“" + member.label() + "”未以 parent-formulary 指向医联体目录版本，无法导入",
          "member formulary " + member.reference() + " has no consortium parent-formulary");
    }
    List<CatalogProblem> problems = new ArrayList<>();
    for (CatalogItem item : prepared.validation().items()) {
      Product product = new Product("-", item.genericName(), item.dosageForm().code(), item.dosageFormText(),
          item.strength(), item.packageText(), item.manufacturer(), item.nhsaDrugCode());
      if (index.findSameProduct(parent.id(), product).isEmpty()) {
        problems.add(new CatalogProblem(item.rowNumber(), "通用名", product.label(),
            "品规“" + product.label() + "”不在医联体目录“" + parent.label() + "”中：成员单位目录须在所属医联体目录范围内"
                + "（通用名、剂型、规格、生产企业均相同，或医保药品编码相同）",
            "not a product-spec of consortium version " + parent.reference()
                + (parent.identifier() == null ? "" : " (" + parent.identifier() + ")")));
      }
    }
    if (!problems.isEmpty()) {
      throw new CatalogWriteException(problems, null);
    }
  }

  /**
   * The Medication profile asks for an NHSA drug code or NMPA standard code, or the
   * {@code data-quality#unmatched-drug} tag; catalog rows may carry neither code (the committee's
   * file leaves them empty), so such products get the tag rather than an invented code.
   */
  static void markWithoutNationalCode(Medication medication) {
    boolean coded = medication.getCode().getCoding().stream().anyMatch(c ->
        IdentifierSystems.NHSA_DRUG_CODE.equals(c.getSystem()) || IdentifierSystems.NMPA_STANDARD_CODE.equals(c.getSystem()));
    if (!coded && medication.getMeta().getTag(CodeSystems.DATA_QUALITY, "unmatched-drug") == null) {
      medication.getMeta().addTag(new Coding(CodeSystems.DATA_QUALITY, "unmatched-drug", "药品未匹配"));
    }
  }

  private static CatalogWriteOutcome count(FormularyVersion formulary, int items, Bundle response) {
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int removed = 0;
    for (Bundle.BundleEntryComponent entry : response.getEntry()) {
      String code = storageCode(entry);
      String status = entry.getResponse().getStatus();
      if (code.startsWith("SUCCESSFUL_DELETE")) {
        removed++;
      } else if (code.endsWith("NO_CHANGE")) {
        unchanged++;
      } else if (code.startsWith("SUCCESSFUL_CREATE") || "SUCCESSFUL_UPDATE_AS_CREATE".equals(code)
          || "SUCCESSFUL_UPDATE_NO_CONDITIONAL_MATCH".equals(code) || (code.isEmpty() && status != null && status.startsWith("201"))) {
        created++;
      } else {
        updated++;
      }
    }
    return new CatalogWriteOutcome(formulary.reference(), items, created, updated, unchanged, removed);
  }

  private static String storageCode(Bundle.BundleEntryComponent entry) {
    if (entry.getResponse().getOutcome() instanceof OperationOutcome oo) {
      for (OperationOutcome.OperationOutcomeIssueComponent issue : oo.getIssue()) {
        for (Coding c : issue.getDetails().getCoding()) {
          if (STORAGE_RESPONSE_CODE.equals(c.getSystem())) {
            return c.getCode();
          }
        }
      }
    }
    return "";
  }

  /** The store's refusal as report lines: Chinese text and English diagnostic of each issue. */
  static List<CatalogProblem> problems(BaseServerResponseException e) {
    List<CatalogProblem> problems = new ArrayList<>();
    IBaseOperationOutcome base = e.getOperationOutcome();
    if (base instanceof OperationOutcome oo) {
      for (OperationOutcome.OperationOutcomeIssueComponent issue : oo.getIssue()) {
        if (issue.getSeverity() == OperationOutcome.IssueSeverity.INFORMATION
            || issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING) {
          continue;
        }
        String chinese = issue.getDetails().hasText() ? issue.getDetails().getText() : issue.getDiagnostics();
        problems.add(new CatalogProblem(CatalogProblem.FILE, "", "",
            "写入被拒绝，未导入任何数据：" + chinese,
            "HTTP " + e.getStatusCode() + ": " + (issue.hasDiagnostics() ? issue.getDiagnostics() : e.getMessage())));
      }
    }
    if (problems.isEmpty()) {
      problems.add(new CatalogProblem(CatalogProblem.FILE, "", "", "写入被拒绝，未导入任何数据：" + e.getMessage(),
          "HTTP " + e.getStatusCode() + ": " + e.getMessage()));
    }
    return problems;
  }
}
