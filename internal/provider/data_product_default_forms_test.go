package provider

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// Products created without a masking exception form get the Standard
// Request Form; after the first, the form's list confirms it for the
// others, so most new products cost no read of their forms, and each has
// the default in state.
func TestAccDataProduct_createConfirmsDefaultFormFromList(t *testing.T) {
	srv := requireEmulator(t, "reads the request log")
	formA, formB := seedRequestForm(t, srv, false), seedRequestForm(t, srv, false)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config:    bulkProductsConfig(srv, formA, formB),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAllProductsMaskingForm(marketplacetest.StandardRequestFormID),
				func(*terraform.State) error {
					formGets, lists := countNewProductFormReads(srv)
					t.Logf("%d products created: %d form reads, %d form lists", bulkProducts, formGets, lists)
					if lists == 0 || 2*(formGets+lists) > bulkProducts {
						return fmt.Errorf("%d products created with %d form reads and %d form lists, want lists used and "+
							"at most %d requests in all", bulkProducts, formGets, lists, bulkProducts/2)
					}
					return nil
				},
			),
		}},
	})
}

// A list that cannot be read confirms nothing: each product's forms are
// read, and the lists are given up after a few misses.
func TestAccDataProduct_createReadsFormsWhenListFails(t *testing.T) {
	srv := requireEmulator(t, "injects faults, reads the request log")
	formA, formB := seedRequestForm(t, srv, false), seedRequestForm(t, srv, false)
	if _, err := srv.InjectFault(marketplacetest.Fault{Method: "GET", Path: "/api/request-form/{id}/data-products", Status: 404}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config:    bulkProductsConfig(srv, formA, formB),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkAllProductsMaskingForm(marketplacetest.StandardRequestFormID),
				func(*terraform.State) error {
					formGets, lists := countNewProductFormReads(srv)
					if formGets != bulkProducts || lists > defaultFormMissesAllowed+parallelismForLists {
						return fmt.Errorf("%d products created with %d form reads and %d form lists, want %d reads and "+
							"at most %d lists", bulkProducts, formGets, lists, bulkProducts, defaultFormMissesAllowed+parallelismForLists)
					}
					return nil
				},
			),
		}},
	})
}

// parallelismForLists bounds the lists asked after the misses that stop
// them: the creates that Terraform runs at once (10 by default) may each
// have joined a round before the last miss was counted.
const parallelismForLists = 10

// A list confirms only what it shows: a product missing from the last
// default's list, or listed for another request type, is read; what the
// read shows is the default asked next; a form the create sent is kept
// as sent; past the misses allowed, every product is read.
func TestDefaultForms_confirmOnlyWhatListShows(t *testing.T) {
	const std, other, sent = "std", "other", "sent"
	lists := map[string]map[string][]string{
		std:   {"p1": {"DATA_ACCESS", "MASKING_EXCEPTION"}, "p2": {"DATA_ACCESS"}},
		other: {"p3": {"MASKING_EXCEPTION"}},
	}
	var asked, reads []string
	d := &defaultForms{
		list: func(_ context.Context, form string) (map[string][]string, error) {
			asked = append(asked, form)
			return lists[form], nil
		},
		last:   map[string]string{},
		rounds: map[string]*formListRounds{},
	}
	ctx := context.Background()
	accessSent := []marketplace.DataProductRequestForm{{RequestForm: marketplace.RequestForm{ID: sent}, RequestType: marketplace.RequestTypeDataAccess}}
	masking := func(form string) []marketplace.DataProductRequestForm {
		return append(slices.Clone(accessSent), marketplace.DataProductRequestForm{RequestForm: marketplace.RequestForm{ID: form}, RequestType: marketplace.RequestTypeMaskingException})
	}
	create := func(id, readShows string) []marketplace.DataProductRequestForm {
		t.Helper()
		forms, err := d.forms(ctx, id, accessSent, func(context.Context) ([]marketplace.DataProductRequestForm, error) {
			reads = append(reads, id)
			return masking(readShows), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return forms
	}
	maskingForm := func(forms []marketplace.DataProductRequestForm) string {
		if f := marketplace.RequestFormFor(forms, marketplace.RequestTypeMaskingException); f != nil {
			return f.ID
		}
		return ""
	}

	// The first is read; it shows the default (in upper case, as a
	// service may write it).
	if got := maskingForm(create("p0", "STD")); got != "STD" || len(asked) != 0 {
		t.Fatalf("p0: masking form %q after asking lists %v; want the read's, no list", got, asked)
	}
	forms := create("P1", "unused")
	if maskingForm(forms) != std || marketplace.RequestFormFor(forms, marketplace.RequestTypeDataAccess).ID != sent {
		t.Fatalf("p1, listed by the default for masking: %v; want the sent form and %s", forms, std)
	}
	if got := maskingForm(create("p2", other)); got != other {
		t.Fatalf("p2, listed by the default for data access only: masking form %q, want the read's %q", got, other)
	}
	if got := maskingForm(create("p3", "unused")); got != other {
		t.Fatalf("p3, after a read showed %s: masking form %q", other, got)
	}
	if want := []string{std, std, other}; !slices.Equal(asked, want) {
		t.Errorf("lists asked: %v, want %v", asked, want)
	}
	if want := []string{"p0", "p2"}; !slices.Equal(reads, want) {
		t.Errorf("products read: %v, want %v", reads, want)
	}
	for range defaultFormMissesAllowed {
		create("unlisted", other)
	}
	asked = nil
	create("p3", other)
	if len(asked) != 0 {
		t.Errorf("after %d misses, lists asked: %v, want none", defaultFormMissesAllowed, asked)
	}
}

// New products that arrive while the first one's read learns the default
// wait for it, then ask the list: only one of them reads.
func TestDefaultForms_oneLearnsWhileOthersWait(t *testing.T) {
	var reads, lists atomic.Int32
	d := &defaultForms{
		list: func(context.Context, string) (map[string][]string, error) {
			lists.Add(1)
			out := map[string][]string{}
			for i := range 8 {
				out[fmt.Sprint("p", i)] = []string{marketplace.RequestTypeMaskingException}
			}
			return out, nil
		},
		last:   map[string]string{},
		rounds: map[string]*formListRounds{},
	}
	read := func(context.Context) ([]marketplace.DataProductRequestForm, error) { //nolint:unparam // stands in for the real read
		reads.Add(1)
		return []marketplace.DataProductRequestForm{{RequestForm: marketplace.RequestForm{ID: "std"}, RequestType: marketplace.RequestTypeMaskingException}}, nil
	}
	access := []marketplace.DataProductRequestForm{{RequestForm: marketplace.RequestForm{ID: "a"}, RequestType: marketplace.RequestTypeDataAccess}}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			forms, err := d.forms(context.Background(), fmt.Sprint("p", i), access, read)
			if err != nil || marketplace.RequestFormFor(forms, marketplace.RequestTypeMaskingException).ID != "std" {
				t.Errorf("p%d: %v, %v; want the default std", i, forms, err)
			}
		}()
	}
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("%d reads for 8 new products, want 1", n)
	}
	if n := lists.Load(); n < 1 || n > 7 {
		t.Errorf("%d lists for the 7 that waited, want 1 to 7", n)
	}
}

