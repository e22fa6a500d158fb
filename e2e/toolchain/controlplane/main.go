// Command kube is a multicall binary for the e2e test bed: it runs a
// single-process Kubernetes control plane (etcd + kube-apiserver +
// kube-controller-manager + kube-scheduler), a node (containerd + kubelet) and
// the node's CNI plugins, and doubles as kubectl, so the e2e tests need nothing
// but binaries built from the Go module proxy and Debian packages (no Docker, no kind).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const usage = `usage:
  kube serve --data-dir DIR --apiserver-port N --etcd-client-port N --etcd-peer-port N
  kube node --dir DIR --tini PATH --containerd PATH --containerd-config FILE --containerd-socket PATH [--bin-path DIRS] -- [kubelet args...]
  kube kubectl [kubectl args...]    (or invoke through a symlink named "kubectl")
  (invoked as "cloud37-hostnet" or "loopback": the node's CNI plugins, see cni.go)
`

func main() {
	// Dispatch on argv[0] first so a "kubectl" symlink behaves exactly like kubectl.
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	if name == "kubectl" {
		os.Exit(runKubectl(os.Args[1:]))
	}
	if isCNIPlugin(name) {
		runCNIPlugin(name)
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		os.Exit(runServe(os.Args[2:]))
	case "node":
		os.Exit(runNode(os.Args[2:]))
	case "kubectl":
		os.Exit(runKubectl(os.Args[2:]))
	case "-h", "--help", "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "kube: unknown command %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
}
