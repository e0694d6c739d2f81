package org.lianyao.formulary.index;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.lianyao.formulary.FormularyEntry;
import org.lianyao.formulary.Product;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The formulary index tables ({@code lianyao.formulary_item}, {@code lianyao.formulary_product}, see
 * {@code V2__formulary.sql}). Writes join the caller's transaction — inside a FHIR write that is
 * HAPI's, so index and resources commit or roll back together.
 */
@Repository
public class FormularyIndex {

  /** Bind-variable lists are split so no database meets an IN list of unbounded length. */
  private static final int CHUNK = 500;

  private static final String ENTRY_COLUMNS = """
      i.item_id, i.formulary_id, i.medication_id, i.item_key, i.vbp, i.vbp_batch, i.essential_medicine,
      i.insurance_class, i.chronic_disease_groups, i.two_spec_exempt, i.linkage_drug, i.change_type,
      i.change_effective, i.change_reason,
      p.medication_id as p_medication_id, p.generic_name, p.dosage_form_code, p.dosage_form_text, p.strength,
      p.package_text, p.manufacturer, p.nhsa_drug_code
      """;
  private static final String FROM = """
       from lianyao.formulary_item i left join lianyao.formulary_product p on p.medication_id = i.medication_id
      """;

  private final JdbcTemplate jdbc;
  private final NamedParameterJdbcTemplate named;

  public FormularyIndex(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.named = new NamedParameterJdbcTemplate(jdbc);
  }

  // ------------------------------------------------------------------------------------ writes

