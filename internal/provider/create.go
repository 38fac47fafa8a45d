package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Creation and adoption: how a create runs, and what a failed one leaves.
//
// Every create sends an id the provider chooses (from the create journal,
// create_journal.go, which survives a killed run), so a retried create can
// never make a second object. A create that fails in a way that may have
// made the object (no response, a 5xx or 429 after retries) or that meets
// 409 looks for the object under its id, waiting out read-after-write lag:
// an object found there can only be this create's, so it is adopted and
// brought to the plan. If the outcome stays unknown, the id is kept in
// state (Terraform marks the resource tainted), so nothing is left
// untracked; the next refresh waits out the lag before taking a 404 as
// "never made" (consistency.go).

// createSpec describes a create that sends a client-chosen id.
type createSpec[T any] struct {
	// Kind names the object in messages ("data product"); ResourceType
	// is its resource, for the import hint.
	Kind, ResourceType string
	ID, Name           string
	Create             func(context.Context) (*T, error)
	Get                func(context.Context, string) (*T, error)
	// Adopt brings an object found under the id (made by an earlier
	// attempt, possibly from another configuration) to the plan, and
	// returns it as it then is.
	Adopt func(context.Context) (*T, error)
	// Made is the verb of the messages about an adopted object: "made",
	// or "published" for a data product.
	Made string
	// AdoptFailedHint, if any, says what follows when Adopt fails.
	AdoptFailedHint string
	// MayExistNote is added to the hint of a create whose outcome is
	// unknown.
	MayExistNote string
	// KeptAttributes are saved with the id when a failed create keeps it
	// in state (the data product's deletion_protection).
	KeptAttributes map[string]any
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
			"create_error": err.Error(),
		})
		return createResult[T]{Object: got, Adopted: true, AnsweredAt: answered}
	}
	if conflict && errors.Is(getErr, marketplace.ErrNotFound) {
		return createResult[T]{Err: err, AnsweredAt: answered} // another object holds the name
	}
	return createResult[T]{Err: err, MayExist: outcomeUnknown(err) || !errors.Is(getErr, marketplace.ErrNotFound), AnsweredAt: answered}
}

// mayExistHint explains the state of a create whose outcome is unknown.
func mayExistHint(kind, id string) string {
	return fmt.Sprintf("The %s may have been created with id %s. Terraform keeps that id in state (marked tainted), "+
		"so the next apply checks it and replaces it if needed; nothing is left untracked.", kind, id)
}

// importHint tells how to adopt an existing object that blocks a create.
func importHint(resourceType, kind, name string, ids []string) string {
	if len(ids) == 0 {
		return fmt.Sprintf("A %s named %q already exists. Choose another name, or import the existing one "+
			"(`terraform import %s.<name> \"name:%s\"`).", kind, name, resourceType, name)
	}
	return fmt.Sprintf("A %s named %q already exists (id %s). Choose another name, or bring the existing one under "+
		"Terraform with `terraform import %s.<name> %s` or an import block:\n\n"+
		"import {\n  to = %s.<name>\n  id = %q\n}", kind, name, strings.Join(ids, ", "), resourceType, ids[0], resourceType, ids[0])
}

// runCreate runs spec's create, adopting an object that an earlier
// attempt made. When that fails it reports it (summary, and attempted:
// what was being done) with what to do, keeps the id in state if the
// object may exist, and returns ok false: the caller stops. Otherwise
// result.Object is the object as the plan wants it.
func runCreate[T any](ctx context.Context, spec createSpec[T], resp *resource.CreateResponse, summary, attempted string) (_ createResult[T], ok bool) {
	result := createWithClientID(ctx, spec)
	if result.Err != nil {
		if result.MayExist {
			keepCreatedID(ctx, resp, spec, result.AnsweredAt)
		}
		addAPIError(&resp.Diagnostics, summary, attempted, result.Err, spec.failureHint(ctx, result))
		return result, false
	}
	if !result.Adopted {
		return result, true
	}
	obj, err := spec.Adopt(ctx)
	if err != nil {
		keepCreatedID(ctx, resp, spec, time.Time{})
		addAPIError(&resp.Diagnostics, "Unable to Update "+titleCase(spec.Kind),
			fmt.Sprintf("Updating %s %q, which an earlier create %s, to the configuration", spec.Kind, spec.Name, spec.Made), err,
			spec.AdoptFailedHint)
		return result, false
	}
	result.Object = obj
	return result, true
}

