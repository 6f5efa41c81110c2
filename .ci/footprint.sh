#!/usr/bin/env bash
# What each published module brings onto a consumer's class path at run time: jars and MB of the
# module and everything it resolves (runtime scope), and of all five store modules together.
# Run after `mvn install` (it resolves the installed artifacts): bash .ci/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for m in influxbak-core influxbak-fs influxbak-s3 influxbak-azure influxbak-gcs; do
  mvn -B -q -o -pl "$m" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$out/$m" -Denforcer.skip -Dspotless.check.skip >/dev/null
  cp "$m"/target/"$m"-*[0-9T].jar "$out/$m/" 2>/dev/null || true
  cp "$out/$m"/*.jar "$out/all/" 2>/dev/null || { mkdir -p "$out/all"; cp "$out/$m"/*.jar "$out/all/"; }
done
printf '%-16s %5s %8s\n' module jars MB
for m in influxbak-core influxbak-fs influxbak-s3 influxbak-azure influxbak-gcs all; do
  n=$(ls "$out/$m"/*.jar | wc -l)
  mb=$(du -cb "$out/$m"/*.jar | tail -1 | awk '{printf "%.1f", $1/1000000}')
  printf '%-16s %5s %8s\n' "$m" "$n" "$mb"
done
