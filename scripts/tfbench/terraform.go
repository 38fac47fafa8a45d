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
	"time"
)

// timeTerraform runs one command, sampling the provider plugins
// (children of terraform) while it runs. Plan's exit code 2 (changes
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
	s := &pluginSampler{cpu: map[int]time.Duration{}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	if plugin {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(cmd.Process.Pid, done)
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
	res := result{elapsed: elapsed, peakRSS: s.peak, plugins: len(s.cpu),
		cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	for _, d := range s.cpu {
		res.pluginCPU += d
	}
	return res, nil
}

// pluginSampler follows the provider plugins of one command: their peak
// RSS, and the CPU time of each process (the last sample before it
// exits, so at most one interval short).
type pluginSampler struct {
	peak int64
	cpu  map[int]time.Duration
}

const sampleInterval = 50 * time.Millisecond

func (s *pluginSampler) loop(parent int, done <-chan struct{}) {
	t := time.NewTicker(sampleInterval)
	defer t.Stop()
	for {
		for _, pid := range children(parent) {
			if !strings.HasPrefix(comm(pid), "terraform-provi") {
				continue
			}
			s.peak = max(s.peak, vmHWM(pid))
			if d, ok := cpuTime(pid); ok {
				s.cpu[pid] = max(s.cpu[pid], d)
			}
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// cpuTime is the user and system time a process has used so far.
func cpuTime(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; utime and stime are
	// fields 14 and 15, in USER_HZ (100 per second on Linux).
	_, rest, ok := strings.Cut(string(data), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * (time.Second / 100), true
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
