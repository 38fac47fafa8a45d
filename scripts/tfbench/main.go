// Command tfbench times Terraform itself against the provider: it builds
// the provider, serves an in-memory Marketplace emulator, and runs apply,
// plan, plan -refresh=false, a 10% change and destroy over N data products
// (with their request forms and data use agreements); then the same
// configuration against the floor (floorprovider: the provider's schemas,
// with CRUD that only copies the plan to the state), and the same number
// of built-in terraform_data resources. It prints each operation's time,
// its ratios, the API calls per product the emulator counted, and the
// peak RSS of both plugins.
//
// An operation that follows a write runs once the provider's consistency
// window has passed since the write (-settle, 15 s), as a pull request's
// plan does: a product written within the window is read one request at
// a time, since the service's lists may not show it yet. -settle=0 runs
// the operations back to back.
//
// The floor is what any framework provider with these schemas pays for
// the plugin protocol; what the provider takes beyond it is its own work.
//
// It reports; it never fails on a slow result. Terraform never reaches the
// network: both plugins come from dev_overrides and terraform_data is
// built in. With -profile DIR the provider is built from profprovider, and
// each process of it and of the floor leaves CPU and heap profiles in
// DIR/<immuta|floor>/<operation> (their times then include the profiling).
//
//	go run ./scripts/tfbench [-n 1000] [-parallelism 10] [-settle 15s] [-terraform PATH] [-routes] [-profile DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
	"github.com/immuta/terraform-provider-immuta/scripts/tfbench/internal/profiling"
)

const providerAddress = "registry.terraform.io/immuta/immuta"

