package org.lianyao.security.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.lianyao.fhir.GatewayInterceptor;
import org.lianyao.security.Caller;
import org.lianyao.security.CallerContext;
import org.lianyao.security.Interaction;
import org.lianyao.security.Role;
import org.lianyao.security.audit.SecurityAuditService;
import org.lianyao.security.fhir.AccessPolicy.WriteScope;
import org.lianyao.security.web.OperationOutcomes;

/**
 * HAPI's {@link AuthorizationInterceptor} with rules built from the caller's token: per resource
 * type, what the role allows intersected with the SMART scopes, and for institution-owned types a
 * tester that checks ownership ({@link ResourceOwnership}) of every resource written — at request
 * entry and again in storage, where HAPI also passes the stored version of an update and each
 * entry of a transaction. Reads are allowed per type here; which foreign patient data a caller
 * sees is decided per resource by {@link SharingConsentService}.
 *
 * <p>A refusal is a 403 whose OperationOutcome names the missing right in Chinese with an English
 * diagnostic; every 401/403 HAPI returns is written to the audit trail.
 */
public class GatewayAuthorizationInterceptor extends AuthorizationInterceptor implements GatewayInterceptor {

  /** Denial a tester explained while rules were being applied (cleared on each evaluation). */
  private static final String PENDING = GatewayAuthorizationInterceptor.class.getName() + ".pending";
  /** The denial that decided the request. */
  static final String DENIAL = GatewayAuthorizationInterceptor.class.getName() + ".denial";

  private final AccessPolicy policy;
  private final ResourceOwnership ownership;
  private final InstitutionDirectory directory;
  private final SecurityAuditService audit;
  private final Set<String> allResourceTypes;
  /** Rule lists are per rights (role, institution, scopes), not per token: cached across requests. */
  private final Cache<String, List<IAuthRule>> rules =
      Caffeine.newBuilder().maximumSize(1_000).expireAfterAccess(Duration.ofMinutes(30)).build();

  public GatewayAuthorizationInterceptor(AccessPolicy policy, ResourceOwnership ownership,
      InstitutionDirectory directory, SecurityAuditService audit, FhirContext fhirContext) {
    super(PolicyEnum.DENY);
    this.policy = policy;
    this.ownership = ownership;
    this.directory = directory;
    this.audit = audit;
    this.allResourceTypes = new TreeSet<>(fhirContext.getResourceTypes());
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails requestDetails) {
    Optional<Caller> caller = CallerContext.of(requestDetails);
    if (caller.isEmpty()) {
      // Only the capability statement is open; Spring Security lets nothing else through anyway.
      return new RuleBuilder().allow("metadata").metadata().build();
    }
    return rules.get(caller.get().rightsKey(), key -> compile(caller.get()));
  }

  List<IAuthRule> compile(Caller caller) {
    IAuthRuleBuilder b = new RuleBuilder();
    b.allow("metadata").metadata();
    // Transactions and batches are allowed as envelopes; each entry meets the normal rules.
    b.allow("transaction").transaction().withAnyOperation().andApplyNormalRules();

    Role role = caller.role();
    boolean allTypes = policy.readsEverything(role);
    Set<String> types = allTypes ? allResourceTypes : policy.typesOf(role);
    if (allTypes && caller.scopes().allows("*", Interaction.READ) && caller.scopes().allows("*", Interaction.SEARCH)) {
      b.allow("read any").read().allResources().withAnyId();
    } else {
      for (String type : types) {
        Set<Interaction> eff = policy.effective(caller, type);
        boolean r = eff.contains(Interaction.READ);
        boolean s = eff.contains(Interaction.SEARCH);
        if (r && s) {
          b.allow("read " + type).read().resourcesOfType(type).withAnyId();
        } else if (r || s) {
          b.allow("read " + type).read().resourcesOfType(type).withAnyId()
              .withTester(new ReadTester(caller, type, r, s));
        }
      }
    }
    for (String type : policy.typesOf(role)) {
      Set<Interaction> eff = policy.effective(caller, type);
      WriteScope scope = policy.writeScope(role, type);
      if (eff.contains(Interaction.CREATE) || eff.contains(Interaction.UPDATE)) {
        b.allow("write " + type).write().resourcesOfType(type).withAnyId()
            .withTester(new WriteTester(caller, type, eff, scope));
      }
      if (eff.contains(Interaction.DELETE)) {
        b.allow("delete " + type).delete().resourcesOfType(type).withAnyId()
            .withTester(new WriteTester(caller, type, eff, scope));
      }
    }
    for (String op : policy.operations(role)) {
      b.allow("operation $" + op).operation().named(op).atAnyLevel().andAllowAllResponses();
    }
    if (policy.mayInvoke(role, "export")) {
      b.allow("bulk export").bulkExport().any();
    }
    return b.build();
  }

