#!/usr/bin/env bash
# Profile-validation cost per resource (median, p99), validation on vs off: bench/results-validation.md
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl profiles -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -Xmx2g -cp "profiles/target/test-classes:profiles/target/classes:$(cat profiles/target/bench-classpath.txt)" \
  org.lianyao.profiles.bench.ValidationBenchmark "$(pwd)/bench/results-validation.md"
