package org.lianyao.security.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.lianyao.security.Caller;
import org.lianyao.security.SecurityProperties;
import org.lianyao.terminology.IdentifierSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the security audit trail as FHIR AuditEvents (readable by the auditor role): every
 * refused request (401/403, including bad tokens and failed client authentication) and every
 * cross-institution read of patient data. Events are written as the system through HAPI's DAO, in
 * their own transaction on a background thread, so that auditing can neither be refused by the
 * authorization it records, nor be rolled back with the refused request, nor fail or slow it.
 *
 * <p>The writer gathers events into one transaction: after the first, it waits up to {@code linger}
 * for more (or until {@code max-batch} are there), so that the cost of a transaction (commit, a
 * round trip per table) is shared by many events even at a trickle of requests. A batch that fails
 * is written again event by event, so one bad event costs only itself; while the database cannot
 * be reached the writer keeps its batch and tries again with a growing pause. An event is lost (and
 * logged, without PHI, and counted: {@link SecurityAuditMetrics}) only when the queue is full or
 * its own write fails.
 */
public class SecurityAuditService {

  private static final Logger log = LoggerFactory.getLogger(SecurityAuditService.class);

  /** Identifier system of OAuth2 client ids in audit agents (Lianyao-defined). */
  public static final String CLIENT_ID_SYSTEM = IdentifierSystems.CANONICAL_BASE + "/sid/oauth-client";

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
  static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
  static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
  static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  /** Who made the request. {@code verified=false}: read from a token that failed validation. */
  public record Agent(String clientId, String institution, String role, boolean verified, String networkAddress) {

    public static Agent of(Caller caller, String networkAddress) {
      return new Agent(caller.clientId(), caller.institution(), caller.role().claimValue(), true, networkAddress);
    }

    public static Agent anonymous(String networkAddress) {
      return new Agent(null, null, null, false, networkAddress);
    }
  }

  /** A refused request. */
  public record Refusal(
      Agent agent,
      String method,
      String path,
      String interaction,
      boolean seriousFailure,
      String chinese,
      String english,
      String missingRight,
      String target) {}

  /** A resource of another institution that a caller read. */
  public record Access(String resource, String owner, String patient) {}

  /** While lingering, the writer looks at least this often whether a flush or shutdown wants it to stop. */
  private static final long LINGER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final Pattern LOCAL_REFERENCE = Pattern.compile("[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\\-.]{1,64}");

