#!/bin/sh
# mkcerts.sh DIR: a test CA (DIR/ca.crt, DIR/ca.key) and a server certificate
# it signed for 127.0.0.1, localhost and 10.0.2.2 (the host as the VM suite's
# guest reaches it through QEMU's user-mode network) (DIR/server.crt,
# DIR/server.key), EC P-256, valid ten years.  For the API server emulator's
# HTTPS.
set -eu
d=${1:?usage: tests/k8s/mkcerts.sh DIR}
mkdir -p "$d"
cd "$d"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
	-keyout ca.key -out ca.crt -subj "/CN=vigil-test-ca" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" \
	"keyUsage=critical,digitalSignature,keyEncipherment" \
	"extendedKeyUsage=serverAuth" \
	"subjectAltName=IP:127.0.0.1,IP:10.0.2.2,DNS:localhost" >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
	-days 3650 -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext
chmod 600 ca.key server.key
