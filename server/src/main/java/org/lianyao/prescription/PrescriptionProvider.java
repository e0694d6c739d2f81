package org.lianyao.prescription;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.lianyao.fhir.GatewayProvider;
import org.lianyao.prescription.consent.BreakGlass;
import org.lianyao.prescription.consent.SharingConsentService;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerContext;
import org.springframework.stereotype.Component;

/**
 * Prescription-sharing operations (issue #7). Thin: each delegates to its service.
 *
 * <ul>
 *   <li>{@code GET Patient/[id]/$shared-prescriptions}, {@code GET Patient/$shared-prescriptions?identifier=…}
 *       (resident ID, bare or {@code system|value}), optional {@code breakGlassReason} → searchset
 *       Bundle ({@link SharedPrescriptionService});
 *   <li>{@code POST MedicationRequest/[id]/$recognize} ({@code note}, {@code practitioner}) →
 *       Provenance ({@link RecognitionService});
 *   <li>{@code POST MedicationRequest/[id]/$extend} ({@code requester} required; {@code daysSupply},
 *       {@code quantity}, {@code dosage}, {@code longTerm}, {@code evaluation}, {@code substitute},
 *       {@code prescriptionNumber}, {@code note}) → the new MedicationRequest, or the SupplyRequest of
 *       a shortage registration ({@link ExtensionService});
 *   <li>{@code POST Patient/[id]/$sharing-consent} ({@code decision} = {@code deny} | {@code permit},
 *       {@code reason}) → the patient's new Consent ({@link SharingConsentService}).
 * </ul>
 */
@Component
public class PrescriptionProvider implements GatewayProvider {

  private final SharedPrescriptionService sharedView;
  private final RecognitionService recognition;
  private final ExtensionService extension;
  private final SharingConsentService consent;

  public PrescriptionProvider(SharedPrescriptionService sharedView, RecognitionService recognition,
      ExtensionService extension, SharingConsentService consent) {
    this.sharedView = sharedView;
    this.recognition = recognition;
    this.extension = extension;
    this.consent = consent;
  }

  @Operation(name = "$shared-prescriptions", type = Patient.class, idempotent = true)
  public Bundle sharedPrescriptions(
      @IdParam(optional = true) IdType patientId,
      @OperationParam(name = "identifier") StringType identifier,
      @OperationParam(name = "breakGlassReason") StringType breakGlassReason,
      RequestDetails request) {
    if (breakGlassReason != null) {
      BreakGlass.declare(request, breakGlassReason.getValue());
    }
    return sharedView.view(caller(request), request, patientId == null ? null : patientId.getIdPart(),
        identifier == null ? null : identifier.getValue());
  }

  @Operation(name = "$recognize", type = MedicationRequest.class)
  public Provenance recognize(
      @IdParam IdType prescriptionId,
      @OperationParam(name = "note") StringType note,
      @OperationParam(name = "practitioner") Reference practitioner,
      RequestDetails request) {
    return recognition.recognize(caller(request), request, prescriptionId.getIdPart(),
        note == null ? null : note.getValue(), practitioner);
  }

  @Operation(name = "$extend", type = MedicationRequest.class)
  public IBaseResource extend(
      @IdParam IdType prescriptionId,
      @OperationParam(name = "requester") Reference requester,
      @OperationParam(name = "daysSupply") IntegerType daysSupply,
      @OperationParam(name = "quantity") Quantity quantity,
      @OperationParam(name = "dosage") Dosage dosage,
      @OperationParam(name = "longTerm") BooleanType longTerm,
      @OperationParam(name = "evaluation") StringType evaluation,
      @OperationParam(name = "substitute") Reference substitute,
      @OperationParam(name = "prescriptionNumber") StringType prescriptionNumber,
      @OperationParam(name = "note") StringType note,
      RequestDetails request) {
    ExtensionService.ExtendRequest ask = new ExtensionService.ExtendRequest(requester,
        daysSupply == null ? null : daysSupply.getValue(), quantity, dosage,
        longTerm == null ? null : longTerm.getValue(), evaluation == null ? null : evaluation.getValue(),
        substitute, prescriptionNumber == null ? null : prescriptionNumber.getValue(),
        note == null ? null : note.getValue());
    return extension.extend(caller(request), request, prescriptionId.getIdPart(), ask);
  }

  @Operation(name = "$sharing-consent", type = Patient.class)
  public Consent sharingConsent(
      @IdParam IdType patientId,
      @OperationParam(name = "decision", min = 1) CodeType decision,
      @OperationParam(name = "reason") StringType reason,
      RequestDetails request) {
    return consent.record(caller(request), patientId.getIdPart(), decision == null ? null : decision.getValue(),
        reason == null ? null : reason.getValue());
  }

  private static Caller caller(RequestDetails request) {
    return CallerContext.of(request).orElse(null);
  }
}
