package org.lianyao.feed.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * An inbound HL7 v2 message parsed into the v2.5.1 model, with the charset its bytes were decoded
 * with (the ACK is encoded with the same one) and any warnings raised while reading it.
 *
 * @param message the HAPI message (v2.5.1 structures whatever MSH-12 said)
 * @param charset the charset the bytes were decoded with
 * @param declaredCharset MSH-18 as sent (first repetition), or null; echoed in the ACK's MSH-18
 * @param warnings charset fallbacks and similar; converters add these to their own warnings
 */
public record ParsedMessage(Message message, Charset charset, String declaredCharset,
    List<ConversionWarning> warnings) {

  public ParsedMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(charset, "charset");
    warnings = List.copyOf(warnings);
  }

  /** The MSH segment (always the v2.5.1 class, because parsing uses the canonical v2.5.1 model). */
  public MSH msh() {
    try {
      return (MSH) message.get("MSH");
    } catch (HL7Exception e) {
      throw new IllegalStateException("parsed message has no MSH", e);
    }
  }

  /** MSH-9.1, e.g. {@code RDE}. */
  public String messageCode() {
    return V2.text(msh().getMsh9_MessageType().getMsg1_MessageCode());
  }

  /** MSH-9.2, e.g. {@code O11}. */
  public String triggerEvent() {
    return V2.text(msh().getMsh9_MessageType().getMsg2_TriggerEvent());
  }

  /** MSH-10, echoed in MSA-2; null when the sender left it empty. */
  public String controlId() {
    return V2.text(msh().getMsh10_MessageControlID());
  }

  /** MSH-12.1 as sent, e.g. {@code 2.4}. */
  public String version() {
    return V2.text(msh().getMsh12_VersionID().getVid1_VersionID());
  }
}
