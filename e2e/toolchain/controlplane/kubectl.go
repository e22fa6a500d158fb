package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"

	// Client auth plugins (exec, oidc, ...), as upstream cmd/kubectl imports them.
	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

// runKubectl mirrors k8s.io/kubernetes/cmd/kubectl/kubectl.go. args excludes
// the program name; os.Args is rewritten because kubectl inspects it directly
// (verbosity pre-parsing, plugin lookup).
func runKubectl(args []string) int {
	os.Args = append([]string{"kubectl"}, args...)
	logs.GlogSetter(cmd.GetLogVerbosity(os.Args)) // nolint:errcheck
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		// Pretty-prints the error and exits non-zero, like upstream kubectl.
		util.CheckErr(err)
	}
	return 0
}
