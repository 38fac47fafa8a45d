package provider

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// The Marketplace may answer a GET of an object it has just created with
// 404 for a short while (read-after-write lag). This file makes creates
// and refreshes tolerate that without losing or duplicating objects.

// writtenAtKey is the private state key recording when this provider
// last wrote the object, so that a refresh can tell lag from deletion.
const writtenAtKey = "written_at"

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type writtenAt struct {
	At time.Time `json:"at"`
}

// markWritten records in private state that the object was just written.
func markWritten(ctx context.Context, p privateSetter) diag.Diagnostics {
	return markWrittenAt(ctx, p, time.Now())
}

// markWrittenAt records in private state when the object was written.
func markWrittenAt(ctx context.Context, p privateSetter, at time.Time) diag.Diagnostics {
	value, err := json.Marshal(writtenAt{At: at.UTC()})
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Internal Error", "Recording the write time: "+err.Error())
		return diags
	}
	return p.SetKey(ctx, writtenAtKey, value)
}

// forgetWritten drops the write time before a delete is attempted: if
// the delete fails but was carried out all the same, the next refresh
// meets 404, which must then mean the object is gone, not that it is
// still becoming visible (which would wait out the whole window).
func forgetWritten(ctx context.Context, p privateSetter) diag.Diagnostics {
	return p.SetKey(ctx, writtenAtKey, nil)
}

// lagRemaining is how much of the consistency window is left since this
// provider last wrote the object; zero if it is over or unknown.
func lagRemaining(ctx context.Context, p privateGetter, window time.Duration) time.Duration {
	at := writtenTime(ctx, p)
	if at.IsZero() || window <= 0 {
		return 0
	}
	return max(0, time.Until(at.Add(window)))
}

// writtenTime is when this provider last wrote the object, as private
// state records it; zero if unknown.
func writtenTime(ctx context.Context, p privateGetter) time.Time {
	if p == nil {
		return time.Time{}
	}
	raw, diags := p.GetKey(ctx, writtenAtKey)
	if diags.HasError() || len(raw) == 0 {
		return time.Time{}
	}
	var w writtenAt
	if json.Unmarshal(raw, &w) != nil {
		return time.Time{}
	}
	return w.At
}

