package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	utilsysctl "k8s.io/component-helpers/node/util/sysctl"
	"k8s.io/component-base/cli"
	"k8s.io/klog/v2"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
	"golang.org/x/sys/unix"
)

// A node of the test bed: containerd and the kubelet, in namespaces of their own so that
// nothing they do reaches the machine beyond the node's directory and cgroups:
//
//   - a mount namespace: the kubelet's volume mounts, containerd's snapshots and the pods'
//     network-namespace files exist only there and vanish with the node;
//   - a PID namespace whose init is tini: when the node stops or is killed, the kernel kills
//     every process in it (containerd's shims daemonize and would otherwise outlive it);
//   - the kernel settings the kubelet insists on (vm.overcommit_memory, kernel.panic, …) are
//     bind-mounted files of the node's own, so the machine's sysctls stay untouched;
//   - the kubelet's cgroups live under a root named after this process, removed on exit.
//
// The network namespace is the machine's (see cni.go): the node uses loopback only.

type nodeOptions struct {
	dir              string // the node's state directory
	tini             string // tini, init of the PID namespace
	containerd       string // the containerd binary
	containerdConfig string // its config.toml
	containerdSocket string // its gRPC socket (as the config says)
	binPath          string // prepended to PATH: containerd's shims and runc
	inside           bool   // set by the outer process for the one it starts in the new namespaces
}

// runNode is `kube node [flags] -- KUBELET-ARGS…`.
func runNode(args []string) int {
	var o nodeOptions
	fl := flag.NewFlagSet("kube node", flag.ContinueOnError)
	fl.StringVar(&o.dir, "dir", "", "the node's state directory")
	fl.StringVar(&o.tini, "tini", "", "path of tini (init of the node's PID namespace)")
	fl.StringVar(&o.containerd, "containerd", "", "path of the containerd binary")
	fl.StringVar(&o.containerdConfig, "containerd-config", "", "containerd's config.toml")
	fl.StringVar(&o.containerdSocket, "containerd-socket", "", "containerd's gRPC socket")
	fl.StringVar(&o.binPath, "bin-path", "", "directories prepended to PATH (shims, runc)")
	fl.BoolVar(&o.inside, "inside", false, "internal: run inside the node's namespaces")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if o.dir == "" || o.tini == "" || o.containerd == "" || o.containerdConfig == "" || o.containerdSocket == "" {
		fmt.Fprintln(os.Stderr, "kube node: --dir, --tini, --containerd, --containerd-config and --containerd-socket are required")
		return 2
	}
	if o.inside {
		return runNodeInside(o, fl.Args())
	}
	return runNodeOutside(o, args, fl.Args())
}

// cgroupRootName is unique to the outer process, so several test beds can run side by side
// and a dead one's leftovers can be told apart from a live one's.
func cgroupRootName(pid int) string { return fmt.Sprintf("cloud37-node-%d", pid) }

// runNodeOutside starts tini, and under it this binary again, in a new mount and PID namespace,
// forwards SIGTERM/SIGINT, and removes the node's cgroups once everything in it has gone.
func runNodeOutside(o nodeOptions, args, kubeletArgs []string) int {
	if err := dieWithParent(); err != nil {
		fmt.Fprintf(os.Stderr, "kube node: prctl(PR_SET_PDEATHSIG): %v\n", err)
		return 1
	}
	removeStaleCgroups()
	root := cgroupRootName(os.Getpid())
	if err := createCgroupRoot(root); err != nil {
		fmt.Fprintf(os.Stderr, "kube node: cgroups: %v\n", err)
		return 1
	}
	defer removeCgroupTree(root, true)

	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube node: %v\n", err)
		return 1
	}
	flags := args[:len(args)-len(kubeletArgs)]
	if n := len(flags); n > 0 && flags[n-1] == "--" {
		flags = flags[:n-1]
	}
	inner := append([]string{"--", self, "node", "--inside"}, flags...)
	inner = append(append(inner, "--", "--cgroup-root=/"+root), kubeletArgs...)
	cmd := exec.Command(o.tini, inner...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	// Pdeathsig belongs to the thread that starts the child: keep this goroutine on it.
	runtime.LockOSThread()
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWPID, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "kube node: starting the node's namespaces: %v\n", err)
		return 1
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for s := range signals {
			_ = cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	signal.Stop(signals)
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube node: %v\n", err)
		return 1
	}
	return 0
}

// runNodeInside prepares the private namespaces, starts containerd and runs the kubelet in
// this process until SIGTERM; then stops containerd. tini's exit then ends the PID namespace.
func runNodeInside(o nodeOptions, kubeletArgs []string) int {
	if err := privateMounts(o.dir); err != nil {
		fmt.Fprintf(os.Stderr, "kube node: %v\n", err)
		return 1
	}
	containerd, err := startContainerd(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube node: %v\n", err)
		return 1
	}
	defer stopContainerd(containerd)

	cmd := kubelet.NewKubeletCommand(context.Background())
	cmd.SetArgs(kubeletArgs)
	if code := cli.Run(cmd); code != 0 {
		return code
	}
	klog.Flush()
	return 0
}