  private final DaoRegistry daoRegistry;
  private final IIdHelperService<JpaPid> idHelper;
  private final TransactionTemplate ownTransaction;
  private final BlockingQueue<Pending> queue;
  private final int maxBatch;
  private final long lingerNanos;
  private final Thread writer;
  /** Events accepted and not yet written or given up: queued plus the batch being written. */
  private final AtomicInteger unwritten = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong transactions = new AtomicLong();
  private volatile boolean running = true;
  /** Callers waiting in {@link #flush}: while there are any, the writer does not linger. */
  private final AtomicInteger flushing = new AtomicInteger();
  /**
   * While no transaction can be begun (the database is out of reach), the writer keeps what it holds
   * and tries again with a growing pause: nothing is lost by waiting, and the queue keeps taking
   * events meanwhile (up to its capacity). Not once the service is stopping.
   */
  private final RetryTemplate whileUnreachable = RetryTemplate.builder()
      .infiniteRetry()
      .retryOn(e -> e instanceof CannotCreateTransactionException && running)
      .exponentialBackoff(500, 2, 30_000)
      .withListener(new RetryListener() {
        @Override
        public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback, Throwable e) {
          if (e instanceof CannotCreateTransactionException) {
            log.warn("Security audit events wait for the database (attempt {}): {}", context.getRetryCount(), e.toString());
          }
        }
      })
      .build();

  /** An event and HAPI's keys of the resources it names that the request had loaded. */
  private record Pending(AuditEvent event, Map<String, JpaPid> knownPids) {}

  public SecurityAuditService(DaoRegistry daoRegistry, IIdHelperService<JpaPid> idHelper,
      PlatformTransactionManager transactionManager, SecurityProperties.Audit settings) {
    this.daoRegistry = daoRegistry;
    this.idHelper = idHelper;
    this.ownTransaction = new TransactionTemplate(transactionManager);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.maxBatch = Math.max(1, settings.maxBatch());
    this.lingerNanos = Math.max(0, settings.linger().toNanos());
    this.writer = new Thread(this::writeLoop, "security-audit");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Records a refused request (401 or 403). Never throws. */
  public void refused(Refusal refusal) {
    try {
      log.warn("Access refused: {} {} by client={} institution={} role={}{}: {} (missing {})",
          refusal.method(), refusal.path(), refusal.agent().clientId(), refusal.agent().institution(),
          refusal.agent().role(), refusal.agent().verified() ? "" : " (unverified)", refusal.english(),
          refusal.missingRight());
      AuditEvent event = newEvent(refusal.agent());
      event.setType(new Coding(DCM, "110113", "Security Alert"));
      if (refusal.interaction() != null) {
        event.addSubtype(new Coding(RESTFUL_INTERACTION, refusal.interaction(), refusal.interaction()));
      }
      event.setAction(actionOf(refusal.interaction(), refusal.method()));
      event.setOutcome(refusal.seriousFailure() ? AuditEventOutcome._8 : AuditEventOutcome._4);
      event.setOutcomeDesc(truncate(refusal.chinese() + " | " + refusal.english(), 1000));
      AuditEventEntityComponent entity = event.addEntity();
      entity.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
      entity.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
      if (refusal.target() != null) {
        entity.setWhat(new Reference(refusal.target()));
      }
      entity.setDescription(truncate(refusal.method() + " " + refusal.path(), 500));
      if (refusal.missingRight() != null) {
        entity.addDetail().setType("missing-right").setValue(
            new org.hl7.fhir.r4.model.StringType(truncate(refusal.missingRight(), 200)));
      }
      submit(event);
    } catch (RuntimeException e) {
      log.error("Could not record a security audit event: {}", e.toString());
    }
  }

  /**
   * Records that a caller read other institutions' patient data in one request.
   *
   * @param interaction restful-interaction code, e.g. {@code read} or {@code search-type}
   * @param query the search query string, kept base64-encoded as FHIR asks (may hold identifiers)
   */
  public void crossInstitutionRead(Caller caller, String networkAddress, String method, String path,
      String interaction, String query, List<Access> accesses) {
    crossInstitutionRead(caller, networkAddress, method, path, interaction, query, accesses, Map.of());
  }

  /**
   * As above; {@code knownPids} are HAPI's keys of resources the request loaded (by reference, e.g.
   * {@code MedicationRequest/12}), so that storing the event links them without looking each up again
   * (HAPI checks every reference of a new resource: one query per prescription listed).
   */
  public void crossInstitutionRead(Caller caller, String networkAddress, String method, String path,
      String interaction, String query, List<Access> accesses, Map<String, JpaPid> knownPids) {
    try {
      AuditEvent event = newEvent(Agent.of(caller, networkAddress));
      event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "RESTful Operation"));
      event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction, interaction));
      event.setAction(interaction != null && interaction.startsWith("search") ? AuditEventAction.E : AuditEventAction.R);
      event.setOutcome(AuditEventOutcome._0);
      event.setOutcomeDesc("跨机构读取患者数据 " + accesses.size() + " 条 | cross-institution read of "
          + accesses.size() + " resource(s)");
      event.addPurposeOfEvent(new CodeableConcept(new Coding(ACT_REASON, "TREAT", "treatment")));
      if (query != null && !query.isEmpty()) {
        AuditEventEntityComponent q = event.addEntity();
        q.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
        q.setRole(new Coding(OBJECT_ROLE, "24", "Query"));
        q.setQuery(query.getBytes(StandardCharsets.UTF_8));
        q.setDescription(method + " " + path);
      }
      java.util.Set<String> patients = new java.util.LinkedHashSet<>();
      for (Access access : accesses) {
        AuditEventEntityComponent e = event.addEntity();
        e.setWhat(new Reference(access.resource()));
        e.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
        e.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
        if (access.owner() != null) {
          e.setDescription("owner " + access.owner());
        }
        if (access.patient() != null) {
          patients.add(access.patient());
        }
      }
      for (String patient : patients) {
        AuditEventEntityComponent p = event.addEntity();
        p.setWhat(new Reference(patient));
        p.setType(new Coding(ENTITY_TYPE, "1", "Person"));
        p.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
      }
      Map<String, JpaPid> linked = new HashMap<>();
      for (AuditEventEntityComponent e : event.getEntity()) {
        String ref = e.getWhat().getReference();
        if (ref != null && knownPids.containsKey(ref)) {
          linked.put(ref, knownPids.get(ref));
        }
      }
      submit(event, linked);
    } catch (RuntimeException e) {
      log.error("Could not record a cross-institution read audit event: {}", e.toString());
    }
  }

  private AuditEvent newEvent(Agent agent) {
    AuditEvent event = new AuditEvent();
    event.setRecorded(new Date());
    AuditEventAgentComponent client = event.addAgent();
    client.setRequestor(true);
    client.setType(new CodeableConcept(new Coding(DCM, "110150", "Application")));
    if (agent.clientId() != null) {
      Reference who = new Reference();
      who.setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(truncate(agent.clientId(), 128)));
      who.setDisplay(truncate(agent.clientId(), 128) + (agent.verified() ? "" : " (unverified)"));
      client.setWho(who);
      client.setAltId(truncate(agent.clientId(), 128));
    } else {
      client.setName("anonymous");
    }
    if (agent.role() != null) {
      client.addRole(new CodeableConcept().setText(truncate(agent.role(), 64)));
    }
    if (agent.networkAddress() != null) {
      client.getNetwork().setAddress(agent.networkAddress()).setType(AuditEventAgentNetworkType._2);
    }
    if (agent.institution() != null) {
      AuditEventAgentComponent org = event.addAgent();
      org.setRequestor(false);
      org.setType(new CodeableConcept(new Coding(PARTICIPATION, "PRF", "performer")));
      Reference who = new Reference();
      who.setType("Organization");
      who.setIdentifier(new Identifier().setSystem(IdentifierSystems.NHSA_INSTITUTION_CODE)
          .setValue(truncate(agent.institution(), 64)));
      who.setDisplay(truncate(agent.institution(), 64) + (agent.verified() ? "" : " (unverified)"));
      org.setWho(who);
    }
    event.getSource().setSite("Lianyao").setObserver(new Reference().setDisplay("Lianyao FHIR gateway"))
        .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
    return event;
  }

  private void submit(AuditEvent event) {
    submit(event, Map.of());
  }

  private void submit(AuditEvent event, Map<String, JpaPid> knownPids) {
    unwritten.incrementAndGet();
    if (!running || !queue.offer(new Pending(event, knownPids))) {
      unwritten.decrementAndGet();
      long n = dropped.incrementAndGet();
      log.error("Security audit queue full or closed: audit event dropped ({} dropped so far)", n);
    }
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        gather(batch);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("Security audit writer: {}", e.toString());
      } finally {
        unwritten.addAndGet(-batch.size());
        batch.clear();
      }
    }
  }

  /**
   * Adds what waits to the batch, and what arrives within the linger time, up to {@code maxBatch}.
   * Polls in short slices so that a flush or a shutdown ends the wait at once.
   */
  private void gather(List<Pending> batch) throws InterruptedException {
    queue.drainTo(batch, maxBatch - batch.size());
    long deadline = System.nanoTime() + lingerNanos;
    while (batch.size() < maxBatch && running && flushing.get() == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(Math.min(left, LINGER_SLICE_NANOS), TimeUnit.NANOSECONDS);
      if (next != null) {
        batch.add(next);
        queue.drainTo(batch, maxBatch - batch.size());
      }
    }
  }

  /** Writes a batch in one transaction; if that fails, each event in its own. */
  private void write(List<Pending> batch) {
    try {
      inOwnTransaction(() -> batch.forEach(this::store));
      transactions.incrementAndGet();
      written.addAndGet(batch.size());
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        failed.incrementAndGet();
        log.error("Could not write security audit event: {}", e.toString());
        return;
      }
      log.warn("Security audit batch of {} events failed ({}); writing them one by one", batch.size(), e.toString());
    }
    for (Pending pending : batch) {
      try {
        inOwnTransaction(() -> store(pending));
        transactions.incrementAndGet();
        written.incrementAndGet();
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        log.error("Could not write security audit event: {}", e.toString());
      }
    }
  }

  /** Runs the work in a new transaction, waiting out an unreachable database ({@link #whileUnreachable}). */
  private void inOwnTransaction(Runnable work) {
    whileUnreachable.execute(context -> {
      ownTransaction.executeWithoutResult(status -> work.run());
      return null;
    });
  }

  private void store(Pending pending) {
    TransactionDetails details = new TransactionDetails();
    pending.knownPids().forEach((ref, pid) -> details.addResolvedResourceId(new IdType(ref), pid));
    resolveOtherEntities(pending.event(), pending.knownPids(), details);
    daoRegistry.getResourceDao(AuditEvent.class).create(pending.event(), null, true, new SystemRequestDetails(), details);
  }

  /**
   * Keys of the entities the request did not load (typically the patient a search names), from HAPI's
   * identity cache: HAPI itself checks every reference of a new resource in the database (a deleted
   * target must not be referenced), one query per event, while an audit record may well name a
   * patient deleted a moment ago.
   */
  private void resolveOtherEntities(AuditEvent event, Map<String, JpaPid> knownPids, TransactionDetails details) {
    List<IIdType> others = new ArrayList<>();
    for (AuditEventEntityComponent e : event.getEntity()) {
      String ref = e.getWhat().getReference();
      // Only plain local references to stored types: anything else is left to HAPI as before (a
      // failure in here would roll back the event's transaction).
      if (ref != null && !knownPids.containsKey(ref) && LOCAL_REFERENCE.matcher(ref).matches()
          && daoRegistry.isResourceTypeSupported(ref.substring(0, ref.indexOf('/')))) {
        others.add(new IdType(ref));
      }
    }
    if (!others.isEmpty()) {
      idHelper.resolveResourceIdentities(RequestPartitionId.allPartitions(), others,
              ResolveIdentityMode.includeDeleted().cacheOk())
          .forEach((id, lookup) -> details.addResolvedResourceId(id, lookup.getPersistentId()));
    }
  }

  private static AuditEventAction actionOf(String interaction, String method) {
    if (interaction != null) {
      switch (interaction) {
        case "create":
          return AuditEventAction.C;
        case "read":
        case "vread":
        case "history-instance":
          return AuditEventAction.R;
        case "update":
        case "patch":
          return AuditEventAction.U;
        case "delete":
          return AuditEventAction.D;
        default:
          return AuditEventAction.E;
      }
    }
    if (method == null) {
      return AuditEventAction.E;
    }
    switch (method) {
      case "GET":
      case "HEAD":
        return AuditEventAction.R;
      case "PUT":
      case "PATCH":
        return AuditEventAction.U;
      case "DELETE":
        return AuditEventAction.D;
      default:
        return AuditEventAction.E;
    }
  }

  static String truncate(String s, int max) {
    if (s == null) {
      return null;
    }
    String clean = s.replaceAll("\\p{Cntrl}", " ");
    return clean.length() <= max ? clean : clean.substring(0, max) + "…";
  }

  /** Audit events dropped because the queue was full or closed (each drop is also logged). */
  public long droppedCount() {
    return dropped.get();
  }

  /** Audit events whose own write failed (each is also logged). */
  public long failedCount() {
    return failed.get();
  }

  /** Audit events accepted and not yet written or given up. */
  public int waitingCount() {
    return unwritten.get();
  }

  /** Audit events written so far. */
  public long writtenCount() {
    return written.get();
  }

  /** Transactions that wrote them: fewer than the events when batches formed. */
  public long transactionCount() {
    return transactions.get();
  }

  /** Writes queued events without lingering and waits until they are written (tests; diagnostics). */
  public boolean flush(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    flushing.incrementAndGet();
    try {
      while (System.currentTimeMillis() < deadline) {
        if (unwritten.get() == 0) {
          return true;
        }
        Thread.sleep(20);
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      flushing.decrementAndGet();
    }
  }

  @PreDestroy
  public void shutdown() {
    running = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.warn("Security audit writer did not finish in time; {} event(s) not written", unwritten.get());
      writer.interrupt();
    }
  }
}
