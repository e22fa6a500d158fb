package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// certificates writes, under --out:
//
//	ca/tls.crt, ca/tls.key          the root CA (the Secret TLS_CA_SECRET_NAME names; PKCS#1 RSA
//	                                key, the form `crossplane core init` reads back)
//	client/{ca.crt,tls.crt,tls.key} Crossplane's client certificate (TLS_CLIENT_CERTS_DIR)
//	server/{ca.crt,tls.crt,tls.key} a function's server certificate for 127.0.0.1 (TLS_SERVER_CERTS_DIR)
//
// Both sides verify the other against the CA, as with Crossplane's own Deployment runtime.
func certificates(args []string) error {
	fs := flag.NewFlagSet("certificates", flag.ContinueOnError)
	out := fs.String("out", "", "directory to write ca/, client/ and server/ into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	now := time.Now()
	subject := pkix.Name{CommonName: "Crossplane", Organization: []string{"cloud37 e2e test bed"}}

	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               subject,
		DNSNames:              []string{"crossplane-root-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	caPEM := pemOf("CERTIFICATE", caDER)
	if err := writeFiles(filepath.Join(*out, "ca"), map[string][]byte{
		"tls.crt": caPEM,
		"tls.key": pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(caKey)),
	}); err != nil {
		return err
	}

	leaf := func(dir string, serial int64, usage x509.ExtKeyUsage, dnsNames []string, ips []net.IP) error {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		template := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      subject,
			DNSNames:     dnsNames,
			IPAddresses:  ips,
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.AddDate(1, 0, 0),
			KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		der, err := x509.CreateCertificate(rand.Reader, template, ca, &key.PublicKey, caKey)
		if err != nil {
			return err
		}
		return writeFiles(filepath.Join(*out, dir), map[string][]byte{
			"ca.crt":  caPEM,
			"tls.crt": pemOf("CERTIFICATE", der),
			"tls.key": pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)),
		})
	}
	if err := leaf("client", 2, x509.ExtKeyUsageClientAuth, []string{"crossplane.crossplane-system"}, nil); err != nil {
		return err
	}
	return leaf("server", 3, x509.ExtKeyUsageServerAuth, []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1)})
}

func pemOf(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

// writeFiles writes private files (0600) into a private directory (0700).
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
