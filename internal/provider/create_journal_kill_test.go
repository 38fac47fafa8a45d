package provider

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// killConfig is a 60-object configuration: agreements, request forms
// that include them, and data products that use the forms.
func killConfig(endpoint, token string) string {
	return fmt.Sprintf(`
provider "immuta" {
  endpoint    = %q
  token       = %q
  max_retries = 0
}

resource "immuta_data_use_agreement" "a" {
  count = 20
  name  = "Kill agreement ${count.index}"
  body  = "Terms ${count.index}."
}

resource "immuta_request_form" "f" {
  count = 20
  name  = "Kill form ${count.index}"
  field {
    type  = "SHORT_ANSWER"
    label = "Why do you need access?"
  }
  review_flow = {
    auto_approve = { reason = "Open data." }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.a[count.index].id]
}

resource "immuta_data_product" "p" {
  count                       = 20
  name                        = "Kill product ${count.index}"
  domain_ids                  = ["1aebd69e-0ac6-51d7-94e0-6580689d4380"]
  data_source_ids             = [tostring(101 + count.index %% 5)]
  data_access_request_form_id = immuta_request_form.f[count.index].id
  deletion_protection         = false
}
`, endpoint, token)
}

// TestAccCreateJournal_killedApplyConverges kills terraform apply (and the
// provider processes with it, as a vanished CI runner would) at three
// points of a 60-object apply. Each time, the next apply must converge
// with no duplicate, no orphan and no import: every object in the
// emulator is in state exactly once.
func TestAccCreateJournal_killedApplyConverges(t *testing.T) {
	testAccPreCheck(t)
	if testing.Short() {
		t.Skip("kills three 60-object applies; skipped with -short")
	}
	for _, killAt := range []int{3, 25, 50} {
		t.Run(fmt.Sprintf("killed after %d creates", killAt), func(t *testing.T) {
			srv := requireEmulator(t, "injects faults, reads the emulator's objects")
			// Slow writes, so that the kill lands in the middle of the apply.
			if _, err := srv.InjectFault(marketplacetest.Fault{Method: "POST", Latency: marketplacetest.Duration(150 * time.Millisecond)}); err != nil {
				t.Fatal(err)
			}
			r := newBinaryCLIRunner(t)
			r.writeConfig(killConfig(srv.Endpoint(), srv.Token()))

			count := func() int { // not the Standard Request Form
				return len(srv.DataUseAgreements()) + len(srv.RequestForms()) - 1 + len(srv.DataProducts())
			}
			out := killApplyAt(t, r, killAt, count)
			made := count()
			if made < killAt || made >= 60 {
				t.Fatalf("the kill came at %d objects made, not in the middle of the apply:\n%s", made, out)
			}
			t.Logf("killed with %d of 60 objects made", made)

			r.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
			checkStateMatchesEmulator(t, r, srv, 60)
			if out, code := r.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
				t.Errorf("the plan after convergence exited %d:\n%s", code, out)
			}
			r.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
			if n := count(); n != 0 {
				t.Errorf("destroy left %d objects", n)
			}
		})
	}
}

// killApplyAt starts terraform apply in its own process group and kills
// the whole group with SIGKILL once made() reaches n.
func killApplyAt(t *testing.T, r *cliRunner, n int, made func() int) string {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), r.terraform, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	cmd.Dir = r.dir
	cmd.Env = r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case err := <-done:
			t.Fatalf("apply ended (%v) before %d objects were made:\n%s", err, n, out.String())
		case <-deadline:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("apply made fewer than %d objects in 2 minutes:\n%s", n, out.String())
		case <-tick.C:
			if made() >= n {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				if err := <-done; err == nil {
					t.Fatalf("apply finished before the kill:\n%s", out.String())
				}
				// Writes in flight when the processes died may still land.
				time.Sleep(300 * time.Millisecond)
				return out.String()
			}
		}
	}
}

// checkStateMatchesEmulator checks that the state and the emulator hold
// the same want objects: each emulator object is in state exactly once,
// and no name is held twice.
func checkStateMatchesEmulator(t *testing.T, r *cliRunner, srv *marketplacetest.TestServer, want int) {
	t.Helper()
	list := strings.Fields(r.mustRun("state", "list", "-no-color"))
	inState := map[string]int{}
	for _, addr := range list {
		show := r.mustRun("state", "show", "-no-color", addr)
		for _, line := range strings.Split(show, "\n") {
			if key, value, ok := strings.Cut(strings.TrimSpace(line), "="); ok && strings.TrimSpace(key) == "id" {
				inState[strings.Trim(strings.TrimSpace(value), `"`)]++
				break
			}
		}
	}
	var emulatorIDs []string
	names := map[string]int{}
	for _, a := range srv.DataUseAgreements() {
		emulatorIDs = append(emulatorIDs, a.ID)
		names["agreement "+a.Name]++
	}
	for _, f := range srv.RequestForms() {
		if f.Name == "Standard Request Form" {
			continue
		}
		emulatorIDs = append(emulatorIDs, f.ID)
		names["form "+f.Name]++
	}
	for _, p := range srv.DataProducts() {
		emulatorIDs = append(emulatorIDs, p.ID)
		names["product "+p.Name]++
	}
	if len(list) != want || len(emulatorIDs) != want {
		t.Errorf("state holds %d resources and the emulator %d objects; want %d of each", len(list), len(emulatorIDs), want)
	}
	for _, id := range emulatorIDs {
		if inState[id] != 1 {
			t.Errorf("object %s is in state %d times (an orphan when 0)", id, inState[id])
		}
	}
	for name, n := range names {
		if n != 1 {
			t.Errorf("%s exists %d times", name, n)
		}
	}
}