// keepCreatedID saves the id (and spec.KeptAttributes) of an object a
// failed create may have made, so that it is never orphaned: Terraform
// marks it tainted, and the next apply checks and replaces it. A non-zero
// answeredAt starts the consistency window: a refresh within the lag
// waits before taking a 404 as "never made".
func keepCreatedID[T any](ctx context.Context, resp *resource.CreateResponse, spec createSpec[T], answeredAt time.Time) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), spec.ID)...)
	if !answeredAt.IsZero() {
		resp.Diagnostics.Append(markWrittenAt(ctx, resp.Private, answeredAt)...)
	}
	for name, value := range spec.KeptAttributes {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), value)...)
	}
}

// failureHint says what to do about a failed create: that it is tracked,
// when its outcome is unknown; for a name conflict, how to resolve it
// (an import, unless the holder of the name is managed here already).
func (spec createSpec[T]) failureHint(ctx context.Context, result createResult[T]) string {
	if result.MayExist {
		return mayExistHint(spec.Kind, spec.ID) + spec.MayExistNote
	}
	if !errors.Is(result.Err, marketplace.ErrConflict) {
		return ""
	}
	var ids []string
	if spec.IDsByName != nil {
		ids, _ = spec.IDsByName(ctx)
	}
	if hint := managedConflictHint(spec.Lookups, spec.Kind, spec.Name, "", "", ids); hint != "" {
		return hint
	}
	return importHint(spec.ResourceType, spec.Kind, spec.Name, ids)
}

// The data product's create has a step after the create itself (the
// suspension), and its deletion_protection must not block the
// replacement of a product that a failed create leaves in state.

// failedCreateDeletionProtection is the deletion_protection saved with a
// product that a failed create leaves in state. Terraform marks it tainted
// and the next apply replaces it, which its protection must not refuse: it
// never matched the configuration and was never handed over, and the
// replacement carries the configured value.
const failedCreateDeletionProtection = false

// undoCreate handles a create whose follow-up call failed: the product
// exists but is not what the configuration says. It is deleted again so
// that the next apply starts afresh; if even that fails, it stays in
// state (to be replaced) so that nothing is left untracked.
func (r *dataProductResource) undoCreate(ctx context.Context, plan *dataProductResourceModel, product *marketplace.DataProduct,
	sources []string, cause error, resp *resource.CreateResponse,
) {
	id := product.ID
	attempted := fmt.Sprintf("Data product %q (%s) was published, but suspending it", plan.Name.ValueString(), id)
	err := r.client.DeleteDataProduct(ctx, id)
	if err == nil || errors.Is(err, marketplace.ErrNotFound) {
		addAPIError(&resp.Diagnostics, "Unable to Suspend New Data Product", attempted, cause,
			"The product was deleted again, because the configuration asks for it suspended; no access was requested "+
				"in between. Apply again to retry.")
		return
	}
	addAPIError(&resp.Diagnostics, "Unable to Suspend New Data Product", attempted, cause)
	addAPIError(&resp.Diagnostics, "Unable to Remove Unsuspended Data Product",
		fmt.Sprintf("Deleting data product %s, which was published but could not be suspended,", id), err,
		"The product exists and is NOT suspended. Terraform keeps it in state (marked tainted) so that it is not "+
			"lost, and the next apply replaces it (its deletion_protection is off, as it never matched the configuration; "+
			"the replacement takes the configured value). Suspend it in the Marketplace app now if access must not be granted.")
	resp.Diagnostics.Append(plan.setFromAPI(ctx, productReads{Product: product, DataSourceIDs: sources, Forms: plannedForms(plan)})...)
	plan.DeletionProtection = types.BoolValue(failedCreateDeletionProtection)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}
