package org.lianyao.feed.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The catalog file route ({@code lianyao.feeds.catalog.*}).
 *
 * @param enabled watch the inbox; off by default, so that only the node meant to take file drops
 *     polls a shared folder (Camel's file read lock does not coordinate several nodes)
 * @param inbox folder the pharmacy committee drops {@code .xlsx} / {@code .csv} files into; each file
 *     name starts with its formulary version ({@link CatalogFileNames})
 * @param archive imported files are moved here, time-stamped
 * @param error rejected files are moved here, with a problem report beside them
 * @param pollDelay pause between two polls of the inbox
 * @param readLockMinAge a file is taken only once it has not changed for this long (still being
 *     copied otherwise)
 * @param reportFormat format of the report beside a rejected file: {@code csv} (opens in Excel),
 *     {@code xlsx} or {@code text}
 */
@ConfigurationProperties("lianyao.feeds.catalog")
public record CatalogFileRouteProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("data/catalog/inbox") String inbox,
    @DefaultValue("data/catalog/archive") String archive,
    @DefaultValue("data/catalog/error") String error,
    @DefaultValue("5s") Duration pollDelay,
    @DefaultValue("2s") Duration readLockMinAge,
    @DefaultValue("csv") CatalogImportReport.Format reportFormat) {}
