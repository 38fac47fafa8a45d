package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The testing guide's flag table lists every flag `marketplace-emulator -h`
// prints, and no other.
func TestGuideFlagTableMatchesUsage(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "testing-with-the-emulator.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(guide), "<!-- flag-table:")
	if !ok {
		t.Fatal("the guide has no <!-- flag-table: --> marker before its flag table")
	}
	var documented []string
	row := regexp.MustCompile("^\\| `-([a-z-]+)` +\\|")
	for _, line := range strings.Split(table, "\n")[1:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		if m := row.FindStringSubmatch(line); m != nil {
			documented = append(documented, m[1])
		}
	}

	usage := usageOutput(t)
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(usage, -1) {
		flags = append(flags, m[1])
	}
	if len(flags) == 0 {
		t.Fatalf("found no flags in the usage:\n%s", usage)
	}
	for _, f := range flags {
		if !slices.Contains(documented, f) {
			t.Errorf("-%s is in `marketplace-emulator -h` but not in the guide's flag table", f)
		}
	}
	for _, f := range documented {
		if !slices.Contains(flags, f) {
			t.Errorf("-%s is in the guide's flag table but not in `marketplace-emulator -h`", f)
		}
	}
}

// usageOutput is what `marketplace-emulator -h` prints to stderr.
func usageOutput(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	out := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		out <- string(b)
	}()
	runErr := run([]string{"-h"})
	os.Stderr = stderr
	_ = w.Close()
	if !errors.Is(runErr, flag.ErrHelp) {
		t.Fatalf("run -h: got %v, want flag.ErrHelp", runErr)
	}
	return <-out
}
