// Command crossplane-support gives the e2e test bed what Crossplane expects of a cluster and
// the test bed has no other way to provide, on loopback only:
//
//	crossplane-support certificates --out DIR
//	crossplane-support registry --listen 127.0.0.1:0 --ready-file FILE --package REPO:TAG=package.yaml...
//
// `certificates` writes the TLS material of Crossplane's function calls (a root CA, Crossplane's
// client certificate, a function server certificate for 127.0.0.1). `registry` serves an
// in-memory OCI registry holding Crossplane packages, so a Function is installed the way
// Crossplane installs any package, without a registry on the internet.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: crossplane-support certificates|registry [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "certificates":
		err = certificates(os.Args[2:])
	case "registry":
		err = serveRegistry(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (certificates, registry)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "crossplane-support:", err)
		os.Exit(1)
	}
}
