// Command tfbench times Terraform itself against the provider: it builds
// the provider, serves an in-memory Marketplace emulator, and runs apply,
// plan, plan -refresh=false, a 10% change and destroy over N data products
// (with their request forms and data use agreements), then the same over
// the same number of built-in terraform_data resources. It prints each
// operation's time, its ratio to terraform_data, the API calls per
// product the emulator counted, and the provider's peak RSS.
//
// It reports; it never fails on a slow result. Terraform never reaches the
// network: the provider comes from dev_overrides and terraform_data is
// built in.
//
//	go run ./scripts/tfbench [-n 1000] [-parallelism 10] [-terraform PATH]
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

const providerAddress = "registry.terraform.io/immuta/immuta"

func main() {
	n := flag.Int("n", envInt("BENCH_N", 1000), "data products (BENCH_N)")
	parallelism := flag.Int("parallelism", envInt("BENCH_PARALLELISM", 10), "terraform -parallelism")
	terraform := flag.String("terraform", os.Getenv("TF_ACC_TERRAFORM_PATH"), "terraform binary (default: the one on PATH)")
	routes := flag.Bool("routes", os.Getenv("BENCH_ROUTES") != "", "print the calls of each route per operation (BENCH_ROUTES)")
	flag.Parse()
	if err := run(*n, *parallelism, *terraform, *routes); err != nil {
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

// operation is one timed Terraform command.
type operation struct {
	name string
	args []string
	// before, if set, rewrites the configuration first.
	before func() error
}

// result is what one operation measured.
type result struct {
	elapsed time.Duration
	calls   int64
	routes  map[string]int64
	peakRSS int64 // KiB; 0 when no plugin ran
}

func run(n, parallelism int, terraform string, routes bool) error {
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			return fmt.Errorf("no terraform on PATH; set -terraform or TF_ACC_TERRAFORM_PATH")
		}
	}
	root, err := os.MkdirTemp("", "tfbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)

	pluginDir := filepath.Join(root, "plugins")
	build := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-immuta"), ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}

	emu := marketplacetest.New(marketplacetest.Options{})
	counter := &routeCounter{next: emu, routes: map[string]int64{}}
	srv := httptest.NewServer(counter)
	defer srv.Close()

	rc := filepath.Join(root, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerAddress, pluginDir)
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		return err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"IMMUTA_MARKETPLACE_ENDPOINT="+srv.URL+marketplacetest.BasePath,
		"IMMUTA_MARKETPLACE_TOKEN="+emu.Token())

	fixture := emu.Fixture()
	domain := fixture.Domains[0].ID
	var sources []string
	for _, ds := range fixture.DataSources {
		if ds.DomainID == domain && len(sources) < 2 {
			sources = append(sources, strconv.Itoa(ds.DataSourceID))
		}
	}
	spec := configSpec{n: n, domain: domain, sources: sources, expert: fixture.Users[0].GlobalUserID}

	kinds := []struct {
		name   string
		config func(changed bool) string
		plugin bool
	}{
		{"immuta", spec.immuta, true},
		{"terraform_data", spec.terraformData, false},
	}
	results := map[string]map[string]result{}
	var order []string
	for _, kind := range kinds {
		dir := filepath.Join(root, kind.name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		write := func(changed bool) func() error {
			return func() error { return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(kind.config(changed)), 0o600) }
		}
		if err := write(false)(); err != nil {
			return err
		}
		par := "-parallelism=" + strconv.Itoa(parallelism)
		ops := []operation{
			{name: "create (apply)", args: []string{"apply", "-auto-approve", "-input=false", par}},
			{name: "plan (refresh)", args: []string{"plan", "-input=false", "-detailed-exitcode", par}},
			{name: "plan -refresh=false", args: []string{"plan", "-refresh=false", "-input=false", "-detailed-exitcode", par}},
			{name: "10% change (apply)", args: []string{"apply", "-auto-approve", "-input=false", par}, before: write(true)},
			{name: "destroy", args: []string{"destroy", "-auto-approve", "-input=false", par}},
		}
		results[kind.name] = map[string]result{}
		for _, op := range ops {
			if len(order) < len(ops) {
				order = append(order, op.name)
			}
			if op.before != nil {
				if err := op.before(); err != nil {
					return err
				}
			}
			counter.reset()
			res, err := timeTerraform(terraform, dir, env, op.args, kind.plugin)
			if err != nil {
				return fmt.Errorf("%s: terraform %s: %w", kind.name, op.name, err)
			}
			res.calls, res.routes = counter.snapshot()
			results[kind.name][op.name] = res
			fmt.Fprintf(os.Stderr, "%-15s %-20s %8s  %6d calls\n", kind.name, op.name, res.elapsed.Round(time.Millisecond), res.calls)
		}
	}
	report(n, parallelism, order, results, routes)
	return nil
}

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

