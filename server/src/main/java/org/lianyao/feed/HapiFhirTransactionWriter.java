package org.lianyao.feed;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.lianyao.feed.spi.FeedWriteException;
import org.lianyao.feed.spi.FhirTransactionWriter;
import org.lianyao.security.fhir.Denial;
import org.lianyao.security.fhir.InstitutionDirectory;
import org.lianyao.security.fhir.ResourceOwnership;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Writes a feed's transaction with HAPI's system DAO. A channel acts as its institution: before
 * the write, every institution-owned resource in the bundle (MedicationRequest, MedicationDispense
 * …) must pass the same ownership rule the FHIR API applies to that institution's HIS
 * ({@link ResourceOwnership#checkOwnedBy}); the write itself goes through HAPI's storage pipeline,
 * so profile validation and every other storage-scope interceptor apply exactly as for REST.
 * Must be called inside a transaction (HAPI's nested transaction processing). The write is done as
 * the system ({@link SystemRequestDetails}) because the REST-scope
 * authorization interceptor has no token to judge here; the ownership check stands in for it.
 */
public class HapiFhirTransactionWriter implements FhirTransactionWriter {

  private final IFhirSystemDao<Bundle, ?> systemDao;
  private final InstitutionDirectory directory;
  private final ResourceOwnership ownership;

  public HapiFhirTransactionWriter(IFhirSystemDao<Bundle, ?> systemDao, InstitutionDirectory directory,
      ResourceOwnership ownership) {
    this.systemDao = systemDao;
    this.directory = directory;
    this.ownership = ownership;
  }

  @Override
  public List<String> write(Bundle transaction, String actingInstitution) {
    checkOwnership(transaction, actingInstitution);
    Bundle response;
    try {
      // Nested: the feed's own transaction is open (message status, watermark, idempotency key
      // commit together with the resources); HAPI's transaction() insists on opening its own.
      response = systemDao.transactionNested(new SystemRequestDetails(), transaction);
    } catch (UnprocessableEntityException e) {
      throw new FeedWriteException(FeedWriteException.Reason.NOT_CONFORMING,
          "不符合联药数据规范：" + outcomeText(e.getOperationOutcome(), true),
          "resource does not conform to its Lianyao profile: " + outcomeText(e.getOperationOutcome(), false), e);
    } catch (ResourceVersionConflictException | ConcurrencyFailureException | DataIntegrityViolationException e) {
      throw new FeedWriteException(FeedWriteException.Reason.CONFLICT, "并发写入冲突，请重试",
          "concurrent write conflict: " + e.getMessage(), e);
    } catch (BaseServerResponseException e) {
      String outcome = outcomeText(e.getOperationOutcome(), true);
      throw new FeedWriteException(FeedWriteException.Reason.REFUSED,
          "联药 FHIR 存储拒绝写入：" + (outcome.isEmpty() ? e.getMessage() : outcome),
          "FHIR store refused the transaction (" + e.getStatusCode() + "): " + e.getMessage(), e);
    }
    List<String> ids = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : response.getEntry()) {
      String location = entry.getResponse().getLocation();
      if (location != null && !location.isBlank()) {
        ids.add(new IdType(location).toUnqualifiedVersionless().getValue());
      }
    }
    return ids;
  }

  private void checkOwnership(Bundle transaction, String institution) {
    Optional<String> organizationId = directory.organizationId(institution);
    if (organizationId.isEmpty()) {
      throw new FeedWriteException(FeedWriteException.Reason.NOT_OWNED,
          "机构 " + institution + " 未在联药登记（无此医保定点医疗机构编码的 Organization），请先登记机构",
          "institution " + institution + " is not registered (no Organization with this NHSA code)", null);
    }
    ResourceOwnership.Institution own = new ResourceOwnership.Institution(institution, organizationId.get());
    for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
      Resource resource = entry.getResource();
      if (resource == null || !ResourceOwnership.OWNED_TYPES.contains(resource.fhirType())) {
        continue;
      }
      Optional<Denial> denial = ownership.checkOwnedBy(resource, own, true);
      if (denial.isPresent()) {
        throw new FeedWriteException(FeedWriteException.Reason.NOT_OWNED, denial.get().chinese(),
            denial.get().english(), null);
      }
    }
  }

  /** Chinese details (or English diagnostics) of the error issues, with their locations. */
  static String outcomeText(IBaseOperationOutcome outcome, boolean chinese) {
    if (!(outcome instanceof OperationOutcome oo)) {
      return "";
    }
    return oo.getIssue().stream()
        .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
            || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
        .map(i -> {
          String text = chinese && i.getDetails().hasText() ? i.getDetails().getText()
              : i.hasDiagnostics() ? i.getDiagnostics() : i.getDetails().getText();
          String where = i.getExpression().isEmpty() ? "" : i.getExpression().get(0).getValue() + "：";
          return where + text;
        })
        .collect(Collectors.joining("；"));
  }
}
