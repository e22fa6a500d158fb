package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"

	_ "k8s.io/component-base/logs/json/register"          // JSON log format, as upstream main imports it
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics, as upstream main imports it
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric, as upstream main imports it
	_ "time/tzdata"                                       // CronJob time zones without system tzdata
)

// serviceAccountIssuer doubles as the only API audience so that tokens from
// `kubectl create token` are accepted by this apiserver without --audience.
const serviceAccountIssuer = "https://kubernetes.default.svc.cluster.local"

// newAPIServer builds the upstream kube-apiserver command (exactly what the
// kube-apiserver binary runs) configured by flags, the way k3s embeds it.
//
// NewAPIServerCommand installs the process-wide SIGTERM/SIGINT handler
// (genericapiserver.SetupSignalContext, which may only be called once); the
// returned command's Context() is therefore the shutdown signal for everything.
func newAPIServer(o serveOptions, etcdURL string, p pki) *cobra.Command {
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(o.apiserverPort),
		// Loopback is not a valid Endpoints address, so the "kubernetes" Service
		// endpoint reconciler would fail forever; nothing here needs that endpoint.
		"--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none",
		"--tls-cert-file=" + p.cert(apiserverServing),
		"--tls-private-key-file=" + p.key(apiserverServing),
		"--client-ca-file=" + p.CACert,
		// As in real clusters: kubelets are authorized by the Node authorizer and limited to
		// their own Node and Pods by NodeRestriction; everyone else by RBAC.
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		// Logs, exec and port-forward reach a kubelet by its Hostname address, which is
		// "localhost" (its other address is the machine's, which the test bed never uses).
		"--kubelet-preferred-address-types=Hostname",
		"--kubelet-client-certificate=" + p.cert(kubeletClient),
		"--kubelet-client-key=" + p.key(kubeletClient),
		"--service-account-issuer=" + serviceAccountIssuer,
		"--api-audiences=" + serviceAccountIssuer,
		"--service-account-key-file=" + p.SAPubKey,
		"--service-account-signing-key-file=" + p.ServiceAccountKey,
		"--service-cluster-ip-range=10.96.0.0/24",
		"--allow-privileged=true",
		// Not needed for a single-client test cluster and costs CPU/memory.
		"--enable-priority-and-fairness=false",
		"--profiling=false",
		"--v=" + strconv.Itoa(o.verbosity),
	})
	return cmd
}

// runAPIServer blocks until the apiserver has shut down (after the signal context is done).
func runAPIServer(cmd *cobra.Command) error {
	// cli.RunNoErrOutput adds what the upstream main gets from cli.Run: flag
	// normalization, log flags and klog initialisation.
	if err := cli.RunNoErrOutput(cmd); err != nil {
		return fmt.Errorf("kube-apiserver: %w", err)
	}
	return nil
}