// routeCounter counts the API calls of each route, ids collapsed.
type routeCounter struct {
	next   http.Handler
	mu     sync.Mutex
	total  int64
	routes map[string]int64
}

var idSegment = regexp.MustCompile(`/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+|c[a-z0-9]{20,})(/|$)`)

func (c *routeCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + idSegment.ReplaceAllString(strings.TrimPrefix(r.URL.Path, marketplacetest.BasePath), "/{id}$1")
	c.mu.Lock()
	c.total++
	c.routes[route]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *routeCounter) reset() {
	c.mu.Lock()
	c.total, c.routes = 0, map[string]int64{}
	c.mu.Unlock()
}

func (c *routeCounter) snapshot() (int64, map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.routes
}

func report(n, parallelism int, order []string, results map[string]map[string]result, routes bool) {
	imm, data := results["immuta"], results["terraform_data"]
	fmt.Printf("\nN = %d data products (+ %d request forms, %d data use agreements; %d terraform_data), -parallelism=%d\n\n",
		n, groups(n), groups(n), n+2*groups(n), parallelism)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\timmuta\tterraform_data\tratio\tcalls/product\tprovider peak RSS\t")
	for _, op := range order {
		a, b := imm[op], data[op]
		ratio := float64(a.elapsed) / float64(b.elapsed)
		fmt.Fprintf(w, "%s\t%s\t%s\t%.2f×\t%.2f\t%.1f MiB\t\n", op, a.elapsed.Round(10*time.Millisecond),
			b.elapsed.Round(10*time.Millisecond), ratio, float64(a.calls)/float64(n), float64(a.peakRSS)/1024)
	}
	_ = w.Flush()
	if !routes {
		return
	}
	for _, op := range order {
		fmt.Printf("\n%s:\n", op)
		keys := make([]string, 0, len(imm[op].routes))
		for k := range imm[op].routes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Printf("  %6d  %s\n", imm[op].routes[k], k)
		}
	}
}

// groups is how many forms (and agreements) N products share.
func groups(n int) int { return max(1, n/10) }

// configSpec generates both configurations.
type configSpec struct {
	n       int
	domain  string
	sources []string
	expert  string
}

func (s configSpec) immuta(changed bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    immuta = { source = "immuta/immuta" }
  }
}

provider "immuta" {}

locals {
  groups   = %d
  products = %d
  changed  = %d
}

resource "immuta_data_use_agreement" "a" {
  count = local.groups
  name  = "Bench agreement ${count.index}"
  body  = "Terms of agreement ${count.index}."
}

resource "immuta_request_form" "f" {
  count = local.groups
  name  = "Bench form ${count.index}"

  field {
    type     = "SHORT_ANSWER"
    label    = "Purpose"
    required = true
  }

  review_flow = {
    auto_approve = { reason = "Open to every employee." }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.a[count.index].id]
}

resource "immuta_data_product" "p" {
  count                       = local.products
  name                        = "Bench product ${count.index}"
  description                 = count.index < local.changed ? "Changed product ${count.index}." : "Product ${count.index}."
  domain_ids                  = [%q]
  data_source_ids             = [%s]
  data_access_request_form_id = immuta_request_form.f[count.index %% local.groups].id
  subject_matter_expert_id    = %q
  deletion_protection         = false
}
`, groups(s.n), s.n, s.changedCount(changed), s.domain, quoteAll(s.sources), s.expert)
	return b.String()
}

func (s configSpec) changedCount(changed bool) int {
	if !changed {
		return 0
	}
	return max(1, s.n/10)
}

func (s configSpec) terraformData(changed bool) string {
	return fmt.Sprintf(`locals {
  groups   = %d
  products = %d
  changed  = %d
}

resource "terraform_data" "a" {
  count = local.groups
  input = { name = "Bench agreement ${count.index}", body = "Terms of agreement ${count.index}." }
}

resource "terraform_data" "f" {
  count = local.groups
  input = {
    name         = "Bench form ${count.index}"
    field        = [{ type = "SHORT_ANSWER", label = "Purpose", required = true }]
    review_flow  = { auto_approve = { reason = "Open to every employee." } }
    agreements   = [terraform_data.a[count.index].id]
  }
}

resource "terraform_data" "p" {
  count = local.products
  input = {
    name            = "Bench product ${count.index}"
    description     = count.index < local.changed ? "Changed product ${count.index}." : "Product ${count.index}."
    domain_ids      = [%q]
    data_source_ids = [%s]
    form            = terraform_data.f[count.index %% local.groups].id
    expert          = %q
  }
}
`, groups(s.n), s.n, s.changedCount(changed), s.domain, quoteAll(s.sources), s.expert)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
