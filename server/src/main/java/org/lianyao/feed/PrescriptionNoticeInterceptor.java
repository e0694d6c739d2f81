package org.lianyao.feed;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.feed.outbound.PrescriptionNotice;
import org.lianyao.feed.outbound.PrescriptionNoticeEncoder;
import org.lianyao.feed.spi.MessageDirection;
import org.lianyao.feed.spi.NewMessage;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.terminology.Extensions;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Detects prescription changes that concern another institution and queues an HL7 v2 notice for
 * that institution's HIS, in the same database transaction as the change (storage pre-commit), so
 * a committed change always has its notice and a rolled-back one never does:
 *
 * <ul>
 *   <li>延伸处方: a MedicationRequest whose {@code basedOn} or {@code priorPrescription} is another
 *       institution's prescription, created or changed → the original's institution is told; the
 *       link is kept in {@code lianyao.prescription_link};</li>
 *   <li>an original that becomes cancelled/stopped while extensions of it exist → each institution
 *       holding an extension is told.</li>
 * </ul>
 *
 * Notices go to institutions with an HL7 channel that has an outbound destination; the others
 * learn through FHIR (rest-hook Subscriptions, camel-routes/docs/feeds.md). Delivery is {@code OutboundDelivery}'s job.
 */
public class PrescriptionNoticeInterceptor implements GatewayInterceptor {

  private static final Logger log = LoggerFactory.getLogger(PrescriptionNoticeInterceptor.class);

  /** An outbound destination of an institution. */
  public record Destination(String channel, String remote, Charset charset) {}

  /** Where an institution's notices go, if anywhere. */
  @FunctionalInterface
  public interface Destinations {
    Optional<Destination> of(String institution);
  }

  private record Original(String ref, String institution, Identifier number) {}

  private final DaoRegistry daoRegistry;
  private final JdbcMessageStore store;
  private final JdbcTemplate jdbc;
  private final PrescriptionNoticeEncoder encoder;
  private final Destinations destinations;

  public PrescriptionNoticeInterceptor(DaoRegistry daoRegistry, JdbcMessageStore store, JdbcTemplate jdbc,
      PrescriptionNoticeEncoder encoder, Destinations destinations) {
    this.daoRegistry = daoRegistry;
    this.store = store;
    this.jdbc = jdbc;
    this.encoder = encoder;
    this.destinations = destinations;
  }

