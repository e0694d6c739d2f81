package org.lianyao.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Demo consortium ({@code lianyao.demo.*}).
 *
 * @param enabled load the demo consortium (示例区医共体) at start. Unset means: on for the embedded
 *     H2 database, off for PostgreSQL, so a production database never receives demo data unless
 *     asked for.
 */
@ConfigurationProperties("lianyao.demo")
public record DemoProperties(Boolean enabled) {}
