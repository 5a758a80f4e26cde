// cni-driver: calls CNI plugins through libcni (github.com/containernetworking/cni/libcni), the library
// containerd and CRI-O use, so the end-to-end tests and the bench drive the flannel plugin exactly as a
// runtime does. Built by the tests from Debian's golang-github-appc-cni-dev sources (GOPATH mode,
// offline); the binary is never committed.
//
//	cni-driver add|check|del -conflist FILE -netns PATH -id ID [-ifname eth0] [-args K=V;K=V] -path DIRS -cache-dir DIR
//	cni-driver bench -conflist FILE -netns-prefix PATH -count N -path DIRS -cache-dir DIR
//	cni-driver marshal   (stdin JSON → interface{} → json.Marshal → stdout: Go's bytes for comparison)
//
// add prints the result (JSON) on stdout. A failure prints {"error": "...", "code": N} on stdout and exits 1.
// bench ADDs and DELs pod IDs bench-0..N-1 in netns <prefix>0..N-1 and prints each ADD's wall time and
// the CPU time (user + system) of the processes it ran (ns).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/types"
)

func fail(err error) {
	code := uint(999)
	var cniErr *types.Error
	if errors.As(err, &cniErr) {
		code = cniErr.Code
	}
	out, _ := json.Marshal(map[string]interface{}{"error": err.Error(), "code": code})
	fmt.Println(string(out))
	os.Exit(1)
}

// childrenCPU is the user+system time of every finished child process and the children they waited for
// (the plugin, its delegate and host-local), in nanoseconds.
func childrenCPU() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &usage); err != nil {
		fail(err)
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

func parseArgs(text string) [][2]string {
	var pairs [][2]string
	for _, part := range strings.Split(text, ";") {
		if part == "" {
			continue
		}
		kv := strings.SplitN(part, "=", 2)
		if len(kv) != 2 {
			fail(fmt.Errorf("bad -args entry %q: want KEY=VALUE", part))
		}
		pairs = append(pairs, [2]string{kv[0], kv[1]})
	}
	return pairs
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: cni-driver add|check|del|bench|marshal [flags]")
		os.Exit(2)
	}
	command := os.Args[1]
	if command == "marshal" {
		input, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail(err)
		}
		var value interface{}
		if err := json.Unmarshal(input, &value); err != nil {
			fail(err)
		}
		out, err := json.Marshal(value)
		if err != nil {
			fail(err)
		}
		os.Stdout.Write(out)
		return
	}
	flags := flag.NewFlagSet(command, flag.ExitOnError)
	conflist := flags.String("conflist", "", "network config list file")
	netns := flags.String("netns", "", "network namespace path")
	netnsPrefix := flags.String("netns-prefix", "", "bench: netns path prefix")
	count := flags.Int("count", 20, "bench: number of pods")
	id := flags.String("id", "", "container ID")
	ifName := flags.String("ifname", "eth0", "interface name in the pod")
	args := flags.String("args", "", "CNI_ARGS as K=V;K=V")
	path := flags.String("path", "", "CNI plugin directories, colon-separated")
	cacheDir := flags.String("cache-dir", "", "libcni cache directory")
	flags.Parse(os.Args[2:])

	list, err := libcni.ConfListFromFile(*conflist)
	if err != nil {
		fail(err)
	}
	cni := libcni.NewCNIConfigWithCacheDir(strings.Split(*path, ":"), *cacheDir, nil)
	ctx := context.Background()
	runtime := &libcni.RuntimeConf{ContainerID: *id, NetNS: *netns, IfName: *ifName, Args: parseArgs(*args)}

	switch command {
	case "add":
		result, err := cni.AddNetworkList(ctx, list, runtime)
		if err != nil {
			fail(err)
		}
		out, _ := json.Marshal(result)
		fmt.Println(string(out))
	case "check":
		if err := cni.CheckNetworkList(ctx, list, runtime); err != nil {
			fail(err)
		}
	case "del":
		if err := cni.DelNetworkList(ctx, list, runtime); err != nil {
			fail(err)
		}
	case "bench":
		times := make([]int64, 0, *count)
		cpu := make([]int64, 0, *count)
		for i := 0; i < *count; i++ {
			rt := &libcni.RuntimeConf{ContainerID: fmt.Sprintf("bench-%d", i), NetNS: fmt.Sprintf("%s%d", *netnsPrefix, i), IfName: *ifName, Args: parseArgs(*args)}
			before := childrenCPU()
			start := time.Now()
			if _, err := cni.AddNetworkList(ctx, list, rt); err != nil {
				fail(err)
			}
			times = append(times, time.Since(start).Nanoseconds())
			cpu = append(cpu, childrenCPU()-before)
			if err := cni.DelNetworkList(ctx, list, rt); err != nil {
				fail(err)
			}
		}
		out, _ := json.Marshal(map[string]interface{}{"addNs": times, "addCpuNs": cpu})
		fmt.Println(string(out))
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", command)
		os.Exit(2)
	}
}
