package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// timeTerraform runs one command, sampling the peak RSS of the provider
// plugin (a child of terraform) while it runs. Plan's exit code 2 (changes
// present) is not an error.
func timeTerraform(terraform, dir string, env, args []string, plugin bool) (result, error) {
	cmd := exec.CommandContext(context.Background(), terraform, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	var peak atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	if plugin {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				for _, pid := range children(cmd.Process.Pid) {
					if hwm := vmHWM(pid); hwm > peak.Load() && strings.HasPrefix(comm(pid), "terraform-provi") {
						peak.Store(hwm)
					}
				}
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
	}
	err := cmd.Wait()
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 2 && args[0] == "plan" {
		err = nil
	}
	if err != nil {
		tail := out.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return result{}, fmt.Errorf("%w\n%s", err, tail)
	}
	return result{elapsed: elapsed, peakRSS: peak.Load()}, nil
}

// children lists the pids whose parent is pid. Each thread has its own
// children file, and Go starts a plugin from whichever thread runs.
func children(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	if len(tasks) > 0 {
		return out
	}
	// Without CONFIG_PROC_CHILDREN: scan /proc for the parent pid.
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid(c) == pid {
			out = append(out, c)
		}
	}
	return out
}

func ppid(pid int) int {
	return statusField(pid, "PPid:")
}

// vmHWM is the process's peak resident set, in KiB.
func vmHWM(pid int) int64 {
	return int64(statusField(pid, "VmHWM:"))
}

func statusField(pid int, key string) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), key); ok {
			v, _ := strconv.Atoi(strings.Fields(rest)[0])
			return v
		}
	}
	return 0
}

func comm(pid int) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(data))
}
