#!/bin/sh
# Regenerates the key/certificate fixtures used by src/input/key.rs tests.
# Run once with the openssl 3.0 CLI; the outputs are committed. Tests never generate keys.
set -eu
cd "$(dirname "$0")"
cert() { openssl req -x509 -new -key "$1" -subj "/CN=$2" -days 36500 -out "$2.crt.pem" $3; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pkcs8.pem
openssl pkey -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem
cert rsa2048.pkcs8.pem rsa2048 -sha256
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
openssl pkey -in rsa1024.pkcs8.pem -traditional -out rsa1024.pkcs1.pem
cert rsa1024.pkcs8.pem rsa1024 -sha256

for c in P-256 P-384 P-521; do
  n=$(echo "$c" | tr -d '-' | tr 'P' 'p')
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$c -pkeyopt ec_param_enc:named_curve -out $n.pkcs8.pem
  openssl pkey -in $n.pkcs8.pem -traditional -out $n.sec1.pem
  cert $n.pkcs8.pem $n -sha256
  openssl pkey -in $n.pkcs8.pem -pubout -ec_conv_form compressed -out $n.compressed.pub.pem
done
# a second P-256 key, for same-algorithm mismatches
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256b.pkcs8.pem
cert p256b.pkcs8.pem p256b -sha256

openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
cert ed25519.pkcs8.pem ed25519 ""
openssl genpkey -algorithm ED25519 -out ed25519b.pkcs8.pem
openssl pkey -in ed25519b.pkcs8.pem -pubout -out ed25519b.pub.pem

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out sm2.pkcs8.pem
# OpenSSL 3.0 cannot write SM2 keys in SEC1 ("traditional") form: take the ECPrivateKey
# inside the PKCS#8 and add the [0] namedCurve parameters (OID 1.2.156.10197.1.301).
openssl asn1parse -in sm2.pkcs8.pem -strparse 27 -noout -out sm2.inner.der
python3 -c '
import base64,sys
d=open("sm2.inner.der","rb").read()
assert d[0]==0x30 and d[1]<0x80 and d[2:7]==bytes.fromhex("0201010420")
body=d[2:]; head=body[:37]; tail=body[37:]
params=bytes.fromhex("a00a06082a811ccf5501822d")
new=head+params+tail
der=bytes([0x30,len(new)])+new
b=base64.b64encode(der).decode()
sys.stdout.write("-----BEGIN EC PRIVATE KEY-----\n"+"\n".join(b[i:i+64] for i in range(0,len(b),64))+"\n-----END EC PRIVATE KEY-----\n")
' > sm2.sec1.pem
rm -f sm2.inner.der
openssl pkey -in sm2.sec1.pem -noout
cert sm2.pkcs8.pem sm2 "-sm3 -sigopt distid:1234567812345678"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out sm2b.pkcs8.pem
openssl pkey -in sm2b.pkcs8.pem -pubout -out sm2b.pub.pem

# encrypted keys (passphrase "certgate")
openssl pkcs8 -topk8 -in p256.pkcs8.pem -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 2048 -passout pass:certgate -out p256.enc-pbes2.pem
openssl pkcs8 -topk8 -in rsa2048.pkcs8.pem -v1 PBE-SHA1-3DES -passout pass:certgate -out rsa2048.enc-pbe-sha1-3des.pem
openssl pkcs8 -topk8 -in p256.pkcs8.pem -scrypt -passout pass:certgate -out p256.enc-scrypt.pem
openssl rsa -in rsa2048.pkcs8.pem -traditional -aes128 -passout pass:certgate -out rsa2048.legacy-enc.pem
openssl ec -in p256.pkcs8.pem -des3 -passout pass:certgate -out p256.legacy-enc.pem

# not keys
openssl genpkey -algorithm X25519 -out x25519.pkcs8.pem
openssl genpkey -algorithm ED448 -out ed448.pkcs8.pem
rm -f ./*.srl

# seed002.key.txt / seed002.crt.txt / seed004.csr.txt are not generated: they are copied
# verbatim from the documentation examples (seeds 002: one-line key and certificate; 004: a
# CSR with literal \r\n escapes, real line breaks and leading spaces).
