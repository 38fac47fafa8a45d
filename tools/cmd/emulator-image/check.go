package main

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// check inspects the image of a tarball against the Dockerfile, then
// runs the emulator binary it holds.
func check(df dockerfile, tarPath, version string) error {
	img, err := tarball.ImageFromPath(tarPath, nil)
	if err != nil {
		return err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	if err := checkConfig(df, cfg, version); err != nil {
		return fmt.Errorf("%s: %w", tarPath, err)
	}
	fmt.Printf("config: entrypoint %q, user %s, exposed %v, %s/%s\n",
		cfg.Config.Entrypoint, cfg.Config.User, sortedKeys(cfg.Config.ExposedPorts), cfg.OS, cfg.Architecture)
	dir, err := os.MkdirTemp("", "emulator-image-check")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	binary := filepath.Join(dir, "marketplace-emulator")
	if err := extractFile(img, df.copyDest, binary); err != nil {
		return fmt.Errorf("%s: %w", tarPath, err)
	}
	fmt.Printf("layer: %s is an executable file\n", df.copyDest)
	if cfg.OS != runtime.GOOS || cfg.Architecture != runtime.GOARCH {
		fmt.Printf("not run: the image is %s/%s, this machine %s/%s\n", cfg.OS, cfg.Architecture, runtime.GOOS, runtime.GOARCH)
		return nil
	}
	if err := checkVersion(binary, version); err != nil {
		return err
	}
	return checkServes(binary, cfg.Config.Entrypoint, dir)
}

// checkConfig compares the image's configuration with the Dockerfile's
// and with what a CI job's services: container needs.
func checkConfig(df dockerfile, cfg *v1.ConfigFile, version string) error {
	c := cfg.Config
	var problems []string
	if !slices.Equal(c.Entrypoint, df.entrypoint) {
		problems = append(problems, fmt.Sprintf("entrypoint %q, the Dockerfile's is %q", c.Entrypoint, df.entrypoint))
	}
	if len(c.Entrypoint) == 0 || c.Entrypoint[0] != df.copyDest {
		problems = append(problems, fmt.Sprintf("entrypoint %q does not run the copied binary %s", c.Entrypoint, df.copyDest))
	}
	if c.User != df.user || c.User == "" || c.User == "root" || strings.HasPrefix(c.User, "0:") || c.User == "0" {
		problems = append(problems, fmt.Sprintf("user %q: want the Dockerfile's %q, not root", c.User, df.user))
	}
	if got := sortedKeys(c.ExposedPorts); !slices.Equal(got, sorted(df.exposed)) || !slices.Contains(got, "8080/tcp") {
		problems = append(problems, fmt.Sprintf("exposed ports %v: want the Dockerfile's %v, with 8080/tcp", got, df.exposed))
	}
	if !slices.Contains(c.Entrypoint, "0.0.0.0:8080") {
		problems = append(problems, fmt.Sprintf("entrypoint %q does not listen on 0.0.0.0:8080, so a published port would not reach it", c.Entrypoint))
	}
	if got := c.Labels["org.opencontainers.image.version"]; got != version {
		problems = append(problems, fmt.Sprintf("label org.opencontainers.image.version %q, want %q", got, version))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// extractFile copies the file at path in the image's filesystem to dest,
// and fails unless it is a regular, executable file.
func extractFile(img v1.Image, path, dest string) error {
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	want := strings.TrimPrefix(path, "/")
	for i := len(layers) - 1; i >= 0; i-- { // the top layer wins
		rc, err := layers[i].Uncompressed()
		if err != nil {
			return err
		}
		found, err := extractFromLayer(rc, want, dest)
		_ = rc.Close()
		if err != nil || found {
			return err
		}
	}
	return fmt.Errorf("no layer holds %s", path)
}

func extractFromLayer(r io.Reader, want, dest string) (bool, error) {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if strings.TrimPrefix(hdr.Name, "./") != want {
			continue
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Mode&0o111 != 0o111 {
			return true, fmt.Errorf("%s is not a regular file executable by all (type %q, mode %o)", want, hdr.Typeflag, hdr.Mode)
		}
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
		if err != nil {
			return true, err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return true, err
	}
}

// checkVersion runs the binary with -version.
func checkVersion(binary, version string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary, "-version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("marketplace-emulator -version: %w\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "marketplace-emulator "+version; got != want {
		return fmt.Errorf("marketplace-emulator -version printed %q, want %q", got, want)
	}
	fmt.Printf("run: -version prints %q\n", strings.TrimSpace(string(out)))
	return nil
}

// checkServes runs the image's entrypoint, with its listen address moved
// to a free loopback port (a later -addr wins), and probes /health
// without a token; the API itself must still want one.
func checkServes(binary string, entrypoint []string, dir string) error {
	endpointFile := filepath.Join(dir, "endpoint")
	args := append(slices.Clone(entrypoint[1:]), "-addr", "127.0.0.1:0", "-endpoint-file", endpointFile)
	cmd := exec.CommandContext(context.Background(), binary, args...)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	endpoint, err := waitForEndpoint(endpointFile, 10*time.Second)
	if err != nil {
		return fmt.Errorf("the entrypoint %q: %w\n%s", entrypoint, err, log.String())
	}
	if err := probe(endpoint+"/health", http.StatusOK, `"status":"ok"`); err != nil {
		return fmt.Errorf("%w\n%s", err, log.String())
	}
	if err := probe(endpoint+"/api/request-form", http.StatusUnauthorized, ""); err != nil {
		return fmt.Errorf("%w\n%s", err, log.String())
	}
	fmt.Printf("run: the entrypoint serves %s/health without a token (200), and the API wants one (401)\n", endpoint)
	return nil
}

func waitForEndpoint(path string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("wrote no endpoint within %s", timeout)
}

// probe GETs url without a token and checks the status and, if given,
// a part of the body.
func probe(url string, status int, bodyPart string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	compact := body
	var v any
	if json.Unmarshal(body, &v) == nil {
		compact, _ = json.Marshal(v)
	}
	if resp.StatusCode != status || !strings.Contains(string(compact), bodyPart) {
		return fmt.Errorf("GET %s: %d %s; want %d with %s", url, resp.StatusCode, body, status, bodyPart)
	}
	return nil
}

func sortedKeys(m map[string]struct{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}
