package org.lianyao.feed;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HL7 v2 feed ({@code lianyao.feeds.hl7.*}): one MLLP listener and the configured channels,
 * one per sending member HIS.
 *
 * @param enabled run the MLLP listener
 * @param bindAddress interface to listen on
 * @param port MLLP port (2575, the IANA HL7 port)
 * @param maxConnections concurrent sender connections
 * @param receiveTimeout wait for the start of a frame before camel-mllp checks the connection again
 * @param readTimeout a started frame must be complete within this time
 * @param idleTimeout close connections silent for this long (0 = keep them open)
 * @param defaultCharset charset of messages from senders without a channel, and of channels that
 *     name none (GB18030; never ISO-8859-1)
 * @param implicitChannels accept a sender whose MSH-4 is a valid NHSA institution code without a
 *     configured channel (defaults apply; the institution must be registered in the FHIR store). MLLP
 *     has no authentication either way: restrict the port to the consortium network.
 * @param controlIdNode 0–4 letters/digits identifying this node in MSH-10 of Lianyao's own messages
 * @param channels the configured senders
 */
@ConfigurationProperties("lianyao.feeds.hl7")
public record Hl7FeedProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("2575") int port,
    @DefaultValue("50") int maxConnections,
    @DefaultValue("15s") Duration receiveTimeout,
    @DefaultValue("5s") Duration readTimeout,
    @DefaultValue("0s") Duration idleTimeout,
    @DefaultValue("GB18030") String defaultCharset,
    @DefaultValue("true") boolean implicitChannels,
    @DefaultValue("LY") String controlIdNode,
    List<Channel> channels) {

  public List<Channel> channels() {
    return channels == null ? List.of() : channels;
  }

  /**
   * One sending member HIS.
   *
   * @param id channel id, stored with every message; defaults to the institution code
   * @param institution NHSA institution code (医保定点医疗机构编码) the channel acts for
   * @param sendingFacilities MSH-4 values this HIS sends when they are not the institution code
   *     (its own facility code or name)
   * @param charset charset of messages that do not declare one in MSH-18 (default: defaultCharset)
   * @param detectUtf8 read an undeclared message that is valid UTF-8 as UTF-8 (with a warning)
   * @param drugMap canonical URL of the ConceptMap local drug code → NHSA drug code, looked up in the
   *     FHIR store (default {@code http://lianyao.org/fhir/ConceptMap/local-drug-{institution}})
   * @param prescriptionCategory 处方类别 code given to its prescriptions (v2 has no field for it)
   * @param outbound where notices for this institution are sent over MLLP (optional)
   */
  public record Channel(
      String id,
      String institution,
      List<String> sendingFacilities,
      String charset,
      @DefaultValue("true") boolean detectUtf8,
      String drugMap,
      @DefaultValue("ordinary") String prescriptionCategory,
      @DefaultValue Outbound outbound) {

    public String effectiveId() {
      return id != null && !id.isBlank() ? id : institution;
    }

    public List<String> sendingFacilities() {
      return sendingFacilities == null ? List.of() : sendingFacilities;
    }
  }

  /**
   * @param host the HIS's MLLP listener; blank = no HL7 v2 notices for this institution
   * @param port its port
   */
  public record Outbound(String host, @DefaultValue("0") int port) {

    public boolean enabled() {
      return host != null && !host.isBlank() && port > 0;
    }
  }
}
