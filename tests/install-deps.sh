#!/bin/sh
# Install the Debian packages docket needs, only those missing, saying
# which.  "build": compiler and libraries; "test": also the test tools.
set -e
want="build-essential pkg-config libyaml-dev libgit2-dev libjansson-dev libssl-dev libunistring-dev libxxhash-dev gettext"
if [ "${1:-build}" = test ]; then
	want="$want libcmocka-dev mandoc python3 python3-jsonschema python3-yaml jq libxml2-utils msmtp python3-aiosmtpd clang libclang-rt-14-dev valgrind zsh chromium fonts-noto-cjk poppler-utils openssh-server lighttpd"
fi
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing missing packages:$missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
