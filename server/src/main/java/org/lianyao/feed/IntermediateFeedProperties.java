package org.lianyao.feed;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Intermediate-database polling (中间库, {@code lianyao.feeds.intermediate.*}); table shape in
 * {@code camel-routes/docs/intermediate-database.md}.
 *
 * @param enabled run the pollers (run them on one node at a time, see the docs on clustering)
 * @param channels one per member HIS database
 */
@ConfigurationProperties("lianyao.feeds.intermediate")
public record IntermediateFeedProperties(@DefaultValue("true") boolean enabled, List<Channel> channels) {

  public List<Channel> channels() {
    return channels == null ? List.of() : channels;
  }

  /**
   * @param id channel id (default: the institution code)
   * @param institution NHSA institution code the rows belong to (the channel acts as it)
   * @param url JDBC URL of the HIS database (read-only account recommended)
   * @param username database user
   * @param password database password (from the environment, never from the repository)
   * @param headerTable table or view of prescriptions
   * @param itemTable table or view of prescription items
   * @param pollInterval pause between polls
   * @param batchSize prescriptions per forward scan
   * @param lookback how far behind the watermark rows committed late are looked for (0 = off)
   * @param lookbackBatchSize prescriptions per look-back scan
   * @param maxConnections connections to the HIS database
   * @param drugMap ConceptMap URL of the local drug codes (default local-drug-{institution})
   * @param prescriptionCategory 处方类别 code of the prescriptions
   */
  public record Channel(
      String id,
      String institution,
      String url,
      String username,
      String password,
      @DefaultValue("his_prescription") String headerTable,
      @DefaultValue("his_prescription_item") String itemTable,
      @DefaultValue("10s") Duration pollInterval,
      @DefaultValue("200") int batchSize,
      @DefaultValue("2m") Duration lookback,
      @DefaultValue("1000") int lookbackBatchSize,
      @DefaultValue("2") int maxConnections,
      String drugMap,
      @DefaultValue("ordinary") String prescriptionCategory) {

    public String effectiveId() {
      return id != null && !id.isBlank() ? id : institution;
    }
  }
}
