package org.lianyao;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Lianyao (联药) gateway: HAPI FHIR JPA server plus the consortium drug services around it. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LianyaoApplication {

  public static void main(String[] args) {
    SpringApplication.run(LianyaoApplication.class, args);
  }
}