  public void putItem(FormularyEntry e) {
    jdbc.update("delete from lianyao.formulary_item where item_id = ?", e.itemId());
    jdbc.update("""
        insert into lianyao.formulary_item (item_id, formulary_id, medication_id, item_key, vbp, vbp_batch,
          essential_medicine, insurance_class, chronic_disease_groups, two_spec_exempt, linkage_drug, change_type,
          change_effective, change_reason, indexed_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        e.itemId(), e.formularyId(), e.medicationId(), truncate(e.itemKey(), 300), e.vbp(),
        truncate(e.vbpBatch(), 200), e.essentialMedicine(), e.insuranceClass(),
        truncate(String.join(" ", e.chronicDiseaseGroups()), 1000), e.twoSpecExempt(), e.linkageDrug(),
        e.changeType(), e.changeEffective() == null ? null : Date.valueOf(e.changeEffective()),
        truncate(e.changeReason(), 2000), Timestamp.from(Instant.now()));
  }

  public void removeItem(String itemId) {
    jdbc.update("delete from lianyao.formulary_item where item_id = ?", itemId);
  }

  /**
   * @param keyIdentifier the Medication's catalog key ({@code system|value}, see
   *     {@link org.lianyao.formulary.FormularyResources#keyIdentifier}), or {@code null}
   */
  public void putProduct(Product p, String keyIdentifier) {
    jdbc.update("delete from lianyao.formulary_product where medication_id = ?", p.medicationId());
    jdbc.update("""
        insert into lianyao.formulary_product (medication_id, generic_name, dosage_form_code, dosage_form_text,
          strength, package_text, manufacturer, nhsa_drug_code, spec_key, key_identifier, indexed_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        p.medicationId(), truncate(p.genericName(), 500), p.dosageFormCode(), truncate(p.dosageFormText(), 200),
        truncate(p.strength(), 200), truncate(p.packageText(), 500), truncate(p.manufacturer(), 500),
        p.nhsaDrugCode(), p.specKey(), truncate(keyIdentifier, 300), Timestamp.from(Instant.now()));
  }

  public void removeProduct(String medicationId) {
    jdbc.update("delete from lianyao.formulary_product where medication_id = ?", medicationId);
  }

  public void clearItems() {
    jdbc.update("delete from lianyao.formulary_item");
  }

  public void clearProducts() {
    jdbc.update("delete from lianyao.formulary_product");
  }

  // ------------------------------------------------------------------------------------- reads

  /** Every item (active and removal records) of the given formulary versions, with its product. */
  public List<FormularyEntry> entries(Collection<String> formularyIds) {
    return chunked(formularyIds, ids -> named.query("select " + ENTRY_COLUMNS + FROM
        + " where i.formulary_id in (:ids) order by i.formulary_id, i.item_id",
        new MapSqlParameterSource("ids", ids), FormularyIndex::entry));
  }

  /** Every item that names one of the given Medications, in any formulary. */
  public List<FormularyEntry> entriesOfMedications(Collection<String> medicationIds) {
    return chunked(medicationIds, ids -> named.query("select " + ENTRY_COLUMNS + FROM
        + " where i.medication_id in (:ids) order by i.formulary_id, i.item_id",
        new MapSqlParameterSource("ids", ids), FormularyIndex::entry));
  }

  /** Medication id by catalog key ({@code system|value}) for the keys that have one (lowest id wins). */
  public java.util.Map<String, String> medicationsByKey(Collection<String> keyIdentifiers) {
    java.util.Map<String, String> result = new java.util.HashMap<>();
    chunked(keyIdentifiers, keys -> named.query(
        "select key_identifier, medication_id from lianyao.formulary_product where key_identifier in (:keys)"
            + " order by medication_id desc",
        new MapSqlParameterSource("keys", keys), (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}))
        .forEach(pair -> result.put(pair[0], pair[1]));
    return result;
  }

  /** Formulary item id by item key (formulary-item identifier value), in any formulary. */
  public java.util.Map<String, String> itemsByKey(Collection<String> itemKeys) {
    java.util.Map<String, String> result = new java.util.HashMap<>();
    chunked(itemKeys, keys -> named.query(
        "select item_key, item_id from lianyao.formulary_item where item_key in (:keys) order by item_id desc",
        new MapSqlParameterSource("keys", keys), (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}))
        .forEach(pair -> result.put(pair[0], pair[1]));
    return result;
  }

  /** Medication ids whose 通用名 is exactly {@code genericName}. */
  public List<String> medicationsNamed(String genericName) {
    return jdbc.queryForList("select medication_id from lianyao.formulary_product where generic_name = ?",
        String.class, genericName);
  }

  /**
   * An active item of {@code formularyId} naming the same product: the same Medication, the same
   * 医保药品编码, or the same spec key (通用名 + 剂型 + 规格 + 生产企业).
   */
  public Optional<FormularyEntry> findSameProduct(String formularyId, Product product) {
    StringBuilder sql = new StringBuilder("select ").append(ENTRY_COLUMNS).append(FROM)
        .append(" where i.formulary_id = :formulary and (i.change_type is null or i.change_type <> 'remove')")
        .append(" and (i.medication_id = :medication");
    MapSqlParameterSource params = new MapSqlParameterSource("formulary", formularyId)
        .addValue("medication", product.medicationId());
    if (product.nhsaDrugCode() != null) {
      sql.append(" or p.nhsa_drug_code = :nhsa");
      params.addValue("nhsa", product.nhsaDrugCode());
    }
    String specKey = product.specKey();
    if (specKey != null) {
      sql.append(" or p.spec_key = :spec");
      params.addValue("spec", specKey);
    }
    sql.append(") order by case when i.medication_id = :medication then 0 else 1 end, i.item_id");
    List<FormularyEntry> found = named.query(sql.toString(), params, FormularyIndex::entry);
    return found.stream().findFirst();
  }

  public long itemCount() {
    Long n = jdbc.queryForObject("select count(*) from lianyao.formulary_item", Long.class);
    return n == null ? 0 : n;
  }

  public long productCount() {
    Long n = jdbc.queryForObject("select count(*) from lianyao.formulary_product", Long.class);
    return n == null ? 0 : n;
  }

  public Optional<Product> product(String medicationId) {
    return jdbc.query("""
        select medication_id as p_medication_id, generic_name, dosage_form_code, dosage_form_text, strength,
          package_text, manufacturer, nhsa_drug_code from lianyao.formulary_product where medication_id = ?""",
        (rs, n) -> product(rs), medicationId).stream().findFirst();
  }

  // ---------------------------------------------------------------------------------- mapping

  private static FormularyEntry entry(ResultSet rs, int row) throws SQLException {
    Date effective = rs.getDate("change_effective");
    String groups = rs.getString("chronic_disease_groups");
    return new FormularyEntry(
        rs.getString("item_id"),
        rs.getString("formulary_id"),
        rs.getString("medication_id"),
        rs.getString("item_key"),
        bool(rs, "vbp"),
        rs.getString("vbp_batch"),
        bool(rs, "essential_medicine"),
        rs.getString("insurance_class"),
        groups == null || groups.isBlank() ? List.of() : Arrays.asList(groups.trim().split(" +")),
        bool(rs, "two_spec_exempt"),
        bool(rs, "linkage_drug"),
        rs.getString("change_type"),
        effective == null ? null : effective.toLocalDate(),
        rs.getString("change_reason"),
        rs.getString("p_medication_id") == null ? null : product(rs));
  }

  private static Product product(ResultSet rs) throws SQLException {
    return new Product(rs.getString("p_medication_id"), rs.getString("generic_name"),
        rs.getString("dosage_form_code"), rs.getString("dosage_form_text"), rs.getString("strength"),
        rs.getString("package_text"), rs.getString("manufacturer"), rs.getString("nhsa_drug_code"));
  }

  private static Boolean bool(ResultSet rs, String column) throws SQLException {
    boolean value = rs.getBoolean(column);
    return rs.wasNull() ? null : value;
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  private static <T> List<T> chunked(Collection<String> keys, java.util.function.Function<List<String>, List<T>> query) {
    List<String> all = new ArrayList<>(keys);
    List<T> result = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      result.addAll(query.apply(all.subList(i, Math.min(all.size(), i + CHUNK))));
    }
    return result;
  }
}
