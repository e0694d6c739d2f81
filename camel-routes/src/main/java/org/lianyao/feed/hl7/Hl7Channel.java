package org.lianyao.feed.hl7;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;

/**
 * One configured HL7 v2 sender (通道): the member institution it acts for, how its bytes are read
 * (charset) and how its messages are converted (drug map, facility aliases, prescription category).
 * Immutable and thread-safe; the HAPI context inside {@link Hl7Parsing} is expensive, so resolvers
 * keep channels rather than building one per message.
 */
public final class Hl7Channel {

  private final String id;
  private final String institution;
  private final Hl7Parsing parsing;
  private final AckBuilder acks;
  private final RdeToMedicationRequestConverter rde;
  private final RdsToMedicationDispenseConverter rds;

  /**
   * @param id channel id, stored with every message (search key of the message store)
   * @param institution NHSA institution code the channel acts for; null for an unregistered sender,
   *     whose messages are stored and answered AE 204
   * @param parsing the channel's parsing (charset)
   * @param config converter configuration (aliases mapping the sender's MSH-4 to {@code institution})
   */
  public Hl7Channel(String id, String institution, Hl7Parsing parsing, Hl7ConverterConfig config) {
    this.id = Objects.requireNonNull(id, "id");
    this.institution = institution;
    this.parsing = Objects.requireNonNull(parsing, "parsing");
    this.acks = new AckBuilder(parsing, config.zone());
    this.rde = new RdeToMedicationRequestConverter(config);
    this.rds = new RdsToMedicationDispenseConverter(config);
  }

  public String id() {
    return id;
  }

  public String institution() {
    return institution;
  }

  public Hl7Parsing parsing() {
    return parsing;
  }

  public AckBuilder acks() {
    return acks;
  }

  /**
   * A message converted to the FHIR transaction to write.
   *
   * @param institution the sending institution (from MSH-4) the transaction is written for
   * @param bundle the transaction (conditional creates/updates, safe to submit again)
   * @param warnings what could not be mapped fully
   */
  public record Converted(String institution, Bundle bundle, List<ConversionWarning> warnings) {}

  /** RDS → MedicationDispense; everything else goes to the RDE converter, which rejects what it does not support. */
  public Converted convert(ParsedMessage parsed) throws Hl7ConversionException {
    if ("RDS".equalsIgnoreCase(parsed.messageCode())) {
      RdsConversionResult result = rds.convert(parsed);
      return new Converted(result.sendingInstitution(), result.toTransactionBundle(), result.warnings());
    }
    RdeConversionResult result = rde.convert(parsed);
    return new Converted(result.sendingInstitution(), result.toTransactionBundle(), result.warnings());
  }

  @Override
  public String toString() {
    return "Hl7Channel[" + id + (institution == null ? ", unregistered" : ", " + institution) + ", "
        + parsing.channelCharset().name() + "]";
  }
}
