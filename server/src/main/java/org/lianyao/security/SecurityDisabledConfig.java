package org.lianyao.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code lianyao.security.enabled=false}: every request passes with no caller, no token server, no
 * FHIR authorization. For the benchmark baseline only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "lianyao.security", name = "enabled", havingValue = "false")
public class SecurityDisabledConfig {

  private static final Logger log = LoggerFactory.getLogger(SecurityDisabledConfig.class);

  @Bean
  SecurityFilterChain openSecurityFilterChain(HttpSecurity http) throws Exception {
    log.warn("SECURITY IS OFF (lianyao.security.enabled=false): no authentication, no authorization,"
        + " no audit of access. Benchmark baselines only, never with real data.");
    http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable);
    return http.build();
  }
}