  /**
   * Remembers, when the rules refuse, what was attempted and why, so that {@link #handleDeny} can
   * name the missing right. For a transaction the innermost refusal (the entry) is kept.
   */
  @Override
  public Verdict applyRulesAndReturnDecision(RestOperationTypeEnum operation, RequestDetails requestDetails,
      IBaseResource inputResource, IIdType inputResourceId, IBaseResource outputResource, Pointcut pointcut) {
    requestDetails.getUserData().remove(PENDING);
    Verdict verdict = super.applyRulesAndReturnDecision(
        operation, requestDetails, inputResource, inputResourceId, outputResource, pointcut);
    if (verdict.getDecision() == PolicyEnum.DENY && !requestDetails.getUserData().containsKey(DENIAL)) {
      Denial pending = (Denial) requestDetails.getUserData().get(PENDING);
      String type = typeOf(requestDetails, inputResource, inputResourceId, outputResource);
      requestDetails.getUserData().put(DENIAL, pending != null ? pending
          : explain(requestDetails, operation, type));
      requestDetails.getUserData().put(DENIAL + ".interaction", interactionCode(operation));
      if (inputResourceId != null && inputResourceId.hasIdPart()) {
        requestDetails.getUserData().put(DENIAL + ".target",
            inputResourceId.toUnqualifiedVersionless().getValue());
      } else if (outputResource != null && outputResource.getIdElement().hasIdPart()) {
        requestDetails.getUserData().put(DENIAL + ".target",
            outputResource.getIdElement().toUnqualifiedVersionless().getValue());
      }
    }
    return verdict;
  }

  @Override
  protected void handleDeny(RequestDetails requestDetails, Verdict decision) {
    Denial denial = (Denial) requestDetails.getUserData().get(DENIAL);
    if (denial == null) {
      denial = new Denial("拒绝访问：无此操作权限", "Access denied by the gateway's authorization rules", null);
    }
    ForbiddenOperationException e = new ForbiddenOperationException(
        "Access denied: " + denial.english(),
        OperationOutcomes.forbidden(requestDetails.getFhirContext(), denial));
    throw e;
  }

  private Denial explain(RequestDetails requestDetails, RestOperationTypeEnum operation, String type) {
    Optional<Caller> caller = CallerContext.of(requestDetails);
    if (caller.isEmpty()) {
      return new Denial("需要有效的访问令牌", "A valid access token is required", "authentication");
    }
    switch (operation) {
      case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> {
        String op = requestDetails.getOperation();
        if (op != null && !policy.mayInvoke(caller.get().role(), op)) {
          return policy.explainOperation(caller.get(), op);
        }
      }
      case GRAPHQL_REQUEST -> {
        return new Denial("不支持 GraphQL 访问", "GraphQL is not available to gateway clients", "graphql");
      }
      case TRANSACTION -> {
        return new Denial("事务中的条目无权执行", "A transaction entry is not allowed", null);
      }
      default -> {
      }
    }
    Interaction interaction = interactionOf(operation);
    if (interaction == null || type == null) {
      return new Denial("拒绝访问：无此操作权限（" + operation + "）",
          "Access denied: " + operation + " is not allowed for role '" + caller.get().role().claimValue() + "'",
          "operation:" + operation);
    }
    return policy.explain(caller.get(), type, interaction);
  }

  static Interaction interactionOf(RestOperationTypeEnum operation) {
    return switch (operation) {
      case CREATE -> Interaction.CREATE;
      case UPDATE, PATCH, ADD_TAGS, DELETE_TAGS, META_ADD, META_DELETE -> Interaction.UPDATE;
      case DELETE -> Interaction.DELETE;
      case READ, VREAD, HISTORY_INSTANCE -> Interaction.READ;
      case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM, GET_PAGE -> Interaction.SEARCH;
      default -> null;
    };
  }

  static String interactionCode(RestOperationTypeEnum operation) {
    return operation == null ? null : operation.getCode();
  }

  private static String typeOf(RequestDetails requestDetails, IBaseResource input, IIdType inputId, IBaseResource output) {
    if (output != null) {
      return output.fhirType();
    }
    if (input != null) {
      return input.fhirType();
    }
    if (inputId != null && inputId.hasResourceType()) {
      return inputId.getResourceType();
    }
    return requestDetails.getResourceName();
  }

