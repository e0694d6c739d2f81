package org.lianyao.feed;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Coding;
import org.lianyao.feed.hl7.Hl7Channel;
import org.lianyao.feed.hl7.Hl7ChannelResolver;
import org.lianyao.feed.hl7.Hl7ConverterConfig;
import org.lianyao.feed.hl7.Hl7Parsing;
import org.lianyao.terminology.TerminologyResources;
import org.lianyao.terminology.id.NhsaInstitutionCodeValidator;

/**
 * Channels from {@code lianyao.feeds.hl7.channels}, runtime facility aliases and, when enabled,
 * implicit channels for any sender whose MSH-4 is an NHSA institution code. Lookup order for the
 * MSH-4 values (HD-1, then HD-2): a configured channel's institution or sending facility; a runtime
 * alias; an NHSA code (implicit channel). Anything else is an unregistered sender: its messages are
 * stored under the MSH-4 value and answered AE 204 until an alias is added and they are replayed.
 */
public class ConfiguredHl7ChannelResolver implements Hl7ChannelResolver {

  /** Channel id of messages without any readable MSH-4. */
  public static final String UNKNOWN = "UNKNOWN";

  /** A configured (or implicit) channel's settings. */
  record Definition(String id, String institution, Charset charset, boolean detectUtf8, String drugMapUrl,
      Coding category) {}

  private final Hl7FeedProperties properties;
  private final TerminologyResources terminology;
  private final Hl7ConverterConfig baseConfig;
  private final FhirDrugCodeMaps drugMaps;
  private final FacilityAliasStore aliases;
  private final Charset defaultCharset;
  private final Map<String, Definition> byInstitution = new HashMap<>();
  private final Map<String, Definition> byFacility = new HashMap<>();
  private final Map<String, Hl7Parsing> parsings = new ConcurrentHashMap<>();
  private final Cache<String, Hl7Channel> channels = Caffeine.newBuilder().maximumSize(2_000).build();

  public ConfiguredHl7ChannelResolver(Hl7FeedProperties properties, TerminologyResources terminology,
      FhirDrugCodeMaps drugMaps, FacilityAliasStore aliases) {
    this.properties = properties;
    this.terminology = terminology;
    this.drugMaps = drugMaps;
    this.aliases = aliases;
    this.defaultCharset = charset(properties.defaultCharset(), "lianyao.feeds.hl7.default-charset");
    this.baseConfig = Hl7ConverterConfig.of(terminology, (s, c) -> Optional.empty());
    Map<String, String> ids = new LinkedHashMap<>();
    for (Hl7FeedProperties.Channel c : properties.channels()) {
      String institution = c.institution() == null ? null : c.institution().strip().toUpperCase(Locale.ROOT);
      if (institution == null || !NhsaInstitutionCodeValidator.isValid(institution)) {
        throw new IllegalStateException("lianyao.feeds.hl7.channels: institution '" + c.institution()
            + "' is not an NHSA institution code (医保定点医疗机构编码)");
      }
      String id = c.effectiveId();
      if (ids.put(id, institution) != null || byInstitution.containsKey(institution)) {
        throw new IllegalStateException("lianyao.feeds.hl7.channels: channel '" + id + "' / institution "
            + institution + " is configured twice");
      }
      Definition definition = new Definition(id, institution,
          c.charset() == null || c.charset().isBlank() ? defaultCharset : charset(c.charset(), "channel " + id),
          c.detectUtf8(), c.drugMap() == null || c.drugMap().isBlank() ? FhirDrugCodeMaps.defaultUrl(institution)
              : c.drugMap(), Hl7ConverterConfig.prescriptionCategory(terminology, c.prescriptionCategory()));
      byInstitution.put(institution, definition);
      for (String facility : c.sendingFacilities()) {
        byFacility.put(facility.strip(), definition);
      }
    }
  }

  private static Charset charset(String name, String where) {
    Charset charset = Charset.forName(name.strip());
    if (charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII)) {
      throw new IllegalStateException(where + ": " + name + " cannot carry Chinese; use GB18030 or UTF-8");
    }
    return charset;
  }

  @Override
  public Hl7Channel resolve(String namespaceId, String universalId) {
    String[] sent = {clean(namespaceId), clean(universalId)};
    for (String value : sent) {
      if (value == null) {
        continue;
      }
      Definition d = byFacility.get(value);
      if (d == null) {
        d = byInstitution.get(value.toUpperCase(Locale.ROOT));
      }
      if (d != null) {
        return channel(d, sent);
      }
    }
    Map<String, String> runtime = aliases.aliases();
    for (String value : sent) {
      if (value != null && runtime.containsKey(value)) {
        String institution = runtime.get(value);
        Definition d = byInstitution.getOrDefault(institution, implicit(institution));
        return channel(d, sent);
      }
    }
    if (properties.implicitChannels()) {
      for (String value : sent) {
        if (value != null && NhsaInstitutionCodeValidator.isValid(value.toUpperCase(Locale.ROOT))) {
          return channel(implicit(value.toUpperCase(Locale.ROOT)), sent);
        }
      }
    }
    String id = sent[0] != null ? sent[0] : sent[1] != null ? sent[1] : UNKNOWN;
    String channelId = id.length() > 64 ? id.substring(0, 64) : id;
    return channels.get("unregistered|" + channelId, key -> new Hl7Channel(channelId, null,
        parsing(defaultCharset, true), baseConfig));
  }

  private Definition implicit(String institution) {
    return new Definition(institution, institution, defaultCharset, true, FhirDrugCodeMaps.defaultUrl(institution),
        baseConfig.prescriptionCategory());
  }

  private Hl7Channel channel(Definition d, String[] sent) {
    String key = d.id() + "|" + d.institution() + "|" + sent[0] + "|" + sent[1];
    return channels.get(key, k -> {
      // The converter resolves MSH-4 itself: tell it which institution the values sent stand for.
      Map<String, String> aliasMap = new HashMap<>();
      for (String value : sent) {
        if (value != null && !value.equalsIgnoreCase(d.institution())) {
          aliasMap.put(value, d.institution());
        }
      }
      Hl7ConverterConfig config = baseConfig.withFacilityAliases(aliasMap)
          .withDrugCodeMapper(drugMaps.forUrl(d.drugMapUrl()))
          .withPrescriptionCategory(d.category());
      return new Hl7Channel(d.id(), d.institution(), parsing(d.charset(), d.detectUtf8()), config);
    });
  }

  private Hl7Parsing parsing(Charset charset, boolean detectUtf8) {
    return parsings.computeIfAbsent(charset.name() + "|" + detectUtf8,
        k -> new Hl7Parsing(charset, detectUtf8, properties.controlIdNode()));
  }

  private static String clean(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** After aliases changed: forget channels built with the old ones. */
  public void invalidate() {
    aliases.invalidate();
    channels.invalidateAll();
  }
}
