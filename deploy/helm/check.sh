#!/bin/sh
# check.sh - check the Helm chart deploy/helm/vigil.
#
# With helm on PATH: `helm lint`, and `helm template` with the chart's defaults
# and with check-values.yaml, whose output check-chart.py then checks.
# Without helm (Debian 12 does not package it): check-chart.py renders the
# templates itself, with a renderer of the few constructs the chart uses, and
# runs the same checks; what it cannot prove is that Helm renders them alike,
# and `helm lint`'s own rules.  Either way check-chart.py compares the default
# rendering with deploy/vigil.yaml, checks the chart's crds/ against crds/, and
# prints "ok"/"not ok" lines and "N passed, N failed".  Exit status 1 on failure.
# Needs python3 and PyYAML (python3-yaml).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
chart="$here/vigil"

if command -v helm >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	echo "# helm $(helm version --short 2>/dev/null || echo '?'): helm lint and helm template"
	lint=0
	if helm lint "$chart" >"$tmp/lint" 2>&1; then
		echo "ok - helm lint"
	else
		echo "not ok - helm lint"
		sed 's/^/#   /' "$tmp/lint"
		lint=1
	fi
	helm template vigil "$chart" --namespace vigil >"$tmp/defaults.yaml"
	helm template vigil "$chart" --namespace vigil -f "$here/check-values.yaml" \
		>"$tmp/values.yaml"
	rc=0
	python3 "$here/check-chart.py" --rendered "$tmp/defaults.yaml" "$tmp/values.yaml" || rc=$?
	[ "$lint" -eq 0 ] || rc=1
	exit "$rc"
fi

echo "# helm is not installed: check-chart.py renders the chart's templates itself"
exec python3 "$here/check-chart.py"
