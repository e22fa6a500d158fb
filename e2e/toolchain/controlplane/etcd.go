package main

import (
	"fmt"
	"net/url"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// embeddedEtcd is etcd running inside this process.
type embeddedEtcd struct {
	*embed.Etcd
	logLevel zap.AtomicLevel
}

// Stop closes etcd. Its listeners report "server closed"/"use of closed network
// connection" at error level (with stack traces) when closed on purpose, so
// logging is muted first to keep a normal shutdown quiet.
func (e *embeddedEtcd) Stop() {
	e.logLevel.SetLevel(zap.FatalLevel)
	e.Close()
}

// startEtcd runs a single-member etcd inside this process. Plain HTTP on
// 127.0.0.1 only: nothing else can reach it, and skipping TLS keeps the PKI small.
func startEtcd(dataDir string, clientPort, peerPort int) (*embeddedEtcd, error) {
	clientURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	peerURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", peerPort)}

	cfg := embed.NewConfig()
	cfg.Name = "e2e"
	cfg.Dir = dataDir
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	// embed.NewConfig leaves this at 0 (only etcd's flag parsing sets the
	// default), which logs every single request as "expensive" at warn level.
	cfg.WarningUnaryRequestDuration = embed.DefaultWarningUnaryRequestDuration
	// Throwaway test data: skipping fsync makes writes much faster on slow CI
	// disks. Data still survives a killed process (page cache), only not an OS crash.
	cfg.UnsafeNoFsync = true

	// Warn level: etcd's info logging would drown the apiserver's. Own logger
	// so the level can be raised for shutdown (see Stop).
	level := zap.NewAtomicLevelAt(zap.WarnLevel)
	zcfg := zap.NewProductionConfig()
	zcfg.Level = level
	zcfg.OutputPaths = []string{"stderr"}
	zcfg.ErrorOutputPaths = []string{"stderr"}
	lg, err := zcfg.Build()
	if err != nil {
		return nil, err
	}
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(lg)

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("start etcd: %w", err)
	}
	ee := &embeddedEtcd{Etcd: e, logLevel: level}
	select {
	case <-e.Server.ReadyNotify():
		return ee, nil
	case err := <-e.Err():
		ee.Stop()
		return nil, fmt.Errorf("etcd failed: %w", err)
	case <-time.After(60 * time.Second):
		ee.Stop()
		return nil, fmt.Errorf("etcd not ready after 60s")
	}
}
