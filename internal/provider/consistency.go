package provider

import (
	"context"
	"encoding/json"
	"errors"
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
