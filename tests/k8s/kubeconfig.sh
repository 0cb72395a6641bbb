#!/bin/sh
# kubeconfig.sh OUT SERVER CA_FILE TOKEN: write a kubeconfig to OUT for the
# API server emulator.  SERVER is a URL or a bare port (then
# https://127.0.0.1:PORT); TOKEN is the bearer token, or @FILE to have the
# client read it from FILE (tokenFile), which lets a test rotate it.
set -eu
out=${1:?usage: tests/k8s/kubeconfig.sh OUT SERVER CA_FILE TOKEN|@FILE}
server=${2:?usage: tests/k8s/kubeconfig.sh OUT SERVER CA_FILE TOKEN|@FILE}
ca=${3:?usage: tests/k8s/kubeconfig.sh OUT SERVER CA_FILE TOKEN|@FILE}
token=${4:?usage: tests/k8s/kubeconfig.sh OUT SERVER CA_FILE TOKEN|@FILE}
case $server in
*[!0-9]*) ;;
*) server=https://127.0.0.1:$server ;;
esac
case $ca in
/*) ;;
*) ca=$(pwd)/$ca ;;
esac
# a YAML double-quoted scalar
q() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
case $token in
@*) f=${token#@}
	case $f in /*) ;; *) f=$(pwd)/$f ;; esac
	cred="tokenFile: $(q "$f")" ;;
*) cred="token: $(q "$token")" ;;
esac
cat >"$out.tmp" <<EOT
apiVersion: v1
kind: Config
clusters:
- name: vigil-test
  cluster:
    server: $(q "$server")
    certificate-authority: $(q "$ca")
users:
- name: vigil-test
  user:
    $cred
contexts:
- name: vigil-test
  context:
    cluster: vigil-test
    user: vigil-test
    namespace: default
current-context: vigil-test
EOT
mv "$out.tmp" "$out"