// waitForObject gets an object, retrying a 404 with backoff until it is
// found, the wait is over, or the context ends. It returns the last
// answer.
func waitForObject[T any](ctx context.Context, id string, get func(context.Context, string) (*T, error), wait time.Duration) (*T, error) {
	start := time.Now()
	deadline := start.Add(wait)
	delay := 50 * time.Millisecond
	told := false
	for {
		obj, err := get(ctx, id)
		if err == nil || !errors.Is(err, marketplace.ErrNotFound) {
			return obj, err
		}
		if !time.Now().Add(delay).Before(deadline) {
			return nil, err
		}
		tflog.Debug(ctx, "Object not visible yet; waiting out the service's read-after-write lag", map[string]any{"id": id, "retry_in": delay.String()})
		if !told && time.Since(start) >= longWait {
			// A wait this long is worth a line at the default log level.
			tflog.Info(ctx, "Still waiting for an object this provider wrote to become visible (the service's read-after-write lag)",
				map[string]any{"id": id, "waited": time.Since(start).Round(time.Millisecond).String(), "wait_at_most": wait.String()})
			told = true
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, errors.Join(err, ctx.Err())
		case <-timer.C:
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// longWait is how long waitForObject waits before it says so at the
// Info level.
const longWait = 2 * time.Second

// readObject is a Read's GET: a 404 shortly after this provider wrote the
// object is waited out; any other 404 means the object is gone.
func readObject[T any](ctx context.Context, client *marketplace.Client, private privateGetter, id string,
	get func(context.Context, string) (*T, error),
) (*T, error) {
	obj, err := get(ctx, id)
	if errors.Is(err, marketplace.ErrNotFound) {
		if wait := lagRemaining(ctx, private, client.ConsistencyWindow()); wait > 0 {
			obj, err = waitForObject(ctx, id, get, wait)
		}
	}
	if err == nil || errors.Is(err, marketplace.ErrNotFound) {
		// The id is in state, so a create of it that a killed run left
		// unconfirmed is settled: the object is tracked, or never was.
		journalFor(client).settle(ctx, id)
	}
	return obj, err
}

// createSpec describes a create that sends a client-chosen id.
type createSpec[T any] struct {
	Kind   string
	ID     string
	Create func(context.Context) (*T, error)
	Get    func(context.Context, string) (*T, error)
	// IDsByName lists the ids of the objects that have the name being
	// created, to tell a name taken by another object from a repeated
	// create of this very one. Optional.
	IDsByName func(context.Context) ([]string, error)
	// Window is how long a new object may stay invisible to Get.
	Window time.Duration
	// Journal holds the create until it is confirmed in state; a create
	// that provably made nothing is settled here.
	Journal *createJournal
	// Lookups learns the id of an object this create made or may have
	// made, which a reference to it then waits for.
	Lookups *lookupCache
}

// createResult is what createWithClientID learned.
type createResult[T any] struct {
	// Object is the created (or adopted) object, when Err is nil.
	Object *T
	// Adopted is set when Object was found under the create's id rather
	// than made by this call: an earlier attempt, or a killed run resumed
	// through the journal, made it, possibly from another configuration,
	// so the caller brings it to the plan.
	Adopted bool
	// Err is the create's error when no object could be confirmed.
	Err error
	// MayExist is set with Err when the object may exist all the same; the
	// caller then keeps the id in state so that it is never orphaned.
	MayExist bool
	// AnsweredAt is when the create's last attempt was answered: an
	// object it made may stay invisible for the consistency window after.
	AnsweredAt time.Time
}

// createWithClientID runs a create. When it fails in a way that may have
// created the object anyway (no response, a 5xx or 429 after retries), or
// answers 409 (which a repeated POST of this very create meets), it looks
// for the id, waiting out read-after-write lag: an object found there can
// only be this create's, so it is adopted.
func createWithClientID[T any](ctx context.Context, spec createSpec[T]) createResult[T] {
	result := createOrAdopt(ctx, spec)
	if result.Err != nil && !result.MayExist {
		spec.Journal.settle(ctx, spec.ID)
	} else {
		spec.Lookups.recordCreated(spec.ID)
	}
	return result
}

func createOrAdopt[T any](ctx context.Context, spec createSpec[T]) createResult[T] {
	if err := ctx.Err(); err != nil {
		// Out of time (or cancelled) before the create was sent: nothing
		// can have been made, so nothing is kept in state.
		return createResult[T]{Err: err, AnsweredAt: time.Now()}
	}
	obj, err := spec.Create(ctx)
	answered := time.Now()
	if err == nil {
		return createResult[T]{Object: obj, AnsweredAt: answered}
	}
	conflict := errors.Is(err, marketplace.ErrConflict)
	if !conflict && !outcomeUnknown(err) {
		return createResult[T]{Err: err, AnsweredAt: answered}
	}
	if conflict && spec.IDsByName != nil {
		if ids, lookupErr := spec.IDsByName(ctx); lookupErr == nil && len(ids) > 0 && !slices.Contains(ids, spec.ID) {
			return createResult[T]{Err: err, AnsweredAt: answered} // another object holds the name
		}
	}
	got, getErr := waitForObject(ctx, spec.ID, spec.Get, spec.Window)
	if getErr == nil {
		tflog.Warn(ctx, "The create failed but the object exists under the id this create chose; adopting it", map[string]any{
			"kind": spec.Kind, "id": spec.ID, "create_error": err.Error(),
		})
		return createResult[T]{Object: got, Adopted: true, AnsweredAt: answered}
	}
	if conflict && errors.Is(getErr, marketplace.ErrNotFound) {
		return createResult[T]{Err: err, AnsweredAt: answered} // another object holds the name
	}
	return createResult[T]{Err: err, MayExist: outcomeUnknown(err) || !errors.Is(getErr, marketplace.ErrNotFound), AnsweredAt: answered}
}