  @Override
  public Scope scope() {
    return Scope.STORAGE;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    if (resource instanceof MedicationRequest mr) {
      changed(null, mr);
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    if (resource instanceof MedicationRequest mr) {
      changed(previous instanceof MedicationRequest old ? old : null, mr);
    }
  }

  private void changed(MedicationRequest previous, MedicationRequest mr) {
    List<Reference> originals = new ArrayList<>(mr.getBasedOn());
    if (mr.hasPriorPrescription()) {
      originals.add(mr.getPriorPrescription());
    }
    boolean ends = previous != null && !ended(previous) && ended(mr);
    if (originals.isEmpty() && !ends) {
      return; // the common case costs nothing
    }
    String own = institutionOf(mr);
    if (own == null) {
      return;
    }
    String id = mr.getIdElement().toUnqualifiedVersionless().getValue();
    Set<String> told = new LinkedHashSet<>();
    for (Reference reference : originals) {
      Optional<Original> original = original(reference);
      if (original.isEmpty() || own.equals(original.get().institution())) {
        continue;
      }
      link(mr.getIdElement().getIdPart(), original.get(), own);
      // Every stored change of an extension is news for the original's institution (HAPI does
      // not call this hook for an update that changes nothing, e.g. a resent message).
      if (told.add(original.get().institution())) {
        enqueue(new PrescriptionNotice(PrescriptionNotice.Kind.EXTENSION, original.get().institution(), own, mr,
            previous == null, patient(mr), original.get().number()));
      }
    }
    if (ends) {
      List<String> refs = new ArrayList<>();
      refs.add(id);
      for (Identifier identifier : mr.getIdentifier()) {
        refs.add(identifier.getSystem() + "|" + identifier.getValue());
      }
      String in = String.join(",", refs.stream().map(r -> "?").toList());
      List<String> holders = jdbc.queryForList("select distinct extension_institution from lianyao.prescription_link"
          + " where original_ref in (" + in + ")", String.class, refs.toArray());
      for (String holder : holders) {
        if (!holder.equals(own) && told.add(holder)) {
          enqueue(new PrescriptionNotice(PrescriptionNotice.Kind.ORIGINAL_ENDED, holder, own, mr, false, patient(mr),
              null));
        }
      }
    }
  }

  private void enqueue(PrescriptionNotice notice) {
    Optional<Destination> destination = destinations.of(notice.targetInstitution());
    if (destination.isEmpty()) {
      log.debug("No HL7 outbound destination for {}: notice left to FHIR subscriptions", notice.targetInstitution());
      return;
    }
    PrescriptionNoticeEncoder.Encoded encoded = encoder.encode(notice, destination.get().charset());
    store.register(new NewMessage(MessageDirection.OUT, destination.get().channel(), NewMessage.HL7V2, "RDE^O11",
        encoded.controlId(), encoded.charset().name(), encoded.bytes(), destination.get().remote()));
    log.info("Queued {} notice {} for {} about {}", notice.kind(), encoded.controlId(), notice.targetInstitution(),
        notice.request().getIdElement().toUnqualifiedVersionless().getValue());
  }

  private void link(String extensionId, Original original, String own) {
    Integer exists = jdbc.queryForObject("select count(*) from lianyao.prescription_link where extension_id = ?"
        + " and original_ref = ?", Integer.class, extensionId, original.ref());
    if (exists == null || exists == 0) {
      jdbc.update("insert into lianyao.prescription_link (extension_id, original_ref, extension_institution,"
          + " original_institution, created_at) values (?, ?, ?, ?, ?)", extensionId, original.ref(), own,
          original.institution(), JdbcMessageStore.now());
    }
  }

  private static boolean ended(MedicationRequest mr) {
    return mr.getStatus() == MedicationRequestStatus.CANCELLED || mr.getStatus() == MedicationRequestStatus.STOPPED
        || mr.getStatus() == MedicationRequestStatus.ENTEREDINERROR;
  }

  /** The original prescription behind a basedOn/priorPrescription reference. */
  private Optional<Original> original(Reference reference) {
    if (reference.hasReference() && reference.getReference().startsWith("MedicationRequest/")) {
      IdType id = new IdType(reference.getReference()).toUnqualifiedVersionless();
      Optional<MedicationRequest> original = read(MedicationRequest.class, id);
      if (original.isEmpty()) {
        return Optional.empty();
      }
      String institution = institutionOf(original.get());
      return institution == null ? Optional.empty()
          : Optional.of(new Original(id.getValue(), institution, PrescriptionNoticeEncoder.prescriptionNumber(original.get())));
    }
    if (reference.hasIdentifier()) {
      Identifier number = reference.getIdentifier();
      Optional<String> institution = IdentifierSystems.institutionCodeOf(number.getSystem());
      if (institution.isPresent()) {
        return Optional.of(new Original(number.getSystem() + "|" + number.getValue(), institution.get(), number));
      }
    }
    return Optional.empty();
  }

  /** NHSA code of the prescribing institution. */
  private String institutionOf(MedicationRequest mr) {
    for (Extension extension : mr.getExtensionsByUrl(Extensions.PRESCRIBING_INSTITUTION)) {
      if (extension.getValue() instanceof Reference ref) {
        if (ref.hasIdentifier() && IdentifierSystems.NHSA_INSTITUTION_CODE.equals(ref.getIdentifier().getSystem())) {
          return ref.getIdentifier().getValue();
        }
        String raw = ref.getReference();
        if (raw != null && raw.startsWith("Organization?")) {
          String value = URLDecoder.decode(raw.substring(raw.indexOf('=') + 1), StandardCharsets.UTF_8);
          return value.substring(value.indexOf('|') + 1);
        }
        if (raw != null && raw.startsWith("Organization/")) {
          Optional<Organization> org = read(Organization.class, new IdType(raw));
          if (org.isPresent()) {
            for (Identifier identifier : org.get().getIdentifier()) {
              if (IdentifierSystems.NHSA_INSTITUTION_CODE.equals(identifier.getSystem())) {
                return identifier.getValue();
              }
            }
          }
        }
      }
    }
    Identifier number = PrescriptionNoticeEncoder.prescriptionNumber(mr);
    return number == null ? null : IdentifierSystems.institutionCodeOf(number.getSystem()).orElse(null);
  }

  private Patient patient(MedicationRequest mr) {
    if (!mr.getSubject().hasReference() || !mr.getSubject().getReference().startsWith("Patient/")) {
      return null;
    }
    return read(Patient.class, new IdType(mr.getSubject().getReference())).orElse(null);
  }

  private <T extends IBaseResource> Optional<T> read(Class<T> type, IdType id) {
    try {
      return Optional.of(daoRegistry.getResourceDao(type).read(id.toUnqualifiedVersionless(), new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }
}
