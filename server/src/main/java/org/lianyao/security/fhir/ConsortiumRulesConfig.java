package org.lianyao.security.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The consortium's own rules — who is a member, who owns a resource, who may see another
 * member's prescriptions — as single beans, whether or not authentication is on: the feeds, the
 * prescription services and the demo loaders act for institutions too, and one directory means one
 * cache to keep fresh.
 */
@Configuration(proxyBeanMethods = false)
public class ConsortiumRulesConfig {

  @Bean
  InstitutionDirectory institutionDirectory(DaoRegistry daoRegistry) {
    return new InstitutionDirectory(daoRegistry);
  }

  @Bean
  ResourceOwnership resourceOwnership(InstitutionDirectory directory) {
    return new ResourceOwnership(directory);
  }

  @Bean
  ConsortiumMemberSharingPolicy consortiumMemberSharingPolicy(InstitutionDirectory directory) {
    return new ConsortiumMemberSharingPolicy(directory);
  }
}