// privateMounts makes every mount private to the node, gives the PID namespace its own /proc
// and puts the node's own files in place of the kernel settings the kubelet writes.
func privateMounts(dir string) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mounting /proc for the node's PID namespace: %w", err)
	}
	// The values the kubelet wants (container_manager_linux.go setupKernelTunables), so it
	// finds them set and has nothing to change.
	tunables := map[string]int{
		utilsysctl.VMOvercommitMemory: utilsysctl.VMOvercommitMemoryAlways,
		utilsysctl.VMPanicOnOOM:       utilsysctl.VMPanicOnOOMInvokeOOMKiller,
		utilsysctl.KernelPanic:        utilsysctl.KernelPanicRebootTimeout,
		utilsysctl.KernelPanicOnOops:  utilsysctl.KernelPanicOnOopsAlways,
		utilsysctl.RootMaxKeys:        utilsysctl.RootMaxKeysSetting,
		utilsysctl.RootMaxBytes:       utilsysctl.RootMaxBytesSetting,
	}
	sysctlDir := filepath.Join(dir, "sysctl")
	for name, value := range tunables {
		file := filepath.Join(sysctlDir, strings.ReplaceAll(name, "/", "."))
		if err := os.MkdirAll(sysctlDir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(strconv.Itoa(value)+"\n"), 0o644); err != nil {
			return err
		}
		if err := unix.Mount(file, filepath.Join("/proc/sys", name), "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("shadowing /proc/sys/%s: %w", name, err)
		}
	}
	return nil
}

func startContainerd(o nodeOptions) (*exec.Cmd, error) {
	cmd := exec.Command(o.containerd, "--config", o.containerdConfig)
	cmd.Env = append(os.Environ(), "PATH="+o.binPath+string(os.PathListSeparator)+os.Getenv("PATH"))
	log, err := os.OpenFile(filepath.Join(o.dir, "containerd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting containerd: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(30 * time.Second)
	for {
		if conn, err := net.Dial("unix", o.containerdSocket); err == nil {
			_ = conn.Close()
			return cmd, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("containerd exited before serving %s (%v); see %s", o.containerdSocket, err, filepath.Join(o.dir, "containerd.log"))
		case <-deadline:
			_ = cmd.Process.Kill()
			return nil, fmt.Errorf("containerd did not serve %s within 30s", o.containerdSocket)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func stopContainerd(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
	}
}

// cgroupHierarchies lists the mounted cgroup hierarchies (v1 controllers, and the unified one).
func cgroupHierarchies() []string {
	var dirs []string
	entries, _ := os.ReadDir("/sys/fs/cgroup")
	for _, entry := range entries {
		dir := filepath.Join("/sys/fs/cgroup", entry.Name())
		var st unix.Statfs_t
		if entry.IsDir() && unix.Statfs(dir, &st) == nil && (st.Type == unix.CGROUP_SUPER_MAGIC || st.Type == unix.CGROUP2_SUPER_MAGIC) {
			dirs = append(dirs, dir)
		}
	}
	var st unix.Statfs_t
	if len(dirs) == 0 && unix.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		dirs = append(dirs, "/sys/fs/cgroup") // pure cgroup v2
	}
	return dirs
}

// createCgroupRoot makes the kubelet's --cgroup-root, which must exist, in every hierarchy.
func createCgroupRoot(name string) error {
	for _, hierarchy := range cgroupHierarchies() {
		dir := filepath.Join(hierarchy, name)
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return err
		}
		// A new v1 cpuset starts with no CPUs and no memory nodes: inherit the parent's.
		for _, file := range []string{"cpuset.cpus", "cpuset.mems"} {
			if value, err := os.ReadFile(filepath.Join(hierarchy, file)); err == nil && filepath.Base(hierarchy) == "cpuset" {
				if err := os.WriteFile(filepath.Join(dir, file), value, 0o644); err != nil {
					return fmt.Errorf("%s: %w", filepath.Join(dir, file), err)
				}
			}
		}
	}
	return nil
}

// removeCgroupTree removes a node's cgroups, deepest first; with wait, it gives the kernel a
// few seconds to finish killing the processes still in them.
func removeCgroupTree(name string, wait bool) {
	for _, hierarchy := range cgroupHierarchies() {
		root := filepath.Join(hierarchy, name)
		for attempt := 0; attempt < 50; attempt++ {
			var dirs []string
			_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					dirs = append(dirs, path)
				}
				return nil
			})
			for i := len(dirs) - 1; i >= 0; i-- {
				_ = os.Remove(dirs[i])
			}
			if _, err := os.Stat(root); errors.Is(err, os.ErrNotExist) || !wait {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// removeStaleCgroups removes the cgroups of nodes whose process has died (killed test beds).
func removeStaleCgroups() {
	for _, hierarchy := range cgroupHierarchies() {
		entries, _ := os.ReadDir(hierarchy)
		for _, entry := range entries {
			pid, ok := strings.CutPrefix(entry.Name(), "cloud37-node-")
			if n, err := strconv.Atoi(pid); ok && err == nil && syscall.Kill(n, 0) != nil {
				removeCgroupTree(entry.Name(), false)
			}
		}
	}
}
