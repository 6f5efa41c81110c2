#!/usr/bin/env bash
# Installs influxbak into the local Maven repository and builds examples/consumer-project: a separate
# project that depends on influxbak by coordinates through influxbak-bom, with logback, and fails on
# dependency divergence (maven-enforcer dependencyConvergence) or when influxbak's logs do not reach
# logback. Then prints each module's run-time footprint.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -Dspotless.check.skip -pl '!influxbak-benchmarks'
mvn -B -f examples/consumer-project/pom.xml verify
bash .ci/footprint.sh
