// Writes golden files produced by Go's crypto/x509, crypto/rsa and encoding/pem, the way the
// OCM Go tools use them, for pyocm's conformance tests.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func cert(tmpl, parent *x509.Certificate, pub *rsa.PublicKey, signer *rsa.PrivateKey) *x509.Certificate {
	der := must(x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer))
	return must(x509.ParseCertificate(der))
}

func write(dir, name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		panic(err)
	}
}

func main() {
	dir := os.Args[1]
	notBefore := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter := time.Date(2124, 1, 1, 0, 0, 0, 0, time.UTC)

	rootKey := must(rsa.GenerateKey(rand.Reader, 2048))
	interKey := must(rsa.GenerateKey(rand.Reader, 2048))
	leafKey := must(rsa.GenerateKey(rand.Reader, 2048))

	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pyocm test root", Organization: []string{"pyocm"}},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	root := cert(rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	interTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject: pkix.Name{CommonName: "pyocm test intermediate", Organization: []string{"pyocm"},
			Country: []string{"DE"}, Locality: []string{"Walldorf"}},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	inter := cert(interTmpl, root, &interKey.PublicKey, rootKey)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3),
		Subject: pkix.Name{CommonName: "signer, with comma", Organization: []string{"pyocm"},
			OrganizationalUnit: []string{"ocm", "signing"}, Country: []string{"DE"}},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	leaf := cert(leafTmpl, inter, &leafKey.PublicKey, interKey)

	sum := sha256.Sum256([]byte("pyocm golden digest"))
	pss := must(rsa.SignPSS(rand.Reader, leafKey, crypto.SHA256, sum[:], nil))
	pkcs1 := must(rsa.SignPKCS1v15(rand.Reader, leafKey, crypto.SHA256, sum[:]))

	sigPEM := pem.EncodeToMemory(&pem.Block{Type: "SIGNATURE", Bytes: pss,
		Headers: map[string]string{"Signature Algorithm": "RSASSA-PSS"}})
	for _, c := range []*x509.Certificate{leaf, inter} {
		sigPEM = append(sigPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	write(dir, "signature-pss.pem", sigPEM)
	write(dir, "root.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}))
	write(dir, "leaf-key.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(leafKey)}))
	pkcs8 := must(x509.MarshalPKCS8PrivateKey(leafKey))
	write(dir, "leaf-key-pkcs8.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	pkix := must(x509.MarshalPKIXPublicKey(&leafKey.PublicKey))
	write(dir, "leaf-pub-pkix.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix}))

	facts := map[string]string{
		"digest":          hex.EncodeToString(sum[:]),
		"pkcs1_signature": hex.EncodeToString(pkcs1),
		"pss_signature":   hex.EncodeToString(pss),
		"leaf_subject":    leaf.Subject.String(),
		"leaf_issuer":     leaf.Issuer.String(),
		"root_subject":    root.Subject.String(),
	}
	write(dir, "facts.json", must(json.MarshalIndent(facts, "", "  ")))
}
