// Command crossplane is Crossplane's core controller manager (`crossplane core init|start`),
// built for the e2e test bed from the crossplane/v2 module. Upstream's cmd/crossplane is a main
// package and cannot be imported, so this is its main with the same flags, minus the RBAC
// manager and internal commands, which the test bed does not run.
package main

import (
	"io"

	"github.com/alecthomas/kong"
	admv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	authv1 "k8s.io/api/authorization/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	extv1beta1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"

	"github.com/crossplane/crossplane/apis/v2"
	"github.com/crossplane/crossplane/v2/cmd/crossplane/core"
)

type debugFlag bool

// BeforeApply logs in development mode, controller-runtime included, as upstream's --debug does.
func (debugFlag) BeforeApply(ctx *kong.Context) error { //nolint:unparam // kong's hook signature.
	zl := zap.New(zap.UseDevMode(true)).WithName("crossplane")
	ctx.BindTo(logging.NewLogrLogger(zl), (*logging.Logger)(nil))
	ctrl.SetLogger(zl)
	logging.SetFilteredKlogLogger(zl)
	return nil
}

type cli struct {
	Debug debugFlag    `help:"Print verbose logging statements." short:"d"`
	Core  core.Command `cmd:"" help:"Start core Crossplane controllers."`
}

func main() {
	zl := zap.New().WithName("crossplane")
	logging.SetFilteredKlogLogger(zl)

	c := &cli{}
	ctx := kong.Parse(c,
		kong.Name("crossplane"),
		kong.Description("Crossplane core, built for the cloud37 e2e test bed."),
		kong.BindTo(logging.NewLogrLogger(zl), (*logging.Logger)(nil)),
		kong.UsageOnError(),
		core.KongVars,
	)
	if !c.Debug {
		ctrl.SetLogger(zap.New(zap.WriteTo(io.Discard)))
	}

	// The scheme must hold every type a Crossplane package may contain (as upstream's main).
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, authv1.AddToScheme, appsv1.AddToScheme, rbacv1.AddToScheme,
		coordinationv1.AddToScheme, extv1.AddToScheme, extv1beta1.AddToScheme, admv1.AddToScheme,
		apis.AddToScheme,
	} {
		ctx.FatalIfErrorf(add(s), "cannot build the scheme")
	}
	ctx.FatalIfErrorf(ctx.Run(s))
}
