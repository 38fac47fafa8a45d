package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// soakRequests is how many requests the soak test sends; the memory
// goal is that the emulator's RSS after all of them is within
// soakRSSGrowthLimit of its RSS after the first soakWarmup.
const (
	soakRequests       = 20000
	soakWarmup         = 1000
	soakRSSGrowthLimit = 20 << 20
	soakBodySize       = 512 << 10
)

// TestEmulatorMemoryStaysFlat runs the emulator binary and sends it
// soakRequests mixed requests: good and bad tokens, 512 KiB bodies,
// creates, updates, lists and deletes. Its resident memory must stay
// flat: no request log, body or connection may pile up. It takes a
// minute or so; -short skips it.
func TestEmulatorMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak test sends 20,000 requests; skipped with -short")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("reading a process's RSS needs /proc")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "marketplace-emulator")
	if out, err := exec.CommandContext(context.Background(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the emulator: %v\n%s", err, out)
	}
	endpointFile := filepath.Join(dir, "endpoint")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-token", "soak-token", "-endpoint-file", endpointFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	endpoint := waitForEndpoint(t, endpointFile, &stderr)

	client := &http.Client{Timeout: 30 * time.Second}
	big := bytes.Repeat([]byte("x"), soakBodySize)
	bigJSON := []byte(`{"name":"big","body":"` + string(big) + `"}`)
	send := func(method, path, token string, body []byte) (int, error) {
		req, err := http.NewRequestWithContext(context.Background(), method, endpoint+path, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}
	// One request of the mix; i picks which.
	one := func(i int) error {
		switch i % 6 {
		case 0: // a stranger's big upload: refused before its body is read
			_, _ = send(http.MethodPost, "/api/data-use-agreement", "wrong-token", big)
			return nil // the emulator may close the connection mid-upload
		case 1: // a big body with a good token: read, refused, logged cut short
			_, err := send(http.MethodPost, "/api/data-use-agreement", "soak-token", bigJSON)
			return err
		case 2:
			_, err := send(http.MethodGet, "/api/data-use-agreement?limit=10", "soak-token", nil)
			return err
		case 3: // create and delete, so that the state stays the same size
			id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			if _, err := send(http.MethodPost, "/api/data-use-agreement", "soak-token", []byte(`{"id":"`+id+`","name":"soak `+strconv.Itoa(i)+`","body":"b"}`)); err != nil {
				return err
			}
			_, err := send(http.MethodDelete, "/api/data-use-agreement/"+id, "soak-token", nil)
			return err
		case 4:
			_, err := send(http.MethodGet, "/api/metadata/domain", "", nil)
			return err
		default:
			_, err := send(http.MethodGet, "/api/metadata/users", "soak-token", nil)
			return err
		}
	}
	run := func(from, to int) {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := from + w; i < to; i += 4 {
					if err := one(i); err != nil {
						select {
						case errs <- fmt.Errorf("request %d: %w", i, err):
						default:
						}
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	run(0, soakWarmup)
	warm := rss(t, cmd.Process.Pid)
	run(soakWarmup, soakRequests)
	end := rss(t, cmd.Process.Pid)
	t.Logf("emulator RSS after %d requests: %d MiB; after %d: %d MiB", soakWarmup, warm>>20, soakRequests, end>>20)
	if end-warm > soakRSSGrowthLimit {
		t.Errorf("the emulator's RSS grew by %d MiB between request %d and %d; the goal is at most %d MiB",
			(end-warm)>>20, soakWarmup, soakRequests, soakRSSGrowthLimit>>20)
	}
}

func waitForEndpoint(t *testing.T, file string, stderr *bytes.Buffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(file); err == nil && len(bytes.TrimSpace(data)) > 0 {
			return strings.TrimSpace(string(data))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the emulator did not start: %s", stderr.String())
	return ""
}

// rss reads a process's resident set size from /proc.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}
