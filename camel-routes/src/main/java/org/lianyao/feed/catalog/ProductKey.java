package org.lianyao.feed.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lianyao.terminology.IdentifierSystems;

/**
 * The stable key of one product-spec (品规) of a formulary: what makes a re-import of the same file
 * update the same Medication instead of creating another.
 *
 * <p>The key is the 医保药品编码 (NHSA drug code, system {@link IdentifierSystems#NHSA_DRUG_CODE}) when
 * the row has one — the code already identifies generic name, form, spec, package and manufacturer.
 * Otherwise it is a Lianyao product key (system {@value #SYSTEM}): the first 128 bits, in lower-case
 * hex, of SHA-256 over {@link #canonicalText} — 通用名|剂型代码|规格|包装|生产企业 in a normal form
 * (NFKC, no whitespace, ASCII lower case, {@code *} and {@code x} between numbers read as {@code ×}).
 * The dosage form enters as its national code, so {@code 片} and {@code 片剂} give the same key. Hex
 * keys (32 chars, lower case) cannot collide with NHSA codes (20 or 23 chars, upper case).
 *
 * <p>The normal form is frozen: changing it would give every existing product a new key, so a
 * change needs a new identifier system, not an edit here.
 *
 * @param system {@link IdentifierSystems#NHSA_DRUG_CODE} or {@value #SYSTEM}
 * @param value the NHSA code or the derived hex key
 */
public record ProductKey(String system, String value) {

  /** Lianyao product key: identifier system for products without an NHSA drug code. */
  public static final String SYSTEM = IdentifierSystems.CANONICAL_BASE + "/sid/product-key";

  private static final Pattern TIMES = Pattern.compile("(?<=[0-9a-z.])[x*](?=[0-9])");

  public ProductKey {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(value, "value");
  }

  /** NHSA code when present, else the derived key. */
  public static ProductKey of(String nhsaDrugCode, String derivedKey) {
    return nhsaDrugCode == null || nhsaDrugCode.isEmpty()
        ? new ProductKey(SYSTEM, derivedKey)
        : new ProductKey(IdentifierSystems.NHSA_DRUG_CODE, nhsaDrugCode);
  }

  /** The derived Lianyao product key of a product-spec. */
  public static String derive(String genericName, String dosageFormCode, String strength,
      String packageText, String manufacturer) {
    String text = canonicalText(genericName, dosageFormCode, strength, packageText, manufacturer);
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** {@code 通用名|剂型代码|规格|包装|生产企业}, each part in the frozen normal form. */
  public static String canonicalText(String genericName, String dosageFormCode, String strength,
      String packageText, String manufacturer) {
    return String.join("|", part(genericName), part(dosageFormCode), part(strength), part(packageText),
        part(manufacturer));
  }

  private static String part(String text) {
    String normal = CatalogVocabulary.normalize(text).toLowerCase(java.util.Locale.ROOT).replace('|', '/');
    return TIMES.matcher(normal).replaceAll("×");
  }

  /** {@code system|value}, as in a FHIR token search. */
  public String token() {
    return system + "|" + value;
  }

  public boolean isNhsaDrugCode() {
    return IdentifierSystems.NHSA_DRUG_CODE.equals(system);
  }
}
