package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"k8s.io/klog/v2"
)

type serveOptions struct {
	dataDir                      string
	apiserverPort                int
	etcdClientPort, etcdPeerPort int
	verbosity                    int
	readyTimeout                 time.Duration
}

// runServe starts etcd, kube-apiserver and kube-controller-manager in this
// process and blocks until SIGTERM/SIGINT (or a component failure).
//
// Files in --data-dir: pki/ (kept across restarts), etcd/, kubeconfig (admin),
// ready (written once /readyz is ok and the controller-manager is working,
// removed on shutdown).
func runServe(args []string) int {
	parentPID := os.Getppid()
	if err := dieWithParent(); err != nil {
		fmt.Fprintf(os.Stderr, "kube serve: prctl(PR_SET_PDEATHSIG): %v\n", err)
		return 1
	}
	if os.Getppid() != parentPID { // parent died before prctl took effect
		return 1
	}

	var o serveOptions
	fl := flag.NewFlagSet("kube serve", flag.ContinueOnError)
	fl.StringVar(&o.dataDir, "data-dir", "", "state directory (pki/, etcd/, kubeconfig, ready)")
	fl.IntVar(&o.apiserverPort, "apiserver-port", 6443, "kube-apiserver https port on 127.0.0.1")
	fl.IntVar(&o.etcdClientPort, "etcd-client-port", 2379, "etcd client port on 127.0.0.1")
	fl.IntVar(&o.etcdPeerPort, "etcd-peer-port", 2380, "etcd peer port on 127.0.0.1")
	fl.IntVar(&o.verbosity, "v", 0, "klog verbosity of apiserver and controller-manager")
	fl.DurationVar(&o.readyTimeout, "ready-timeout", 3*time.Minute, "give up if /readyz is not ok by then")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if o.dataDir == "" {
		fmt.Fprintln(os.Stderr, "kube serve: --data-dir is required")
		return 2
	}
	if err := serve(o); err != nil {
		klog.ErrorS(err, "kube serve failed")
		klog.Flush()
		return 1
	}
	return 0
}

func serve(o serveOptions) error {
	dir, err := filepath.Abs(o.dataDir)
	if err != nil {
		return err
	}
	p := newPKI(filepath.Join(dir, "pki"))
	kubeconfig := filepath.Join(dir, "kubeconfig")
	readyFile := filepath.Join(dir, "ready")
	server := fmt.Sprintf("https://127.0.0.1:%d", o.apiserverPort)

	_ = os.Remove(readyFile) // stale marker from an earlier run would lie
	if err := p.ensure(); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	if err := writeKubeconfig(kubeconfig, server, p, admin); err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	// The scheduler's own, and the node's for a kubelet started beside this control plane.
	schedulerKubeconfig := filepath.Join(dir, "scheduler.kubeconfig")
	for path, identity := range map[string]leaf{schedulerKubeconfig: scheduler, filepath.Join(dir, "node.kubeconfig"): nodeClient} {
		if err := writeKubeconfig(path, server, p, identity); err != nil {
			return fmt.Errorf("kubeconfig: %w", err)
		}
	}

	// Build the apiserver command first: it installs the signal handler, and
	// its context is our shutdown signal from here on.
	apiCmd := newAPIServer(o, fmt.Sprintf("http://127.0.0.1:%d", o.etcdClientPort), p)
	stop := apiCmd.Context()

	etcd, err := startEtcd(filepath.Join(dir, "etcd"), o.etcdClientPort, o.etcdPeerPort)
	if err != nil {
		return err
	}
	defer func() {
		// Last: the apiserver has stopped writing by now.
		etcd.Stop()
		_ = os.Remove(readyFile)
	}()

	// Any component failure triggers the same graceful path as SIGTERM,
	// because the apiserver can only be stopped through its signal context.
	var failure error
	fail := func(err error) {
		if failure == nil && stop.Err() == nil {
			failure = err
			klog.ErrorS(err, "shutting down")
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}
	}

	client, err := adminHTTPClient(p)
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()

	apiDone := make(chan error, 1)
	go func() { apiDone <- runAPIServer(apiCmd) }()

	// Phase 1: wait for the apiserver, dying early, or a signal.
	apiReady := make(chan error, 1)
	go func() { apiReady <- waitFor(stop, client, server+"/readyz", o.readyTimeout, apiserverReady) }()
	select {
	case err := <-apiDone:
		if err == nil {
			err = errors.New("kube-apiserver exited before becoming ready")
		}
		return err
	case err := <-etcd.Err():
		fail(fmt.Errorf("etcd: %w", err))
	case err := <-apiReady:
		if err != nil {
			fail(err)
		}
	}

	// Phase 2: the controller-manager. "Ready" additionally waits until its
	// service-account controller has created default/default, so callers can
	// rely on controllers (SA tokens, GC, namespace deletion) right away.
	kcmCtx, kcmCancel := context.WithCancel(stop)
	defer kcmCancel()
	kcmDone := make(chan error, 1)
	kcmReady := make(chan error, 1)
	schedulerDone := make(chan error, 1)
	if failure == nil && stop.Err() == nil {
		go func() { kcmDone <- runControllerManager(kcmCtx, kubeconfig, p, o.verbosity) }()
		go func() { schedulerDone <- runScheduler(kcmCtx, schedulerKubeconfig, o.verbosity) }()
		go func() {
			kcmReady <- waitFor(stop, client, server+"/api/v1/namespaces/default/serviceaccounts/default",
				o.readyTimeout, objectExists)
		}()
	} else {
		kcmDone <- nil
		schedulerDone <- nil
	}

	for apiDone != nil {
		select {
		case err := <-apiDone:
			apiDone = nil
			if err != nil {
				fail(err)
			}
		case err := <-kcmReady:
			if err == nil {
				err = writeFileAtomic(readyFile, []byte(server+"\n"), 0o644)
			}
			if err != nil {
				fail(err)
				continue
			}
			fmt.Printf("controlplane ready %s\n", server)
		case err := <-kcmDone:
			kcmDone = nil
			if stop.Err() == nil { // only an unexpected exit is a failure
				fail(fmt.Errorf("kube-controller-manager exited: %v", err))
			}
		case err := <-schedulerDone:
			schedulerDone = nil
			if stop.Err() == nil {
				fail(fmt.Errorf("kube-scheduler exited: %v", err))
			}
		case err := <-etcd.Err():
			fail(fmt.Errorf("etcd: %w", err))
		}
	}
	kcmCancel()
	if kcmDone != nil {
		select {
		case <-kcmDone:
		case <-time.After(10 * time.Second):
			klog.InfoS("kube-controller-manager did not stop within 10s; exiting anyway")
		}
	}
	return failure
}
