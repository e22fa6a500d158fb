package main

import (
	"fmt"
	"os"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a self-contained kubeconfig for a client identity (all certs
// embedded) so tests can copy it anywhere; it is rewritten on every start because the
// port may change between runs while the PKI stays.
func writeKubeconfig(path, server string, p pki, identity leaf) error {
	ca, err := os.ReadFile(p.CACert)
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(p.cert(identity))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(p.key(identity))
	if err != nil {
		return err
	}
	const name = "cloud37-e2e"
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[name] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos[identity.name] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: identity.name, Namespace: "default"}
	cfg.CurrentContext = name
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return fmt.Errorf("serialize kubeconfig: %w", err)
	}
	return writeFileAtomic(path, data, 0o600)
}
