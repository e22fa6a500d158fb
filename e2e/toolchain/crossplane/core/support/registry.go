package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// packageFlags collects --package REPO:TAG=FILE.
type packageFlags []string

func (p *packageFlags) String() string     { return strings.Join(*p, ",") }
func (p *packageFlags) Set(v string) error { *p = append(*p, v); return nil }

// serveRegistry serves go-containerregistry's in-memory registry on a loopback address, pushes
// each package into it as an xpkg image (one layer holding package.yaml, annotated
// `io.crossplane.xpkg: base` as the xpkg specification says), writes the address to the ready
// file, and serves until SIGTERM or SIGINT.
func serveRegistry(args []string) error {
	fs := flag.NewFlagSet("registry", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to listen on")
	readyFile := fs.String("ready-file", "", "file to write the registry's address to once the packages are pushed")
	var packages packageFlags
	fs.Var(&packages, "package", "REPO:TAG=FILE: push FILE (a package.yaml) as REPO:TAG; repeatable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %s: only a loopback IP address is allowed", *listen)
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: registry.New(registry.Logger(log.New(io.Discard, "", 0))), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	address := listener.Addr().String()
	for _, spec := range packages {
		ref, digest, err := push(address, spec)
		if err != nil {
			return fmt.Errorf("--package %s: %w", spec, err)
		}
		fmt.Printf("pushed %s@%s\n", ref, digest)
	}
	if *readyFile != "" {
		// Written under a temporary name, then renamed: a reader never sees half an address.
		tmp := *readyFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(address), 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, *readyFile); err != nil {
			return err
		}
	}
	fmt.Printf("registry ready %s\n", address)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	select {
	case err := <-served:
		return err
	case <-stop:
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := server.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// push builds the xpkg image of one package.yaml and writes it to the registry at address.
func push(address, spec string) (name.Reference, v1.Hash, error) {
	target, file, ok := strings.Cut(spec, "=")
	if !ok {
		return nil, v1.Hash{}, errors.New("expected REPO:TAG=FILE")
	}
	ref, err := name.ParseReference(address+"/"+target, name.Insecure, name.StrictValidation)
	if err != nil {
		return nil, v1.Hash{}, err
	}
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, v1.Hash{}, err
	}
	var layerTar bytes.Buffer
	tw := tar.NewWriter(&layerTar)
	if err := tw.WriteHeader(&tar.Header{Name: "package.yaml", Mode: 0o644, Size: int64(len(content)), ModTime: time.Unix(0, 0)}); err != nil {
		return nil, v1.Hash{}, err
	}
	if _, err := tw.Write(content); err != nil {
		return nil, v1.Hash{}, err
	}
	if err := tw.Close(); err != nil {
		return nil, v1.Hash{}, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(layerTar.Bytes())), nil }, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, v1.Hash{}, err
	}
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	image, err := mutate.Append(base, mutate.Addendum{Layer: layer, Annotations: map[string]string{"io.crossplane.xpkg": "base"}})
	if err != nil {
		return nil, v1.Hash{}, err
	}
	if err := remote.Write(ref, image); err != nil {
		return nil, v1.Hash{}, err
	}
	digest, err := image.Digest()
	return ref, digest, err
}