  /** Every 401/403 HAPI answers (rules, consent, services) goes to the audit trail. */
  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  public boolean auditRefusal(RequestDetails requestDetails, BaseServerResponseException exception) {
    if (!(exception instanceof ForbiddenOperationException) && !(exception instanceof AuthenticationException)) {
      return true;
    }
    Denial denial = (Denial) requestDetails.getUserData().get(DENIAL);
    String remote = requestDetails instanceof ServletRequestDetails srd ? srd.getServletRequest().getRemoteAddr() : null;
    SecurityAuditService.Agent agent = CallerContext.of(requestDetails)
        .map(c -> SecurityAuditService.Agent.of(c, remote))
        .orElse(SecurityAuditService.Agent.anonymous(remote));
    String path = requestDetails instanceof ServletRequestDetails srd
        ? srd.getServletRequest().getRequestURI() : "/" + requestDetails.getRequestPath();
    audit.refused(new SecurityAuditService.Refusal(agent,
        requestDetails.getRequestType() == null ? null : requestDetails.getRequestType().name(),
        path,
        (String) requestDetails.getUserData().getOrDefault(DENIAL + ".interaction",
            interactionCode(requestDetails.getRestOperationType())),
        false,
        denial != null ? denial.chinese() : "拒绝访问",
        denial != null ? denial.english() : exception.getMessage(),
        denial != null ? denial.missingRight() : null,
        (String) requestDetails.getUserData().get(DENIAL + ".target")));
    return true;
  }

  private static void pending(RequestDetails requestDetails, Denial denial) {
    requestDetails.getUserData().put(PENDING, denial);
  }

  /** SMART v2 separates read (r) from search (s); HAPI's read rule covers both. */
  private final class ReadTester implements IAuthRuleTester {
    private final Caller caller;
    private final String type;
    private final boolean read;
    private final boolean search;

    ReadTester(Caller caller, String type, boolean read, boolean search) {
      this.caller = caller;
      this.type = type;
      this.read = read;
      this.search = search;
    }

    @Override
    public boolean matches(RuleTestRequest request) {
      return check(request);
    }

    @Override
    public boolean matchesOutput(RuleTestRequest request) {
      return check(request);
    }

    private boolean check(RuleTestRequest request) {
      Interaction needed = interactionOf(request.operation);
      boolean ok = needed == null ? read || search : needed == Interaction.READ ? read : search;
      if (!ok) {
        pending(request.requestDetails, policy.explain(caller, type, needed));
      }
      return ok;
    }
  }

  /** Checks the interaction against the scopes and, for owned types, the resource's institution. */
  private final class WriteTester implements IAuthRuleTester {
    private final Caller caller;
    private final String type;
    private final Set<Interaction> allowed;
    private final WriteScope scope;

    WriteTester(Caller caller, String type, Set<Interaction> allowed, WriteScope scope) {
      this.caller = caller;
      this.type = type;
      this.allowed = Set.copyOf(allowed);
      this.scope = scope;
    }

    @Override
    public boolean matches(RuleTestRequest request) {
      RestOperationTypeEnum op = request.operation;
      Interaction needed = op == RestOperationTypeEnum.DELETE ? Interaction.DELETE : interactionOf(op);
      if (needed == null || !allowed.contains(needed)) {
        pending(request.requestDetails, policy.explain(caller, type, needed == null ? Interaction.UPDATE : needed));
        return false;
      }
      boolean metaChange = op == RestOperationTypeEnum.ADD_TAGS || op == RestOperationTypeEnum.DELETE_TAGS
          || op == RestOperationTypeEnum.META_ADD || op == RestOperationTypeEnum.META_DELETE;
      if (metaChange && caller.role() != Role.ADMIN) {
        // Tags and security labels steer access decisions: only the administrator changes them.
        pending(request.requestDetails, new Denial("只有平台管理员可以修改资源标签和安全标记",
            "only the admin role may change tags and security labels", "role:admin"));
        return false;
      }
      if (scope != WriteScope.OWN || request.resource == null) {
        // Without the resource (delete/patch on the way in) ownership is checked in storage,
        // where HAPI passes the stored resource through this same rule.
        return true;
      }
      Optional<String> orgId = directory.organizationId(caller.institution());
      if (orgId.isEmpty()) {
        pending(request.requestDetails, new Denial(
            "本机构（" + caller.institution() + "）未在医联体机构目录中登记，不能写入属于机构的资源",
            "institution " + caller.institution() + " is not a registered consortium member",
            "registered-institution"));
        return false;
      }
      Optional<Denial> denial = ownership.checkOwnedBy(request.resource,
          new ResourceOwnership.Institution(caller.institution(), orgId.get()),
          caller.role().actsForInstitution());
      denial.ifPresent(d -> pending(request.requestDetails, d));
      return denial.isEmpty();
    }
  }
}
