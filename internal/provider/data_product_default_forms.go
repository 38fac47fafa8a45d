package provider

// The default forms of new data products. A product created without a
// form for a request type gets the service's default for it, whose id
// only a read tells: GET {id}/request-forms, one request per product.
// With many products created in one apply, they mostly get the same
// default, and one request can confirm it for all of them: the form's
// list of the products that use it (GET request-form/{id}/data-products,
// with the request types). So once a read has shown this process the
// default of a request type, a later new product asks that form's list
// instead, in a round shared with the other products that wait for the
// same list; a round is only fetched after each of its products was
// created, so it holds them all if the service has them. A product the
// list does not show with the request type is read the ordinary way, and
// what that read tells becomes the form asked next time: the list only
// ever confirms, it never guesses.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// defaultFormMissesAllowed is how many new products a form's list may
// fail to confirm before this process stops asking lists: past that, the
// defaults differ from product to product (a domain's own default, say),
// and each miss costs a request more than the ordinary read.
const defaultFormMissesAllowed = 3

// formListGather is how long a round of a form's list stays open, once
// it may fetch, for more new products to join. Terraform hands the
// provider its creates one by one, some milliseconds apart, so without
// the wait most rounds would serve one product: creating 200 products
// (make bench, BENCH_N=200), 20 ms brought the lists from 0.81 to 0.29
// per product, and a create waits no longer than that for its round.
const formListGather = 20 * time.Millisecond

// defaultForms is one client's knowledge of the default forms. It is safe
// for concurrent use.
type defaultForms struct {
	// list fetches a form's list of products (formProductList).
	list func(ctx context.Context, form string) (map[string][]string, error)

	mu       sync.Mutex
	last     map[string]string // request type → the default form a read last showed
	misses   int
	learning chan struct{}              // closed when the read that learns the defaults ends
	rounds   map[string]*formListRounds // form id → its rounds
}

var defaultFormsByClient sync.Map // *marketplace.Client → *defaultForms

func defaultFormsFor(c *marketplace.Client) *defaultForms {
	if v, ok := defaultFormsByClient.Load(c); ok {
		d, _ := v.(*defaultForms)
		return d
	}
	v, _ := defaultFormsByClient.LoadOrStore(c, &defaultForms{
		list: func(ctx context.Context, form string) (map[string][]string, error) {
			return formProductList(ctx, c, form)
		},
		last:   map[string]string{},
		rounds: map[string]*formListRounds{},
	})
	d, _ := v.(*defaultForms)
	return d
}