// options are the command's flags.
type options struct {
	n, parallelism int
	terraform      string
	routes         bool
	profileDir     string
	settle         time.Duration
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", envInt("BENCH_N", 1000), "data products (BENCH_N)")
	flag.IntVar(&o.parallelism, "parallelism", envInt("BENCH_PARALLELISM", 10), "terraform -parallelism")
	flag.StringVar(&o.terraform, "terraform", os.Getenv("TF_ACC_TERRAFORM_PATH"), "terraform binary (default: the one on PATH)")
	flag.BoolVar(&o.routes, "routes", os.Getenv("BENCH_ROUTES") != "", "print the calls of each route per operation (BENCH_ROUTES)")
	flag.StringVar(&o.profileDir, "profile", os.Getenv("BENCH_PROFILE"),
		"write the provider's CPU and heap profiles under this directory, one per operation (BENCH_PROFILE)")
	flag.DurationVar(&o.settle, "settle", envDuration("BENCH_SETTLE", marketplace.DefaultConsistencyWindow),
		"wait this long after a write before the next operation (BENCH_SETTLE; 0: back to back)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "tfbench:", err)
		os.Exit(1)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil && v >= 0 {
		return v
	}
	return def
}

// Names of the three kinds the bench compares.
const (
	kindImmuta = "immuta"
	kindFloor  = "floor"
	kindData   = "terraform_data"
)

// kind is one column of the table: a configuration and the plugin (if
// any) that serves it.
type kind struct {
	name   string
	config func(changed bool) string
	// pkg is the main package of the plugin; "" for terraform_data.
	pkg string
	// profile says whether the plugin writes profiles.
	profile bool
}

// operation is one timed Terraform command.
type operation struct {
	name string
	args []string
	// changed says whether the configuration is the changed one.
	changed bool
	// writes says whether it writes to the service.
	writes bool
}

func operations(parallelism int) []operation {
	par := "-parallelism=" + strconv.Itoa(parallelism)
	return []operation{
		{name: "create (apply)", args: []string{"apply", "-auto-approve", "-input=false", par}, writes: true},
		{name: "plan (refresh)", args: []string{"plan", "-input=false", "-detailed-exitcode", par}},
		{name: "plan -refresh=false", args: []string{"plan", "-refresh=false", "-input=false", "-detailed-exitcode", par}},
		{name: "10% change (apply)", args: []string{"apply", "-auto-approve", "-input=false", par}, changed: true, writes: true},
		{name: "destroy", args: []string{"destroy", "-auto-approve", "-input=false", par}, writes: true},
	}
}

// result is what one operation measured.
type result struct {
	elapsed time.Duration
	calls   int64
	routes  map[string]int64
	peakRSS int64 // KiB; 0 when no plugin ran
	// cpu is terraform's CPU time with its plugins'; pluginCPU is the
	// plugins' alone, over plugins processes.
	cpu, pluginCPU time.Duration
	plugins        int
}

// bench is one run: the emulator, its call counter and the working tree.
type bench struct {
	opts    options
	root    string
	counter *routeCounter
	env     []string
	spec    configSpec
}

func run(o options) error {
	if o.terraform == "" {
		var err error
		if o.terraform, err = exec.LookPath("terraform"); err != nil {
			return fmt.Errorf("no terraform on PATH; set -terraform or TF_ACC_TERRAFORM_PATH")
		}
	}
	if o.profileDir != "" {
		// The plugins run in Terraform's working directory.
		abs, err := filepath.Abs(o.profileDir)
		if err != nil {
			return err
		}
		o.profileDir = abs
	}
	root, err := os.MkdirTemp("", "tfbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)

	emu := marketplacetest.New(marketplacetest.Options{})
	counter := &routeCounter{next: emu, routes: map[string]int64{}}
	srv := httptest.NewServer(counter)
	defer srv.Close()
	b := &bench{opts: o, root: root, counter: counter, spec: newConfigSpec(o.n, emu.Fixture()),
		env: append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"IMMUTA_MARKETPLACE_ENDPOINT="+srv.URL+marketplacetest.BasePath,
			"IMMUTA_MARKETPLACE_TOKEN="+emu.Token())}

	immuta := kind{name: kindImmuta, config: b.spec.immuta, pkg: ".", profile: o.profileDir != ""}
	if immuta.profile {
		immuta.pkg = "./scripts/tfbench/profprovider"
	}
	kinds := []kind{immuta,
		{name: kindFloor, config: b.spec.immuta, pkg: "./scripts/tfbench/floorprovider", profile: o.profileDir != ""},
		{name: kindData, config: b.spec.terraformData}}
	start := time.Now()
	results := map[string]map[string]result{}
	for _, k := range kinds {
		if results[k.name], err = b.runKind(k); err != nil {
			return err
		}
	}
	report(os.Stdout, o, results)
	fmt.Printf("\nThe bench took %s (builds included).\n", time.Since(start).Round(time.Second))
	return nil
}

// runKind builds the kind's plugin, points a CLI configuration at it, and
// runs every operation in a working directory of its own.
func (b *bench) runKind(k kind) (map[string]result, error) {
	dir := filepath.Join(b.root, k.name)
	rc := filepath.Join(b.root, k.name+".terraformrc")
	var overrides string
	if k.pkg != "" {
		pluginDir := filepath.Join(b.root, k.name+"-plugin")
		if err := buildPlugin(k.pkg, pluginDir); err != nil {
			return nil, err
		}
		overrides = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerAddress, pluginDir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		return nil, err
	}
	env := append(append([]string(nil), b.env...), "TF_CLI_CONFIG_FILE="+rc)
	results := map[string]result{}
	var lastWrite time.Time
	for _, op := range operations(b.opts.parallelism) {
		if k.name == kindImmuta && !lastWrite.IsZero() {
			// Only the provider's reads depend on the age of its writes.
			time.Sleep(time.Until(lastWrite.Add(b.opts.settle)))
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(k.config(op.changed)), 0o600); err != nil {
			return nil, err
		}
		opEnv := env
		if k.profile {
			profDir := filepath.Join(b.opts.profileDir, k.name, slug(op.name))
			if err := os.MkdirAll(profDir, 0o750); err != nil {
				return nil, err
			}
			opEnv = append(append([]string(nil), env...), profiling.EnvDir+"="+profDir)
		}
		b.counter.reset()
		res, err := timeTerraform(b.opts.terraform, dir, opEnv, op.args, k.pkg != "")
		if err != nil {
			return nil, fmt.Errorf("%s: terraform %s: %w", k.name, op.name, err)
		}
		if op.writes {
			lastWrite = time.Now()
		}
		res.calls, res.routes = b.counter.snapshot()
		results[op.name] = res
		fmt.Fprintf(os.Stderr, "%-15s %-20s %8s  %6d calls  cpu %s (plugin %s in %d processes)\n", k.name, op.name,
			res.elapsed.Round(time.Millisecond), res.calls, res.cpu.Round(10*time.Millisecond), res.pluginCPU.Round(10*time.Millisecond), res.plugins)
	}
	return results, nil
}

// buildPlugin builds the main package pkg as the provider binary in dir,
// where dev_overrides looks for it.
func buildPlugin(pkg, dir string) error {
	build := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(dir, "terraform-provider-immuta"), pkg)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// slug is an operation's name as a directory name.
func slug(name string) string {
	return strings.Join(strings.FieldsFunc(name, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	}), "-")
}
