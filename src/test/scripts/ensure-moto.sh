#!/usr/bin/env bash
# Installs the pinned moto server (the AWS emulator the integration tests run against) into a
# cached virtualenv, once per version. Called by Maven before the tests; safe to call again.
set -euo pipefail
version="${1:?usage: ensure-moto.sh VERSION}"
home="$HOME/.cache/devportal-webhook/moto-$version"
if [ -x "$home/bin/python" ] && "$home/bin/python" -c "import moto, flask; assert moto.__version__ == '$version'" 2>/dev/null; then
  echo "moto $version ready in $home"
  exit 0
fi
echo "installing moto[server]==$version into $home"
rm -rf "$home"
python3 -m venv "$home"
"$home/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$version"
"$home/bin/python" -c "import moto; print('moto', moto.__version__, 'installed')"
