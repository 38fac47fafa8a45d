// Command profprovider is the real provider, served as main.go serves it,
// with profiles: when TFBENCH_PROFILE_DIR is set, each provider process
// writes there a CPU profile of its whole life (cpu-PID.pprof), a heap
// profile when its live heap reaches a new high (heap-peak-PID.pprof),
// one at exit after a collection (heap-exit-PID.pprof: what stays alive),
// and its live heap every 100 ms (heap-PID.tsv). tfbench -profile builds
// it in place of the provider.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/immuta/terraform-provider-immuta/internal/provider"
)

func main() {
	provider.QuietLogsWhenUnread()
	dir := os.Getenv("TFBENCH_PROFILE_DIR")
	var stop func()
	if dir != "" {
		var err error
		if stop, err = startProfiles(dir); err != nil {
			log.Fatal(err)
		}
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		go func() {
			<-sig
			stop()
			os.Exit(1)
		}()
	}
	err := providerserver.Serve(context.Background(), provider.New("dev"), providerserver.ServeOpts{
		Address:         "registry.terraform.io/immuta/immuta",
		ProtocolVersion: 6,
	})
	if stop != nil {
		stop()
	}
	if err != nil {
		log.Fatal(err)
	}
}

// startProfiles starts the CPU profile and the heap sampler; the function
// it returns stops them and writes what is left.
func startProfiles(dir string) (func(), error) {
	pid := os.Getpid()
	name := func(kind, ext string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.%s", kind, pid, ext)) }
	cpu, err := os.Create(name("cpu", "pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	sampled := make(chan struct{})
	go sampleHeap(name("heap", "tsv"), name("heap-peak", "pprof"), done, sampled)
	var stopped bool
	return func() {
		if stopped {
			return
		}
		stopped = true
		pprof.StopCPUProfile()
		_ = cpu.Close()
		close(done)
		<-sampled
		runtime.GC()
		writeHeap(name("heap-exit", "pprof"))
	}, nil
}

// sampleHeap records the live heap every 100 ms, and a heap profile each
// time it grows by a fifth over the last one written.
func sampleHeap(tsv, peak string, done <-chan struct{}, sampled chan<- struct{}) {
	defer close(sampled)
	f, err := os.Create(tsv)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, "ms\tlive_heap_bytes\ttotal_alloc_bytes")
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	start := time.Now()
	var written uint64
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		fmt.Fprintf(f, "%d\t%d\t%d\n", time.Since(start).Milliseconds(), live, sample[1].Value.Uint64())
		if live > written+written/5 {
			written = live
			writeHeap(peak)
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func writeHeap(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}