// forms returns the forms of the product just created with planned, the
// forms its create sent: confirmed by the lists of the defaults seen for
// the request types it left out, or else by read, its forms read the
// ordinary way. Until a read has shown a default, one new product reads
// while the others wait for what it learns, rather than all reading.
func (d *defaultForms) forms(ctx context.Context, id string, planned []marketplace.DataProductRequestForm,
	read func(context.Context) ([]marketplace.DataProductRequestForm, error),
) ([]marketplace.DataProductRequestForm, error) {
	for {
		d.mu.Lock()
		known, giveUp, learning := d.defaultsKnown(planned), d.misses >= defaultFormMissesAllowed, d.learning
		if !known && !giveUp && learning == nil {
			d.learning = make(chan struct{})
		}
		d.mu.Unlock()
		switch {
		case giveUp:
			return read(ctx)
		case !known && learning == nil:
			return d.readAndLearn(ctx, planned, read, true)
		case !known:
			select {
			case <-learning:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if forms, ok := d.confirm(ctx, id, planned); ok {
			return forms, nil
		}
		return d.readAndLearn(ctx, planned, read, false)
	}
}

// defaultsKnown tells whether a default is known for each request type
// planned leaves out. d.mu must be held.
func (d *defaultForms) defaultsKnown(planned []marketplace.DataProductRequestForm) bool {
	for _, requestType := range []string{marketplace.RequestTypeDataAccess, marketplace.RequestTypeMaskingException} {
		if marketplace.RequestFormFor(planned, requestType) == nil && d.last[requestType] == "" {
			return false
		}
	}
	return true
}

// readAndLearn reads the new product's forms and notes the defaults they
// show; a read that shows none counts as a miss. A learner then lets the
// products that wait for it go on.
func (d *defaultForms) readAndLearn(ctx context.Context, planned []marketplace.DataProductRequestForm,
	read func(context.Context) ([]marketplace.DataProductRequestForm, error), learner bool,
) ([]marketplace.DataProductRequestForm, error) {
	forms, err := read(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil {
		for _, f := range forms {
			if f.ID != "" && marketplace.RequestFormFor(planned, f.RequestType) == nil {
				d.last[f.RequestType] = strings.ToLower(f.ID)
			}
		}
	}
	if learner {
		if !d.defaultsKnown(planned) {
			d.misses++
		}
		close(d.learning)
		d.learning = nil
	}
	return forms, err
}

// confirm returns the forms of the new product when the lists of the
// defaults known for the request types planned leaves out show the
// product using them. A product they do not show counts as a miss.
func (d *defaultForms) confirm(ctx context.Context, id string, planned []marketplace.DataProductRequestForm) (_ []marketplace.DataProductRequestForm, ok bool) {
	id = strings.ToLower(id)
	forms := slices.Clone(planned)
	for _, requestType := range []string{marketplace.RequestTypeDataAccess, marketplace.RequestTypeMaskingException} {
		if marketplace.RequestFormFor(planned, requestType) != nil {
			continue
		}
		d.mu.Lock()
		form := d.last[requestType]
		rounds := d.rounds[form]
		if rounds == nil {
			rounds = &formListRounds{gather: formListGather}
			d.rounds[form] = rounds
		}
		d.mu.Unlock()
		linked, err := rounds.fresh(ctx, func(ctx context.Context) (map[string][]string, error) {
			return d.list(ctx, form)
		})
		if err != nil || !slices.Contains(linked[id], requestType) {
			d.mu.Lock()
			d.misses++
			d.mu.Unlock()
			if err != nil {
				tflog.Debug(ctx, "Could not list a request form's data products; reading the new product's forms",
					map[string]any{"request_form_id": form, "error": err.Error()})
			}
			return nil, false
		}
		forms = append(forms, marketplace.DataProductRequestForm{RequestForm: marketplace.RequestForm{ID: form}, RequestType: requestType})
	}
	return forms, true
}

// formProductList is a form's list of products: for each product id, in
// lower case, the request types it uses the form for.
func formProductList(ctx context.Context, client *marketplace.Client, form string) (map[string][]string, error) {
	linked, err := client.ListRequestFormDataProducts(ctx, form)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(linked))
	for _, p := range linked {
		out[strings.ToLower(p.ID)] = p.RequestTypes
	}
	return out, nil
}

// formListRounds shares the fetches of one list among the callers that
// wait for it, each served by a fetch begun after it asked: while one
// round fetches, the callers that arrive join the next, which fetches
// when the first is done.
type formListRounds struct {
	gather   time.Duration // how long a round stays open once it may fetch
	fetching sync.Mutex    // held by the round that fetches
	mu       sync.Mutex
	next     *formListRound // the round callers join, not yet fetching
}

type formListRound struct {
	done    chan struct{}
	callers int // who joined, under formListRounds.mu
	linked  map[string][]string
	err     error
}

// fresh returns a list fetched after it was called. The caller that
// opens a round fetches it, with its own context; if that fails, the
// round's callers get the error.
func (l *formListRounds) fresh(ctx context.Context, fetch func(context.Context) (map[string][]string, error)) (map[string][]string, error) {
	l.mu.Lock()
	r, leads := l.next, false
	if r == nil {
		r, leads = &formListRound{done: make(chan struct{})}, true
		l.next = r
	}
	r.callers++
	l.mu.Unlock()
	if leads {
		l.fetching.Lock()
		if l.gather > 0 {
			time.Sleep(l.gather)
		}
		l.mu.Lock()
		l.next = nil // who comes now waits for the next fetch
		callers := r.callers
		l.mu.Unlock()
		tflog.Trace(ctx, "Listing a request form's data products for new products", map[string]any{"products": callers})
		r.linked, r.err = fetch(ctx)
		close(r.done)
		l.fetching.Unlock()
	}
	select {
	case <-r.done:
		return r.linked, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
