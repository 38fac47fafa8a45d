package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A bad -fixture stops the command before it listens, with a message that
// names the file and the entry at fault.
func TestRunRejectsBadFixtures(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	user := `{"id":1,"iamId":"bim","globalUserId":"44509dec-9b50-50fd-af68-e366e731fcf4","username":"u","name":"U","email":"u@example.com"}`
	for name, tc := range map[string]struct{ path, want string }{
		"missing file": {filepath.Join(dir, "nope.json"), "nope.json: no such file or directory"},
		"syntax":       {write("syntax.json", "{\n  \"users\": [\n"), "syntax.json: invalid JSON: the file ends at line 3 inside an object or list that is not closed"},
		"unknown key":  {write("key.json", `{"user": []}`), `key.json: json: unknown field "user"`},
		"dangling data source": {
			write("dangling.json", `{"users":[`+user+`],"dataSources":[{"dataSourceId":7,"domainId":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"Orders","platform":"Snowflake"}]}`),
			`dangling.json: data source 7 ("Orders"): domain "1aebd69e-0ac6-51d7-94e0-6580689d4380" is not in the fixture`,
		},
		"bad request form": {
			write("form.json", `{"users":[`+user+`],"requestForms":[{"name":"Access","fields":[],"policy":{"rules":[],"defaultEvent":{"type":"approve","params":{}}}}]}`),
			`form.json: requestForms[0] ("Access"): fields must contain at least 1 elements`,
		},
		"bad steward": {
			write("steward.json", `{"users":[`+user+`],"domains":[{"id":"1aebd69e-0ac6-51d7-94e0-6580689d4380","name":"Sales","stewards":["someone"]}]}`),
			`steward.json: domain "Sales": steward "someone" is not a user of the fixture`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			// Port 0 would pick a free port; the fixture is read first, so
			// nothing listens when it is refused.
			err := run([]string{"-addr", "127.0.0.1:0", "-fixture", tc.path})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// The example fixture in the repository is one the command accepts.
func TestExampleFixtureIsValid(t *testing.T) {
	if _, err := os.Stat(filepath.Join("..", "..", "examples", "emulator", "fixture.json")); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"-addr", "not an address", "-fixture", filepath.Join("..", "..", "examples", "emulator", "fixture.json")})
	// The fixture loads; only the address is refused.
	if err == nil || strings.Contains(err.Error(), "fixture") {
		t.Errorf("got %v, want an error about the address only", err)
	}
}

// -openapi, and MARKETPLACE_OPENAPI as its default, must name a document
// that loads: a check that cannot run fails before anything listens.
func TestRunRejectsUnreadableOpenAPI(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "openapi.yml")
	err := run([]string{"-addr", "127.0.0.1:0", "-openapi", missing})
	if err == nil || !strings.Contains(err.Error(), "contract check") || !strings.Contains(err.Error(), "openapi.yml") {
		t.Errorf("-openapi: got %v, want an error naming the document", err)
	}
	t.Setenv("MARKETPLACE_OPENAPI", missing)
	err = run([]string{"-addr", "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "openapi.yml") {
		t.Errorf("MARKETPLACE_OPENAPI: got %v, want an error naming the document", err)
	}
}

// The admin API's token is never the API's.
func TestRunRejectsAdminTokenEqualToToken(t *testing.T) {
	err := run([]string{"-addr", "127.0.0.1:0", "-token", "same", "-admin-token", "same"})
	if err == nil || !strings.Contains(err.Error(), "-admin-token must differ from -token") {
		t.Errorf("got %v", err)
	}
}

func TestContractSummary(t *testing.T) {
	if err := contractSummary(0, "c.yml"); err != nil {
		t.Errorf("no violations: %v", err)
	}
	if err := contractSummary(3, "c.yml"); err == nil || !strings.Contains(err.Error(), "3 contract violation(s) of c.yml") {
		t.Errorf("three violations: got %v", err)
	}
}

// -version prints the version the release build sets, and starts nothing.
func TestVersion(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = stdout }()
	runErr := run([]string{"-version", "-addr", "not an address"})
	os.Stdout = stdout
	_ = w.Close()
	out, _ := io.ReadAll(r)
	if runErr != nil {
		t.Fatal(runErr)
	}
	if got, want := string(out), "marketplace-emulator "+version+"\n"; got != want {
		t.Errorf("-version printed %q, want %q", got, want)
	}
}

// The command with -log, -state and -admin-token serves health without a
// token, the admin API with its own, and logs a line per request.
func TestRunServesHealthAdminAndLog(t *testing.T) {
	dir := t.TempDir()
	endpointFile := filepath.Join(dir, "endpoint")
	logFile := filepath.Join(dir, "requests.jsonl")
	errc := make(chan error, 1)
	go func() {
		errc <- run([]string{"-addr", "127.0.0.1:0", "-token", "api-token", "-admin-token", "admin-token",
			"-endpoint-file", endpointFile, "-log", logFile, "-state", filepath.Join(dir, "state.json")})
	}()
	var stderr bytes.Buffer
	endpoint := waitForEndpoint(t, endpointFile, &stderr)
	base := strings.TrimSuffix(endpoint, "/marketplace")
	send := func(method, url, token string) int {
		req, err := http.NewRequestWithContext(context.Background(), method, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		method, url, token string
		want               int
	}{
		{http.MethodGet, endpoint + "/health/ready", "", http.StatusOK},
		{http.MethodPost, base + "/_emulator/reset", "api-token", http.StatusUnauthorized},
		{http.MethodPost, base + "/_emulator/reset", "admin-token", http.StatusOK},
	} {
		if got := send(c.method, c.url, c.token); got != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.url, got, c.want)
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"path":"/marketplace/health/ready"`) || !strings.Contains(lines[2], `"status":200`) || strings.Contains(string(data), "admin-token") {
		t.Errorf("request log:\n%s", data)
	}
}
