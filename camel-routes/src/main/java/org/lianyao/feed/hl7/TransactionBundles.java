package org.lianyao.feed.hl7;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction-bundle conventions of the HL7 v2 feed, chosen so that resubmitting a message (HIS
 * retries, replays from the message store) changes nothing:
 * <ul>
 *   <li>orders and dispenses, owned by the sending institution: conditional update
 *       ({@code PUT MedicationRequest?identifier=system|value}), so a resend or a status change
 *       (CA, DC, XO) updates the one resource;</li>
 *   <li>Patient and Practitioner, shared across the consortium and enriched by other members:
 *       conditional create ({@code POST} with {@code ifNoneExist}), so a feed never overwrites
 *       identifiers or demographics that another institution contributed;</li>
 *   <li>fullUrls are name-based UUIDs of type and key identifier, so the same message always yields
 *       the same bundle and references between entries are stable.</li>
 * </ul>
 */
final class TransactionBundles {

  private TransactionBundles() {}

  static Bundle newTransaction() {
    return new Bundle().setType(BundleType.TRANSACTION);
  }

  /** {@code urn:uuid:} + UUID v3 of "type|system|value". */
  static String fullUrl(String resourceType, Identifier key) {
    String name = resourceType + "|" + key.getSystem() + "|" + key.getValue();
    return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code identifier=system|value}: FHIR search escaping first ({@code \ | , $} get a backslash, so
   * an order number containing {@code |} is not read as a system separator), then percent-encoding
   * so values with {@code & # + ?}, spaces or Chinese stay one parameter.
   */
  static String identifierQuery(String system, String value) {
    return "identifier=" + encode(searchEscape(system)) + "|" + encode(searchEscape(value));
  }

  private static String searchEscape(String value) {
    if (value.indexOf('\\') < 0 && value.indexOf('|') < 0 && value.indexOf(',') < 0 && value.indexOf('$') < 0) {
      return value;
    }
    return value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
  }

  static void conditionalCreate(Bundle bundle, Resource resource, Identifier key) {
    String type = resource.fhirType();
    BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrl(type, key)).setResource(resource);
    entry.getRequest().setMethod(HTTPVerb.POST).setUrl(type)
        .setIfNoneExist(identifierQuery(key.getSystem(), key.getValue()));
  }

  static void conditionalUpdate(Bundle bundle, Resource resource, Identifier key) {
    String type = resource.fhirType();
    BundleEntryComponent entry = bundle.addEntry().setFullUrl(fullUrl(type, key)).setResource(resource);
    entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(type + "?" + identifierQuery(key.getSystem(), key.getValue()));
  }

  /** Percent-encodes everything except RFC 3986 unreserved characters and {@code : /}. */
  private static String encode(String value) {
    StringBuilder out = null;
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
          || b == '-' || b == '.' || b == '_' || b == '~' || b == ':' || b == '/';
      if (!plain && out == null) {
        out = new StringBuilder(bytes.length + 16);
        out.append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
      }
      if (out != null) {
        if (plain) {
          out.append((char) b);
        } else {
          out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
      }
    }
    return out == null ? value : out.toString();
  }
}
