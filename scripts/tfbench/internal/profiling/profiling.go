// Package profiling writes a provider process's profiles when
// TFBENCH_PROFILE_DIR is set: a CPU profile of its whole life
// (cpu-PID.pprof), a heap profile each time its live heap reaches a new
// high (heap-peak-PID.pprof), one at exit after a collection
// (heap-exit-PID.pprof: what stays alive) with the goroutines left
// (goroutine-exit-PID.pprof), and its live heap and goroutine count
// every 100 ms (heap-PID.tsv).
package profiling

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// EnvDir names the directory the profiles go to.
const EnvDir = "TFBENCH_PROFILE_DIR"

// Start starts profiling if EnvDir is set; call the function it returns
// when the provider stops serving. A SIGTERM also writes the profiles.
func Start() (func(), error) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		return func() {}, nil
	}
	// Finer than the default (one sample per 512 KiB) so that the few
	// bytes each request may leave behind show in the profile.
	runtime.MemProfileRate = 4096
	stop, err := startProfiles(dir)
	if err != nil {
		return nil, err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	go func() {
		<-sig
		stop()
		os.Exit(1)
	}()
	return stop, nil
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
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			_ = cpu.Close()
			close(done)
			<-sampled
			runtime.GC()
			writeProfile("heap", name("heap-exit", "pprof"))
			writeProfile("goroutine", name("goroutine-exit", "pprof"))
		})
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
	fmt.Fprintln(f, "ms\tlive_heap_bytes\ttotal_alloc_bytes\tgoroutines")
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/allocs:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	start := time.Now()
	var written uint64
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		fmt.Fprintf(f, "%d\t%d\t%d\t%d\n", time.Since(start).Milliseconds(), live, sample[1].Value.Uint64(), sample[2].Value.Uint64())
		if live > written+written/5 {
			written = live
			writeProfile("heap", peak)
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func writeProfile(profile, path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup(profile).WriteTo(f, 0)
}
