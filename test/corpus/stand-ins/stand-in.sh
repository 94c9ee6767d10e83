#!/usr/bin/env bash
# A stand-in for `oc` and `kubectl` in the corpus tests: it records the
# command it was given, one line per call, each argument shell-quoted, in
# $STAND_IN_LOG, and prints what a small cluster would for the few queries
# the played runbooks read (a namespace, a deployment table); for every other
# command it prints one line saying what it was asked.
set -euo pipefail
tool=$(basename "$0")
{ printf '%q' "$tool"; printf ' %q' "$@"; printf '\n'; } >> "${STAND_IN_LOG:?STAND_IN_LOG is not set}"
case "$*" in
  'get kubevirt -A -o custom-columns=:.metadata.namespace') echo 'openshift-cnv' ;;
  'get deployment -A')
    printf '%s\n' 'NAMESPACE   NAME           READY   UP-TO-DATE   AVAILABLE   AGE' \
      'cdi         cdi-operator   1/1     1            1            3d' \
      'cdi         cdi-apiserver  0/1     1            0            3d' ;;
  *) echo "$tool: $*" ;;
esac
