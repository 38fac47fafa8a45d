package provider

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// chaosFaultRate is the share of requests the chaos test faults.
const chaosFaultRate = 0.20

// chaosFaults returns faults that together hit about chaosFaultRate of
// all requests: rate limits, gateway and server errors, writes whose
// answer is lost or replaced by an error, and latency.
func chaosFaults() []marketplacetest.Fault {
	failures := []marketplacetest.Fault{
		{Status: 429, RetryAfter: "0"},
		{Status: 503},
		{Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
		{Status: 500},
		{DropAfterCommit: true},
		{FailAfterCommit: true, Status: 504},
	}
	// The first fault that fires wins, so each gets the share that makes
	// the chance that none fires 1 - chaosFaultRate.
	p := 1 - math.Pow(1-chaosFaultRate, 1/float64(len(failures)))
	for i := range failures {
		failures[i].Probability = p
	}
	// Some requests are also slow, which is no failure.
	return append(failures, marketplacetest.Fault{Probability: 0.1, Latency: marketplacetest.Duration(20 * time.Millisecond)})
}

// chaosSeed is the fault seed: CHAOS_SEED to repeat a run, else random.
func chaosSeed(t *testing.T) uint64 {
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CHAOS_SEED=%q: %v", s, err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// chaosConfig declares the objects the chaos test manages.
func chaosConfig(srv *marketplacetest.TestServer, agreements int) string {
	return providerConfig(srv) + fmt.Sprintf(`
locals {
  agreements = toset([for i in range(%d) : format("Chaos agreement %%02d", i)])
}

resource "immuta_data_use_agreement" "chaos" {
  for_each = local.agreements
  name     = each.key
  body     = "Terms of ${each.key}."
}
`, agreements)
}

// converge runs a command until it succeeds, at most maxRuns times, and
// returns how many runs it took.
func converge(t *testing.T, r *cliRunner, maxRuns int, args ...string) int {
	t.Helper()
	for run := 1; run <= maxRuns; run++ {
		out, code := r.run(args...)
		if code == 0 {
			return run
		}
		t.Logf("terraform %s run %d failed (expected under faults); errors:\n%s", args[0], run, errorLines(out))
	}
	t.Fatalf("terraform %s did not converge in %d runs", args[0], maxRuns)
	return maxRuns
}

// errorLines keeps the "Error:" lines of Terraform's output.
func errorLines(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Error:") {
			keep = append(keep, strings.TrimSpace(line))
		}
	}
	return strings.Join(keep, "\n")
}

// faultFigures counts the requests the emulator answered with a fault
// (status 0 is a dropped connection).
func faultFigures(reqs []marketplacetest.Request) (total, faulted int) {
	for _, r := range reqs {
		total++
		switch r.Status {
		case 0, 429, 500, 502, 503, 504:
			faulted++
		}
	}
	return total, faulted
}

// TestAccChaos applies and destroys a configuration while a fifth of all
// requests fail, and checks that the Marketplace ends up holding exactly
// the configured objects: no duplicates, no orphans, nothing lost.
func TestAccChaos(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	seed := chaosSeed(t)
	t.Logf("fault seed %d (set CHAOS_SEED to repeat this run)", seed)
	const agreements = 50
	srv := marketplacetest.NewTestServer(t, marketplacetest.Options{FaultSeed: seed})
	r := newCLIRunner(t, providerFactories(time.Minute)["immuta"])
	r.writeConfig(chaosConfig(srv, agreements))
	r.mustRun("init", "-input=false", "-no-color")

	for _, f := range chaosFaults() {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetReadAfterWriteLag(300 * time.Millisecond)

	applies := converge(t, r, 5, "apply", "-auto-approve", "-input=false", "-no-color")
	// Still under faults, the configuration plans clean.
	if out, code := r.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the plan after converging exited %d:\n%s", code, out)
	}
	total, faulted := faultFigures(srv.Requests())
	t.Logf("apply: converged after %d run(s); %d of %d requests faulted (%.0f%%)", applies, faulted, total, 100*float64(faulted)/float64(total))
	if float64(faulted) < 0.1*float64(total) {
		t.Errorf("only %d of %d requests were faulted; the test is not exercising failures", faulted, total)
	}

	srv.ClearFaults()
	var names []string
	for _, a := range srv.DataUseAgreements() {
		names = append(names, a.Name)
	}
	sort.Strings(names)
	if len(names) != agreements {
		t.Fatalf("the emulator holds %d agreements, want exactly %d: %v", len(names), agreements, names)
	}
	for i, n := range names {
		if want := fmt.Sprintf("Chaos agreement %02d", i); n != want {
			t.Fatalf("agreement %d is %q, want %q", i, n, want)
		}
	}

	srv.ResetRequests()
	for _, f := range chaosFaults() {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	destroys := converge(t, r, 5, "destroy", "-auto-approve", "-input=false", "-no-color")
	total, faulted = faultFigures(srv.Requests())
	t.Logf("destroy: converged after %d run(s); %d of %d requests faulted", destroys, faulted, total)
	srv.ClearFaults()
	if left := srv.DataUseAgreements(); len(left) != 0 {
		t.Fatalf("the emulator still holds %d agreements after destroy", len(left))
	}
}
