/**
 * What the feeds need from the application that runs them: a durable message store (schema
 * {@code lianyao}, table {@code message}) and a writer of FHIR transactions that applies the
 * gateway's validation and ownership rules. The server implements both; the routes and handlers in
 * {@code org.lianyao.feed.hl7}, {@code .sql} and {@code .outbound} only see these interfaces.
 */
package org.lianyao.feed.spi;
