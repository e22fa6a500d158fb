package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// adminHTTPClient talks to the apiserver as admin (client cert), verifying
// the serving cert against our CA; used only for readiness probing.
func adminHTTPClient(p pki) (*http.Client, error) {
	caPEM, err := os.ReadFile(p.CACert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	cert, err := tls.LoadX509KeyPair(p.cert(admin), p.key(admin))
	if err != nil {
		return nil, err
	}
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
		}},
	}, nil
}

// waitFor polls GET url until ok(status, body) holds, ctx is done or timeout passes.
func waitFor(ctx context.Context, client *http.Client, url string, timeout time.Duration, ok func(int, []byte) bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := "no answer yet"
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := client.Do(req); err != nil {
			last = err.Error()
		} else {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if ok(resp.StatusCode, body) {
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, body)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s (%v): %s", url, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// apiserverReady: /readyz answers exactly "ok".
func apiserverReady(status int, body []byte) bool {
	return status == http.StatusOK && string(body) == "ok"
}

// objectExists: a GET of a single object succeeded.
func objectExists(status int, _ []byte) bool { return status == http.StatusOK }
