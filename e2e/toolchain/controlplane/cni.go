package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/containernetworking/cni/pkg/skel"
	"github.com/containernetworking/cni/pkg/types"
	current "github.com/containernetworking/cni/pkg/types/100"
	"github.com/containernetworking/cni/pkg/version"
	"golang.org/x/sys/unix"
)

// The test bed's pod network. The node may only use loopback, so a pod cannot have a network
// namespace of its own with a route anywhere useful. Instead of hostNetwork (which Pod Security
// "baseline" and "restricted" forbid, so the chart's real pod spec could not be tested), this
// CNI plugin gives each pod the node's network namespace and a loopback address of its own:
//
//   - ADD replaces the fresh namespace the runtime made (a bind mount at CNI_NETNS) with a bind
//     mount of the plugin's own namespace, which is the node's, and reports the next free
//     address of the configured 127.x.y.0/24 as the pod IP. Every 127/8 address is local on
//     Linux's loopback, so a server bound to the pod IP is reachable without configuring
//     anything, and two pods can listen on the same port.
//   - DEL frees the address. It never touches interfaces: the namespace behind CNI_NETNS is the
//     node's own, so bringing "its" lo down would take down the machine's loopback. For the same
//     reason the plugin also serves as the "loopback" plugin, which containerd runs for every
//     pod, as a no-op.
//
// The pod spec stays exactly what users ship; only the node's network is the test bed's.
const (
	hostNetPluginName  = "cloud37-hostnet"
	loopbackPluginName = "loopback"
)

// hostNetConfig is the plugin's entry in the CNI network configuration.
type hostNetConfig struct {
	types.PluginConf
	// Subnet is a 127.x.y.0/24 range, unique to this node, from which pod addresses are taken.
	Subnet string `json:"subnet"`
	// DataDir holds one file per allocated address, named by the address, holding the container id.
	DataDir string `json:"dataDir"`
}

// isCNIPlugin says whether the binary was invoked as one of the CNI plugins it provides.
func isCNIPlugin(name string) bool {
	return name == hostNetPluginName || name == loopbackPluginName
}

// runCNIPlugin serves the CNI protocol (CNI_COMMAND and friends in the environment).
func runCNIPlugin(name string) {
	about := "cloud37 test bed: " + name
	// skel refuses a pod namespace that is the plugin's own after ADD and DEL, a guard against
	// exactly what these plugins do on purpose; CNI_NETNS_OVERRIDE is its documented opt-out.
	_ = os.Setenv("CNI_NETNS_OVERRIDE", "1")
	if name == loopbackPluginName {
		noop := func(*skel.CmdArgs) error { return nil }
		skel.PluginMainFuncs(skel.CNIFuncs{
			// The pod shares the node's namespace, whose loopback is up; nothing to set up or tear down.
			Add: func(args *skel.CmdArgs) error {
				conf := &types.PluginConf{}
				if err := json.Unmarshal(args.StdinData, conf); err != nil {
					return fmt.Errorf("parsing the network configuration: %w", err)
				}
				return types.PrintResult(&current.Result{CNIVersion: current.ImplementedSpecVersion}, conf.CNIVersion)
			},
			Del: noop, Check: noop,
		}, version.All, about)
		return
	}
	skel.PluginMainFuncs(skel.CNIFuncs{Add: hostNetAdd, Del: hostNetDel, Check: hostNetCheck}, version.All, about)
}

func loadHostNetConfig(data []byte) (*hostNetConfig, *net.IPNet, error) {
	conf := &hostNetConfig{}
	if err := json.Unmarshal(data, conf); err != nil {
		return nil, nil, fmt.Errorf("parsing the network configuration: %w", err)
	}
	_, subnet, err := net.ParseCIDR(conf.Subnet)
	if err != nil {
		return nil, nil, fmt.Errorf("subnet %q: %w", conf.Subnet, err)
	}
	if ones, bits := subnet.Mask.Size(); !subnet.IP.IsLoopback() || ones != 24 || bits != 32 {
		return nil, nil, fmt.Errorf("subnet %q must be a /24 inside 127.0.0.0/8", conf.Subnet)
	}
	if conf.DataDir == "" {
		return nil, nil, errors.New("dataDir is required")
	}
	return conf, subnet, nil
}

func hostNetAdd(args *skel.CmdArgs) error {
	conf, subnet, err := loadHostNetConfig(args.StdinData)
	if err != nil {
		return err
	}
	if args.Netns == "" {
		return errors.New("no network namespace to replace (CNI_NETNS is empty)")
	}
	// The node's own namespace takes the place of the pod's.
	if err := unix.Unmount(args.Netns, unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmounting the pod's namespace %s: %w", args.Netns, err)
	}
	if err := unix.Mount("/proc/self/ns/net", args.Netns, "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("binding the node's namespace to %s: %w", args.Netns, err)
	}
	ip, err := allocate(conf.DataDir, subnet, args.ContainerID)
	if err != nil {
		return err
	}
	zero := 0
	result := &current.Result{
		CNIVersion: current.ImplementedSpecVersion,
		Interfaces: []*current.Interface{{Name: args.IfName, Sandbox: args.Netns}},
		IPs:        []*current.IPConfig{{Interface: &zero, Address: net.IPNet{IP: ip, Mask: subnet.Mask}}},
	}
	return types.PrintResult(result, conf.CNIVersion)
}

func hostNetDel(args *skel.CmdArgs) error {
	conf, _, err := loadHostNetConfig(args.StdinData)
	if err != nil {
		return err
	}
	return release(conf.DataDir, args.ContainerID)
}

func hostNetCheck(args *skel.CmdArgs) error {
	conf, _, err := loadHostNetConfig(args.StdinData)
	if err != nil {
		return err
	}
	if _, ok, err := allocated(conf.DataDir, args.ContainerID); err != nil || !ok {
		return fmt.Errorf("no address is allocated to %s", args.ContainerID)
	}
	return nil
}

// allocate claims the lowest free host address of subnet (.2 to .254) for the container,
// atomically (O_EXCL), and returns the one it already has if ADD is repeated.
func allocate(dir string, subnet *net.IPNet, containerID string) (net.IP, error) {
	if ip, ok, err := allocated(dir, containerID); err != nil || ok {
		return ip, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	base := subnet.IP.To4()
	for host := 2; host < 255; host++ {
		ip := net.IPv4(base[0], base[1], base[2], byte(host)).To4()
		f, err := os.OpenFile(filepath.Join(dir, ip.String()), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		_, werr := f.WriteString(containerID)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		return ip, werr
	}
	return nil, fmt.Errorf("no free address left in %s", subnet)
}

// allocated finds the address a container holds.
func allocated(dir, containerID string) (net.IP, bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	for _, entry := range entries {
		owner, err := os.ReadFile(filepath.Join(dir, entry.Name()))
		if err == nil && strings.TrimSpace(string(owner)) == containerID {
			return net.ParseIP(entry.Name()).To4(), true, nil
		}
	}
	return nil, false, nil
}

// release frees every address the container holds; freeing nothing is not an error (DEL is idempotent).
func release(dir, containerID string) error {
	for {
		ip, ok, err := allocated(dir, containerID)
		if err != nil || !ok {
			return err
		}
		if err := os.Remove(filepath.Join(dir, ip.String())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
}
