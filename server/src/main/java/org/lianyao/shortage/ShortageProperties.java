package org.lianyao.shortage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Shortage registration (缺药登记) settings ({@code lianyao.shortage.*}).
 *
 * @param candidateThreshold a drug registered at least this many times in the report period is a
 *     candidate for next year's consortium catalog (the 2024 No. 38 work plan feeds shortages back
 *     into the yearly catalog adjustment); the threshold is local policy
 * @param supplierInstitution NHSA code of the institution that procures for the members (deliverFrom
 *     of a registration), e.g. the lead hospital {@code H50011200001}; blank = the consortium
 *     Organization at the top of the registering institution's {@code partOf} chain
 * @param maxReportRegistrations most registrations one report reads (guards memory)
 */
@ConfigurationProperties("lianyao.shortage")
public record ShortageProperties(
    @DefaultValue("3") int candidateThreshold,
    String supplierInstitution,
    @DefaultValue("100000") int maxReportRegistrations) {}
