package org.lianyao.terminology.id;

import java.time.LocalDate;

/** A parsed 药品追溯码 (drug traceability code): a 20-digit national code or a GS1 element string. */
public sealed interface TraceabilityCode permits TraceabilityCode.National, TraceabilityCode.Gs1Element {

  /**
   * The value to store in {@code Identifier.value} (system = traceability code). Two scans of the
   * same pack give the same value, which duplicate-sale detection (回流药) relies on.
   */
  String identifierValue();

  /**
   * A 20-digit Chinese traceability code. The split follows a {@link TraceabilityCodeValidator.Layout}
   * (default 7 + 9 + 4, unconfirmed); only the 7-digit product id is documented to resolve to a product.
   *
   * @param value the 20 digits
   * @param productId 药品标识码: resolves to one product at one packaging level
   * @param serial production serial part
   * @param tail trailing part (often described as a check part; no algorithm is published)
   */
  record National(String value, String productId, String serial, String tail) implements TraceabilityCode {

    /** Codes issued through the 码上放心 platform start with 8 (informational only). */
    public boolean mashangfangxin() {
      return value.charAt(0) == '8';
    }

    @Override
    public String identifierValue() {
      return value;
    }
  }

  /**
   * A GS1 element string (DataMatrix on imported drugs): GTIN + serial identify the pack; batch
   * and dates describe it.
   *
   * @param gtin AI 01, GTIN-14 with a valid check digit
   * @param serial AI 21
   * @param expiry AI 17, or null; GS1 day 00 means the last day of the month
   * @param batch AI 10, or null
   * @param productionDate AI 11, or null
   */
  record Gs1Element(String gtin, String serial, LocalDate expiry, String batch, LocalDate productionDate)
      implements TraceabilityCode {

    /**
     * {@code (01)<gtin>(21)<serial>}: the GS1 serialised item identity in human-readable form. FHIR
     * strings may not contain the GS separator, and batch/expiry are not part of the identity.
     */
    @Override
    public String identifierValue() {
      return "(01)" + gtin + "(21)" + serial;
    }
  }
}
