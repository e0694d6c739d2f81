package org.lianyao.shortage;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.SupplyRequest.SupplyRequestStatus;
import org.lianyao.terminology.IdentifierSystems;

/**
 * Business status of a shortage registration (缺药登记, a SupplyRequest). FHIR R4's SupplyRequest
 * status has no "ordered", so the business status rides in the extension {@link #EXTENSION}
 * (Coding from {@link #SYSTEM}) next to a matching FHIR status:
 *
 * <table>
 *   <tr><th>business status</th><th>SupplyRequest.status</th></tr>
 *   <tr><td>registered 已登记</td><td>active</td></tr>
 *   <tr><td>ordered 已采购</td><td>active</td></tr>
 *   <tr><td>delivered 已到货</td><td>completed</td></tr>
 *   <tr><td>cancelled 已取消</td><td>cancelled</td></tr>
 * </table>
 *
 * Allowed transitions: registered → ordered → delivered; registered or ordered → cancelled; and
 * {@code entered-in-error} from anywhere (a registration made by mistake). Nothing leaves
 * delivered or cancelled.
 */
public enum ShortageStatus {
  REGISTERED("registered", "已登记", SupplyRequestStatus.ACTIVE),
  ORDERED("ordered", "已采购", SupplyRequestStatus.ACTIVE),
  DELIVERED("delivered", "已到货", SupplyRequestStatus.COMPLETED),
  CANCELLED("cancelled", "已取消", SupplyRequestStatus.CANCELLED),
  /** Withdrawn as a mistake: not counted anywhere. */
  ENTERED_IN_ERROR("entered-in-error", "录入错误", SupplyRequestStatus.ENTEREDINERROR);

  public static final String SYSTEM = IdentifierSystems.CANONICAL_BASE + "/CodeSystem/shortage-status";
  public static final String EXTENSION = IdentifierSystems.CANONICAL_BASE + "/StructureDefinition/shortage-status";

  private static final Map<ShortageStatus, Set<ShortageStatus>> NEXT = Map.of(
      REGISTERED, EnumSet.of(ORDERED, CANCELLED, ENTERED_IN_ERROR),
      ORDERED, EnumSet.of(DELIVERED, CANCELLED, ENTERED_IN_ERROR),
      DELIVERED, EnumSet.of(ENTERED_IN_ERROR),
      CANCELLED, EnumSet.of(ENTERED_IN_ERROR),
      ENTERED_IN_ERROR, EnumSet.noneOf(ShortageStatus.class));

  private final String code;
  private final String display;
  private final SupplyRequestStatus fhirStatus;

  ShortageStatus(String code, String display, SupplyRequestStatus fhirStatus) {
    this.code = code;
    this.display = display;
    this.fhirStatus = fhirStatus;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public SupplyRequestStatus fhirStatus() {
    return fhirStatus;
  }

  public Coding toCoding() {
    return new Coding(SYSTEM, code, display);
  }

  /** May a registration go from this status to {@code next}? Staying put is always allowed. */
  public boolean mayBecome(ShortageStatus next) {
    return next == this || NEXT.get(this).contains(next);
  }

  public Set<ShortageStatus> next() {
    return NEXT.get(this);
  }

  public static Optional<ShortageStatus> ofCode(String code) {
    for (ShortageStatus s : values()) {
      if (s.code.equals(code)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * The business status a SupplyRequest carries: its extension when present, else derived from the
   * FHIR status (active → registered). Empty for FHIR statuses without a business meaning (draft,
   * suspended, unknown) or an extension that contradicts the FHIR status.
   */
  public static Optional<ShortageStatus> of(SupplyRequest request) {
    SupplyRequestStatus fhir = request.getStatus();
    Extension ext = request.getExtensionByUrl(EXTENSION);
    if (ext != null && ext.getValue() instanceof Coding c && SYSTEM.equals(c.getSystem())) {
      Optional<ShortageStatus> declared = ofCode(c.getCode());
      if (declared.isEmpty() || declared.get().fhirStatus != fhir) {
        return Optional.empty();
      }
      return declared;
    }
    if (fhir == null) {
      return Optional.empty();
    }
    return switch (fhir) {
      case ACTIVE -> Optional.of(REGISTERED);
      case COMPLETED -> Optional.of(DELIVERED);
      case CANCELLED -> Optional.of(CANCELLED);
      case ENTEREDINERROR -> Optional.of(ENTERED_IN_ERROR);
      default -> Optional.empty();
    };
  }

  /** Sets both the FHIR status and the business-status extension. */
  public void applyTo(SupplyRequest request) {
    request.setStatus(fhirStatus);
    request.getExtension().removeIf(e -> EXTENSION.equals(e.getUrl()));
    request.addExtension(EXTENSION, toCoding());
  }
}
