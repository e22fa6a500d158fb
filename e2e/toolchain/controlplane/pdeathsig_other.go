//go:build !linux

package main

// dieWithParent is Linux-only (prctl); elsewhere the caller must kill the process group.
func dieWithParent() error { return nil }
