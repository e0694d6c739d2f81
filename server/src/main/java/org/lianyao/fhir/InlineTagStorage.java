package org.lianyao.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.lianyao.terminology.IdentifierSystems;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Profile declarations, tags and security labels ({@code meta.profile}, {@code meta.tag},
 * {@code meta.security}) are stored in the resource body itself: HAPI's {@code INLINE} tag storage
 * mode, set in {@link HapiJpaConfig}.
 *
 * <p>Why: the gateway declares its profile in every profiled resource it stores, so in HAPI's default
 * mode (a tag table per version) every write inserted tag rows and every read or search ran one more
 * query to load them back — about a seventh of the CPU of a shared-prescription view. Inline, a
 * resource is read with its body alone, and each version keeps exactly the meta it was written with
 * (an update that drops the {@code unmatched-drug} flag drops it for good).
 *
 * <p>In this mode HAPI searches {@code _tag}, {@code _profile} and {@code _security} through ordinary
 * search parameters, which this runner installs at start (order 5: before the FHIR package and
 * anything else is written, so nothing needs re-indexing). HAPI's {@code $meta}, {@code $meta-add}
 * and {@code $meta-delete} work on the tag tables and are refused ({@link MetaOperationsInterceptor}).
 *
 * <p>A database whose tag tables hold rows was written in the other mode: its resources' profiles and
 * flags live in those tables and would silently disappear from reads, so the gateway refuses to start
 * on it instead.
 */
@Component
@Order(5)
public class InlineTagStorage implements ApplicationRunner {

  private final DaoRegistry daoRegistry;
  private final ISearchParamRegistry searchParamRegistry;
  private final FhirContext fhirContext;
  private final JdbcTemplate jdbc;

  public InlineTagStorage(DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry, FhirContext fhirContext,
      DataSource dataSource) {
    this.daoRegistry = daoRegistry;
    this.searchParamRegistry = searchParamRegistry;
    this.fhirContext = fhirContext;
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @Override
  public void run(ApplicationArguments args) {
    requireNoTagTableRows();
    boolean resourcesStored = Boolean.TRUE.equals(
        jdbc.queryForObject("select exists(select 1 from HFJ_RESOURCE)", Boolean.class));
    new SearchParameterInstaller(daoRegistry, searchParamRegistry).install(searchParameters(), resourcesStored);
  }

  void requireNoTagTableRows() {
    Boolean tagRows = jdbc.queryForObject(
        "select exists(select 1 from HFJ_RES_TAG) or exists(select 1 from HFJ_HISTORY_TAG)", Boolean.class);
    if (Boolean.TRUE.equals(tagRows)) {
      throw new IllegalStateException("This database keeps resource tags and profile declarations in HAPI's tag"
          + " tables (HFJ_RES_TAG, HFJ_HISTORY_TAG): it was written by a gateway version that stored them there."
          + " This version stores them inline in each resource and would not show those. Start on a new database"
          + " (embedded default: delete the data/ folder) and load the data again.");
    }
  }

  /** {@code _tag}, {@code _profile} and {@code _security} on every resource type, as FHIR defines them. */
  List<SearchParameter> searchParameters() {
    return List.of(
        parameter("tag", "_tag", "Tag", SearchParamType.TOKEN, "meta.tag"),
        parameter("profile", "_profile", "Profile", SearchParamType.URI, "meta.profile"),
        parameter("security", "_security", "Security", SearchParamType.TOKEN, "meta.security"));
  }

  private SearchParameter parameter(String id, String code, String name, SearchParamType type, String expression) {
    SearchParameter sp = new SearchParameter();
    sp.setId("SearchParameter/lianyao-inline-" + id);
    sp.setUrl(IdentifierSystems.CANONICAL_BASE + "/SearchParameter/lianyao-inline-" + id);
    sp.setName(name);
    sp.setStatus(PublicationStatus.ACTIVE);
    sp.setDescription("资源" + ("_profile".equals(code) ? "声明的规范" : "_tag".equals(code) ? "标签" : "安全标签")
        + "（随资源内容保存）/ " + code + " with tags stored inline in the resource");
    sp.setCode(code);
    sp.setType(type);
    sp.setExpression(expression);
    // HAPI wants the concrete types (as in its own inline-mode set-up), not the abstract Resource.
    fhirContext.getResourceTypes().stream().sorted().forEach(sp::addBase);
    return sp;
  }
}
