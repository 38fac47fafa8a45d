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
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildEmulator builds the command into dir.
func buildEmulator(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "marketplace-emulator")
	if out, err := exec.CommandContext(context.Background(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the emulator: %v\n%s", err, out)
	}
	return bin
}

// TestStateSurvivesKill9 runs the emulator with -state, creates
// agreements in a loop from several clients, and kills the emulator with
// SIGKILL mid-stream, several times. Each restart must load the file, and
// every agreement whose create was answered 201 must be there: the state
// is saved before the answer is sent. -short skips it (it builds the
// binary).
func TestStateSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := buildEmulator(t, dir)
	state := filepath.Join(dir, "state.json")
	var acknowledged []string
	client := &http.Client{Timeout: 10 * time.Second}
	send := func(method, url, body string) (int, error) {
		req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer kill-token")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}
	for round := range 4 {
		endpointFile := filepath.Join(dir, fmt.Sprintf("endpoint-%d", round))
		cmd := exec.CommandContext(context.Background(), bin, "-addr", "127.0.0.1:0", "-token", "kill-token", "-state", state, "-endpoint-file", endpointFile)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		endpoint := waitForEndpoint(t, endpointFile, &stderr)
		// What the rounds before were told was created is all there.
		for _, id := range acknowledged {
			if status, err := send(http.MethodGet, endpoint+"/api/data-use-agreement/"+id, ""); err != nil || status != http.StatusOK {
				_ = cmd.Process.Kill()
				t.Fatalf("round %d: agreement %s, acknowledged before the kill, is %d after the restart (%v)\n%s", round, id, status, err, stderr.String())
			}
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("00000000-0000-4000-8%03d-%012d", round*10+w, i)
					body := `{"id":"` + id + `","name":"kill ` + id + `","body":"` + strings.Repeat("b", 4096) + `"}`
					if status, err := send(http.MethodPost, endpoint+"/api/data-use-agreement", body); err == nil && status == http.StatusCreated {
						mu.Lock()
						acknowledged = append(acknowledged, id)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+70*round) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		close(stop)
		wg.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the emulator did not die of SIGKILL: %v\n%s", round, cmd.ProcessState, stderr.String())
		}
		t.Logf("round %d: %d agreements acknowledged so far", round, len(acknowledged))
	}
	if len(acknowledged) == 0 {
		t.Fatal("no create was acknowledged")
	}
	// The last round's are checked by one more start.
	cmd := exec.CommandContext(context.Background(), bin, "-addr", "127.0.0.1:0", "-token", "kill-token", "-state", state, "-endpoint-file", filepath.Join(dir, "endpoint-last"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	endpoint := waitForEndpoint(t, filepath.Join(dir, "endpoint-last"), &stderr)
	for _, id := range acknowledged {
		if status, err := send(http.MethodGet, endpoint+"/api/data-use-agreement/"+id, ""); err != nil || status != http.StatusOK {
			t.Fatalf("agreement %s, acknowledged before the last kill, is %d after the restart (%v)", id, status, err)
		}
	}
}

// A corrupt -state file stops the command before it listens, naming the
// file.
func TestRunRejectsCorruptState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"format":1,"dataUseAgreements":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"-addr", "127.0.0.1:0", "-state", path})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "unusable") {
		t.Errorf("got %v, want an error naming the file", err)
	}
	err = run([]string{"-addr", "127.0.0.1:0", "-state", filepath.Join(t.TempDir(), "no", "such", "dir", "state.json")})
	if err == nil || !strings.Contains(err.Error(), "state file") {
		t.Errorf("unwritable path: got %v", err)
	}
}
