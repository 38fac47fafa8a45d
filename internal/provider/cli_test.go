package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// providerAddress is the provider's registry address.
const providerAddress = "registry.terraform.io/immuta/immuta"

// cliRunner runs the terraform CLI in a working directory against the
// provider served in this process, for tests that need more control than
// terraform-plugin-testing's steps give: repeated applies until they
// converge, or commands whose failure is an expected outcome.
type cliRunner struct {
	t         *testing.T
	terraform string
	dir       string
	env       []string
}

type reattachAddr struct {
	Network string `json:"Network"`
	String  string `json:"String"`
}

type reattachConfig struct {
	Protocol        string       `json:"Protocol"`
	ProtocolVersion int          `json:"ProtocolVersion"`
	Pid             int          `json:"Pid"`
	Test            bool         `json:"Test"`
	Addr            reattachAddr `json:"Addr"`
}

// newCLIRunner serves the provider from factory for the rest of the test
// and prepares an empty working directory.
func newCLIRunner(t *testing.T, factory func() (tfprotov6.ProviderServer, error)) *cliRunner {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform CLI on PATH or in TF_ACC_TERRAFORM_PATH")
		}
	}
	server, err := factory()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride(),
		)
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case <-closeCh:
		cancel()
		t.Fatal("the provider server stopped before it started")
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	reattach, err := json.Marshal(map[string]reattachConfig{providerAddress: {
		Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true,
		Addr: reattachAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	emptyRC := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(emptyRC, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliRunner{
		t:         t,
		terraform: terraform,
		dir:       dir,
		env: append(os.Environ(),
			"TF_REATTACH_PROVIDERS="+string(reattach),
			"TF_CLI_CONFIG_FILE="+emptyRC,
			"CHECKPOINT_DISABLE=1",
			"TF_IN_AUTOMATION=1",
		),
	}
}

// requiredProviders names the provider's source for a CLI working directory.
const requiredProviders = `
terraform {
  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}
`

// builtProvider builds the provider binary once per test run.
var builtProvider struct {
	once sync.Once
	dir  string
	err  error
}

// newBinaryCLIRunner prepares a working directory whose terraform runs
// the provider as a real plugin binary (through dev_overrides), one
// process per provider configuration, as in production. Aliased
// providers need this: a provider served in-process is one instance that
// every configuration would share.
func newBinaryCLIRunner(t *testing.T) *cliRunner {
	t.Helper()
	builtProvider.once.Do(func() {
		dir, err := os.MkdirTemp("", "terraform-provider-immuta-test") //nolint:usetesting // shared by every test of the run; TestMain removes it
		if err != nil {
			builtProvider.err = err
			return
		}
		cmd := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(dir, "terraform-provider-immuta"), "../..")
		if out, err := cmd.CombinedOutput(); err != nil {
			builtProvider.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		builtProvider.dir = dir
	})
	if builtProvider.err != nil {
		t.Fatal(builtProvider.err)
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform CLI on PATH or in TF_ACC_TERRAFORM_PATH")
		}
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerAddress, builtProvider.dir)
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliRunner{
		t:         t,
		terraform: terraform,
		dir:       dir,
		env:       append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"),
	}
}

// writeConfig replaces the working directory's main.tf.
func (r *cliRunner) writeConfig(config string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(requiredProviders+config), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// run runs one terraform command and returns its combined output and
// exit code; failing to start it fails the test.
func (r *cliRunner) run(args ...string) (string, int) {
	r.t.Helper()
	cmd := exec.CommandContext(context.Background(), r.terraform, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exitErr):
		return out.String(), exitErr.ExitCode()
	default:
		r.t.Fatalf("running terraform %v: %v", args, err)
		return "", -1
	}
}

// mustRun runs a command that has to succeed.
func (r *cliRunner) mustRun(args ...string) string {
	r.t.Helper()
	out, code := r.run(args...)
	if code != 0 {
		r.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}
