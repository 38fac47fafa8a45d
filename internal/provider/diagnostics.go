package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// addAPIError reports a failed API call: what was attempted, the HTTP
// status and the service's message, and what the user can do about it.
// extraHints, if any, come before the generic hint for the status.
func addAPIError(diags *diag.Diagnostics, summary, attempted string, err error, extraHints ...string) {
	var b strings.Builder
	b.WriteString(attempted)
	b.WriteString(" failed.\n\n")
	b.WriteString(err.Error())
	for _, h := range extraHints {
		if h != "" {
			b.WriteString("\n\n" + h)
		}
	}
	if h := hintFor(err); h != "" {
		b.WriteString("\n\n" + h)
	}
	diags.AddError(summary, b.String())
}

// hintFor says what to do about an API error, by status.
func hintFor(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "The operation ran out of time. Raise the resource's timeouts (for example `timeouts = { create = \"20m\" }`) or retry."
	}
	if errors.Is(err, context.Canceled) {
		return "The operation was cancelled."
	}
	var transportErr *marketplace.TransportError
	if errors.As(err, &transportErr) {
		return "The Marketplace API could not be reached. Check the network and the provider's `region` or `endpoint`."
	}
	var apiErr *marketplace.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	switch code := apiErr.StatusCode; {
	case code == http.StatusUnauthorized:
		return "The Marketplace did not accept the token. Check that the provider's `token` (or " + EnvToken + ") is a valid, " +
			"unexpired Marketplace personal access token, and that `region` (or `endpoint`) is the global segment the " +
			"tenant lives in: a token from one region is refused by the others."
	case code == http.StatusForbidden:
		return "The token's user lacks a permission for this action. Managing data products and request forms needs the " +
			"GOVERNANCE permission or Manage Data Products in the domain."
	case code == http.StatusBadRequest:
		return "The Marketplace rejected the request; its message above names the value to fix."
	case code == http.StatusTooManyRequests:
		return "The Marketplace kept rate-limiting the request. Retry later, raise the provider's `max_retries`, or run " +
			"Terraform with a lower `-parallelism`."
	case code >= 500:
		return "The Marketplace failed to handle the request. Retry later; if it persists, give Immuta support the time " +
			"and any request id above."
	}
	return ""
}

// outcomeUnknown reports whether a failed write may nevertheless have been
// carried out: there was no response, or the service failed or was still
// rate-limiting after every retry.
func outcomeUnknown(err error) bool {
	var apiErr *marketplace.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500 || apiErr.StatusCode == http.StatusTooManyRequests
	}
	return true
}

// managedConflictHint explains a name conflict with an object that this
// configuration manages already (another of its resources planned it in
// this process), which must not be imported: two resources swapping
// names, or an object renamed outside Terraform on its way back to its
// configured name. selfID and selfName are the object being renamed
// ("" for a create); holders are the ids of the objects with name. It is
// "" when no holder is managed here.
func managedConflictHint(l *lookupCache, kind, name, selfID, selfName string, holders []string) string {
	for _, other := range holders {
		if other == selfID {
			continue
		}
		m, ok := l.managedHere(other)
		if !ok {
			continue
		}
		switch {
		case selfName != "" && m.Planned == selfName && m.Name == name:
			return fmt.Sprintf("The %[1]s %[2]s, which holds the name %[3]q, is managed by this configuration too and is "+
				"planned to take this one's name, %[4]q: two resources swap names, and since names are unique neither rename "+
				"can go first, so the apply never converges. Rename one of them through a temporary name in a separate apply: "+
				"first apply with this one named, say, %[5]q, then apply the final names.",
				kind, other, name, selfName, selfName+" (renaming)")
		case m.Planned != m.Name:
			return fmt.Sprintf("The %s %s, which holds the name %q, is managed by this configuration too (it is in state, "+
				"named %q there, perhaps renamed outside Terraform) and is planned to be renamed to %q. Nothing needs "+
				"importing: apply again once that rename has been made, or give the two resources different names.",
				kind, other, name, m.Name, m.Planned)
		default:
			return fmt.Sprintf("The %s %s, which holds the name %q, is already managed by this configuration (another "+
				"resource has it in state), so it must not be imported again. Give this resource another name, or remove "+
				"one of the two resources.", kind, other, name)
		}
	}
	return ""
}
