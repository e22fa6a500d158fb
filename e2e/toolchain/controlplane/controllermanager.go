package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/pflag"
	cliflag "k8s.io/component-base/cli/flag"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
)

// runControllerManager runs the upstream kube-controller-manager in-process
// until ctx is done.
//
// It mirrors the RunE of app.NewControllerManagerCommand instead of executing
// that command because upstream hard-codes context.Background() there, so the
// controllers could never be stopped before process exit. Logging is not
// re-applied: the apiserver already configured the process-global klog.
func runControllerManager(ctx context.Context, kubeconfig string, p pki, verbosity int) error {
	s, err := options.NewKubeControllerManagerOptions()
	if err != nil {
		return err
	}
	all, disabled, aliases := app.KnownControllers(), app.ControllersDisabledByDefault(), app.ControllerAliases()
	named := s.Flags(all, disabled, aliases)
	s.ParsedFlags = &named
	fs := pflag.NewFlagSet("kube-controller-manager", pflag.ContinueOnError)
	fs.SetNormalizeFunc(cliflag.WordSepNormalizeFunc)
	for _, f := range named.FlagSets {
		fs.AddFlagSet(f)
	}
	args := []string{
		"--kubeconfig=" + kubeconfig,
		"--leader-elect=false",
		"--secure-port=0", // no serving endpoint: nothing scrapes it and it saves a port
		// Token + service-account controllers need the signing key and the CA
		// bundle they put into kube-root-ca.crt / token secrets.
		"--service-account-private-key-file=" + p.ServiceAccountKey,
		"--root-ca-file=" + p.CACert,
		"--use-service-account-credentials=true", // per-controller identities, as in real clusters
		// Lets CSRs be approved+signed by the same CA (cheap, occasionally handy in tests).
		"--cluster-signing-cert-file=" + p.CACert,
		"--cluster-signing-key-file=" + p.CAKey,
		// Upstream's 20 QPS client throttling dominates start-up (discovery and
		// one client per controller); a local single-user cluster does not need it.
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--v=" + strconv.Itoa(verbosity),
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("kube-controller-manager flags: %w", err)
	}
	if err := s.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	c, err := s.Config(ctx, all, disabled, aliases)
	if err != nil {
		return fmt.Errorf("kube-controller-manager config: %w", err)
	}
	return app.Run(ctx, c.Complete())
}