func checkAllProductsMaskingForm(want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		n := 0
		for addr, r := range s.RootModule().Resources {
			if r.Type != "immuta_data_product" {
				continue
			}
			n++
			if got := r.Primary.Attributes["masking_exception_request_form_id"]; got != want {
				return fmt.Errorf("%s: masking_exception_request_form_id = %q, want %q", addr, got, want)
			}
		}
		if n != bulkProducts {
			return fmt.Errorf("%d products in state, want %d", n, bulkProducts)
		}
		return nil
	}
}

// countNewProductFormReads counts, since the requests were reset, the
// reads of a product's forms and of a form's products.
func countNewProductFormReads(srv *marketplacetest.TestServer) (formGets, lists int) {
	for _, r := range srv.Requests() {
		path := strings.TrimPrefix(r.Path, marketplacetest.BasePath)
		switch {
		case r.Method != "GET":
		case strings.HasPrefix(path, "/api/data-product/") && strings.HasSuffix(path, "/request-forms"):
			formGets++
		case strings.HasPrefix(path, "/api/request-form/") && strings.HasSuffix(path, "/data-products"):
			lists++
		}
	}
	return formGets, lists
}

// Callers that arrive while a round fetches share the next fetch, which
// begins only after the first ends: no caller is served by a fetch begun
// before it asked.
func TestFormListRounds_freshFetchPerWaitingGroup(t *testing.T) {
	var rounds formListRounds
	var fetches atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	fetch := func(context.Context) (map[string][]string, error) { //nolint:unparam // stands in for the real fetch
		n := fetches.Add(1)
		if n == 1 {
			close(started)
			<-release
		}
		return map[string][]string{"round": {fmt.Sprint(n)}}, nil
	}

	first := make(chan string, 1)
	go func() {
		got, _ := rounds.fresh(context.Background(), fetch)
		first <- got["round"][0]
	}()
	<-started
	// These arrive while round 1 fetches: they must all get round 2.
	const late = 5
	var wg sync.WaitGroup
	results := make(chan string, late)
	for range late {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := rounds.fresh(context.Background(), fetch)
			if err != nil {
				t.Error(err)
				return
			}
			results <- got["round"][0]
		}()
	}
	waitForWaiters(&rounds, late)
	close(release)
	wg.Wait()
	close(results)
	if got := <-first; got != "1" {
		t.Errorf("the first caller got round %s, want 1", got)
	}
	for got := range results {
		if got != "2" {
			t.Errorf("a caller that arrived during round 1 got round %s, want 2", got)
		}
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches for two groups of callers, want 2", n)
	}
}

// waitForWaiters returns once n callers have joined the open round.
func waitForWaiters(rounds *formListRounds, n int) {
	for {
		rounds.mu.Lock()
		joined := rounds.next != nil && rounds.next.callers == n
		rounds.mu.Unlock()
		if joined {
			return
		}
		runtime.Gosched()
	}
}

// A failed fetch reaches every caller of its round, and the next caller
// opens a round of its own.
func TestFormListRounds_errorReachesRound(t *testing.T) {
	var rounds formListRounds
	boom := errors.New("boom")
	if _, err := rounds.fresh(context.Background(), func(context.Context) (map[string][]string, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	got, err := rounds.fresh(context.Background(), func(context.Context) (map[string][]string, error) {
		return map[string][]string{"p": {"DATA_ACCESS"}}, nil
	})
	if err != nil || len(got["p"]) != 1 {
		t.Fatalf("after a failed round: %v, %v; want a fresh list", got, err)
	}
}
