package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki holds the paths of the files kube serve generates in a data dir: a CA and the
// service-account key pair once (kept across restarts so kubeconfigs and tokens stay valid),
// and each client or serving certificate whenever it is missing.
// Everything is ECDSA P-256: fast to generate and accepted by every consumer
// (TLS, client certs, ES256 service-account tokens).
type pki struct {
	Dir                         string
	CACert, CAKey               string
	ServiceAccountKey, SAPubKey string
}

// The node's name: its Hostname address must resolve to loopback, because the apiserver
// reaches kubelets by that address type (see apiserver.go) and the node uses loopback only.
const nodeName = "localhost"

// A certificate the control plane or a client of it presents.
type leaf struct {
	name         string // files <name>.crt and <name>.key
	commonName   string
	organization []string
	server       bool // a serving certificate (else a client certificate)
}

var (
	// Serving cert: loopback plus the in-cluster names, so the same CA bundle works for
	// clients outside (127.0.0.1) and in-cluster style addresses.
	apiserverServing = leaf{name: "apiserver", commonName: "kube-apiserver", server: true}
	// O=system:masters is bound to cluster-admin by RBAC defaults.
	admin = leaf{name: "admin", commonName: "admin", organization: []string{"system:masters"}}
	// The apiserver's identity towards kubelets (logs, exec, port-forward).
	kubeletClient = leaf{name: "apiserver-kubelet-client", commonName: "kube-apiserver-kubelet-client", organization: []string{"system:masters"}}
	// The identities the Node authorizer and the default RBAC roles expect.
	scheduler  = leaf{name: "scheduler", commonName: "system:kube-scheduler"}
	nodeClient = leaf{name: "node", commonName: "system:node:" + nodeName, organization: []string{"system:nodes"}}
	leaves     = []leaf{apiserverServing, admin, kubeletClient, scheduler, nodeClient}
)

func newPKI(dir string) pki {
	p := func(name string) string { return filepath.Join(dir, name) }
	return pki{
		Dir:    dir,
		CACert: p("ca.crt"), CAKey: p("ca.key"),
		ServiceAccountKey: p("sa.key"), SAPubKey: p("sa.pub"),
	}
}

func (p pki) cert(l leaf) string { return filepath.Join(p.Dir, l.name+".crt") }
func (p pki) key(l leaf) string  { return filepath.Join(p.Dir, l.name+".key") }

// ensure generates what is missing. The CA and the service-account keys are made once;
// restarting on the same data dir keeps them.
func (p pki) ensure() error {
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(p.SAPubKey); err != nil { // written last: marks a complete root
		if err := p.createRoot(); err != nil {
			return err
		}
	}
	caCert, caKey, err := p.loadCA()
	if err != nil {
		return err
	}
	now := time.Now().Add(-time.Hour) // tolerate small clock skew
	for _, l := range leaves {
		if _, err := os.Stat(p.cert(l)); err == nil {
			continue
		}
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: l.commonName, Organization: l.organization},
			NotBefore:   now,
			NotAfter:    now.Add(validity),
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if l.server {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
			tmpl.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default",
				"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}
		}
		if err := issue(tmpl, caCert, caKey, p.cert(l), p.key(l)); err != nil {
			return err
		}
	}
	return nil
}

const validity = 10 * 365 * 24 * time.Hour

// createRoot writes the CA and the service-account signing key pair.
func (p pki) createRoot() error {
	now := time.Now().Add(-time.Hour)
	caKey, err := newKey()
	if err != nil {
		return err
	}
	caTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "cloud37-e2e-ca"},
		NotBefore:             now,
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := sign(caTmpl, caTmpl, caKey, caKey)
	if err != nil {
		return err
	}
	if err := writeCertAndKey(p.CACert, p.CAKey, caDER, caKey); err != nil {
		return err
	}
	// Service-account signing key pair (apiserver signs, verifies with the public half).
	saKey, err := newKey()
	if err != nil {
		return err
	}
	if err := writeKey(p.ServiceAccountKey, saKey); err != nil {
		return err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(saKey.Public())
	if err != nil {
		return err
	}
	return writePEM(p.SAPubKey, "PUBLIC KEY", pubDER, 0o644)
}

func (p pki) loadCA() (*x509.Certificate, crypto.Signer, error) {
	certPEM, err := os.ReadFile(p.CACert)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(p.CAKey)
	if err != nil {
		return nil, nil, err
	}
	certBlock, _ := pem.Decode(certPEM)
	keyBlock, _ := pem.Decode(keyPEM)
	if certBlock == nil || keyBlock == nil {
		return nil, nil, errors.New("the CA files are not PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func issue(tmpl, ca *x509.Certificate, caKey crypto.Signer, certPath, keyPath string) error {
	key, err := newKey()
	if err != nil {
		return err
	}
	der, err := sign(tmpl, ca, key, caKey)
	if err != nil {
		return err
	}
	return writeCertAndKey(certPath, keyPath, der, key)
}

func newKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func sign(tmpl, parent *x509.Certificate, key, parentKey crypto.Signer) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	return x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
}

func writeCertAndKey(certPath, keyPath string, der []byte, key *ecdsa.PrivateKey) error {
	if err := writeKey(keyPath, key); err != nil {
		return err
	}
	return writePEM(certPath, "CERTIFICATE", der, 0o644)
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "EC PRIVATE KEY", der, 0o600)
}

func writePEM(path, blockType string, der []byte, mode os.FileMode) error {
	data := pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
	if data == nil {
		return errors.New("pem encoding failed")
	}
	if err := writeFileAtomic(path, data, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeFileAtomic avoids readers (the TS side polls for files) seeing partial content.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
