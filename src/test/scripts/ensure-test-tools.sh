#!/usr/bin/env bash
# Installs the Python tools the tests run, each pinned and in its own cached virtualenv, once per
# version: the moto server (the AWS emulator), schemathesis (the OpenAPI fuzzer) and cfn-lint (the
# CloudFormation/SAM linter that checks deploy/sam/template.yaml).
# Called by Maven before the tests (see pom.xml); safe to call again.
set -euo pipefail
moto_version="${1:?usage: ensure-test-tools.sh MOTO_VERSION SCHEMATHESIS_VERSION}"
st_version="${2:?usage: ensure-test-tools.sh MOTO_VERSION SCHEMATHESIS_VERSION [CFN_LINT_VERSION]}"
cfn_lint_version="${3:-}"
cache="$HOME/.cache/devportal-webhook"

ensure() {  # ensure NAME VERSION PIP_SPEC IMPORT
  local home="$cache/$1-$2"
  if [ -x "$home/bin/python" ] && "$home/bin/python" -c "import $4, importlib.metadata as m; assert m.version('$1') == '$2'" 2>/dev/null; then
    echo "$1 $2 ready in $home"
    return
  fi
  echo "installing $3 into $home"
  rm -rf "$home"
  python3 -m venv "$home"
  "$home/bin/python" -m pip install --quiet --disable-pip-version-check "$3"
  "$home/bin/python" -c "import importlib.metadata as m; print('$1', m.version('$1'), 'installed')"
}

ensure moto "$moto_version" "moto[server]==$moto_version" "moto, flask"
ensure schemathesis "$st_version" "schemathesis==$st_version" "schemathesis"
if [ -n "$cfn_lint_version" ]; then
  ensure cfn-lint "$cfn_lint_version" "cfn-lint==$cfn_lint_version" "cfnlint"
fi

# PostgresLedgerTest runs a throw-away PostgreSQL server from the machine's server binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing the postgresql server package for PostgresLedgerTest"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "WARNING: no PostgreSQL server under /usr/lib/postgresql and not root to install it:" \
         "PostgresLedgerTest will fail; install the postgresql package" >&2
  fi
fi
