package org.lianyao.feed.hl7;

/**
 * Finds the channel of a message from its sending facility (MSH-4), before the message is parsed:
 * the channel decides the charset it is read with. Reads the current configuration on every call,
 * so a replay after a configuration change uses the new settings.
 */
@FunctionalInterface
public interface Hl7ChannelResolver {

  /**
   * @param namespaceId MSH-4.1 as sent, or null
   * @param universalId MSH-4.2 as sent, or null
   * @return the channel; never null: an unknown sender gets an unregistered channel (default
   *     charset, no institution) so that its message is still stored and answered
   */
  Hl7Channel resolve(String namespaceId, String universalId);
}
