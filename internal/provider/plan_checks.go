package provider

// Plan-time checks of what a configuration refers to: the users, groups
// and attributes a review flow names, a product's subject matter expert
// and the data use agreements of a form. Each is looked up through the
// client's lookupCache, once per provider process. A lookup that fails
// (a token without the permission to list users, a network error) is left
// to the apply, where the service checks the same.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// lookupSkipped logs a plan-time lookup that could not be made.
func lookupSkipped(ctx context.Context, what string, err error) {
	tflog.Debug(ctx, "Could not check "+what+" at plan time; the apply will", map[string]any{"error": err.Error()})
}

// checkUserExists refuses a global user id no user has.
func checkUserExists(ctx context.Context, l *lookupCache, at path.Path, id string, diags *diag.Diagnostics) {
	if l == nil || !lowerCaseUUIDPattern.MatchString(id) {
		return // the attribute's validator reports a malformed id
	}
	users, err := l.users(ctx)
	if err != nil {
		lookupSkipped(ctx, "the users", err)
		return
	}
	if found, certain := users.has(id); !found && certain {
		diags.AddAttributeError(at, "Unknown User",
			fmt.Sprintf("Attribute %s: no user has the global user id %s. Look users up with data.immuta_user or "+
				"data.immuta_users (their global_user_id).", at, id))
	}
}

// checkAgreementsExist refuses data use agreement ids that name no
// agreement. An agreement this process created is not asked about.
func checkAgreementsExist(ctx context.Context, l *lookupCache, at path.Path, ids types.Set, diags *diag.Diagnostics) {
	if l == nil || ids.IsNull() || ids.IsUnknown() {
		return
	}
	for _, v := range ids.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() || s.IsNull() || !lowerCaseUUIDPattern.MatchString(s.ValueString()) {
			continue
		}
		id := s.ValueString()
		found, err := exists(ctx, l, "data use agreement", id, l.client.GetDataUseAgreement)
		if err != nil {
			lookupSkipped(ctx, "the data use agreements", err)
			return
		}
		if !found {
			diags.AddAttributeError(at, "Unknown Data Use Agreement",
				fmt.Sprintf("Attribute %s: no data use agreement has the id %s. Use an immuta_data_use_agreement's id, or "+
					"look one up with data.immuta_data_use_agreement.", at, id))
		}
	}
}

// checkFlowReferences refuses the users, groups and attributes a review
// flow names that the service does not know. flowAt and jsonAt are the
// typed and the JSON attribute; the one that is set is checked, once it
// is wholly known.
func checkFlowReferences(ctx context.Context, l *lookupCache, flowAt, jsonAt path.Path, flow types.Object, policyJSON jsontypes.Normalized, diags *diag.Diagnostics) {
	if l == nil || policyJSON.IsUnknown() || flow.IsUnknown() || (flow.IsNull() && policyJSON.IsNull()) {
		return
	}
	typed := policyJSON.IsNull()
	if typed {
		if v, err := flow.ToTerraformValue(ctx); err != nil || !v.IsFullyKnown() {
			return
		}
	}
	raw, d := policyFromAttributes(ctx, flow, policyJSON)
	if d.HasError() {
		return
	}
	var policy marketplace.Policy
	if json.Unmarshal(raw, &policy) != nil {
		return // the attribute's validator reports it
	}
	type eventAt struct {
		event marketplace.PolicyEvent
		at    string // where in the JSON document
	}
	events := []eventAt{{policy.DefaultEvent, "defaultEvent"}}
	for i, r := range policy.Rules {
		events = append(events, eventAt{r.Event, fmt.Sprintf("rules[%d].event", i)})
	}
	for _, ev := range events {
		if ev.event.Type != marketplace.EventReview || ev.event.Params == nil {
			continue
		}
		for i, stage := range ev.event.Params.Stages {
			for j, a := range stage.Approvers() {
				at, where := jsonAt, fmt.Sprintf("%s.params.stages[%d].%s[%d]", ev.at, i, stage.Mode(), j)
				if typed {
					at, where = flowAt.AtName("review").AtName("stages").AtListIndex(i), ""
				}
				checkApprover(ctx, l, at, where, a, diags)
			}
		}
	}
}

// checkApprover looks up one approver. where names it inside a JSON
// document ("" for the typed flow).
func checkApprover(ctx context.Context, l *lookupCache, at path.Path, where string, a marketplace.Approver, diags *diag.Diagnostics) {
	in := ""
	if where != "" {
		in = " (" + where + ")"
	}
	switch a.Type {
	case marketplace.ApproverUser:
		users, err := l.users(ctx)
		if err != nil {
			lookupSkipped(ctx, "the users", err)
			return
		}
		if where == "" {
			at = at.AtName("user_ids")
		}
		if found, certain := users.has(a.UserID); !found && certain {
			diags.AddAttributeError(at, "Unknown User",
				fmt.Sprintf("Attribute %s%s: no user has the global user id %s. Look users up with data.immuta_user or "+
					"data.immuta_users (their global_user_id).", at, in, a.UserID))
		}
	case marketplace.ApproverGroup:
		groups, err := l.groups(ctx)
		if err != nil {
			lookupSkipped(ctx, "the groups", err)
			return
		}
		if where == "" {
			at = at.AtName("groups")
		}
		key, desc := groupKey{Name: a.Name, ID: -1}, fmt.Sprintf("named %q", a.Name)
		if a.GroupID != nil {
			key.ID, desc = *a.GroupID, fmt.Sprintf("named %q with the id %d", a.Name, *a.GroupID)
		}
		if found, certain := groups.has(key); !found && certain {
			diags.AddAttributeError(at, "Unknown Group",
				fmt.Sprintf("Attribute %s%s: no group is %s. Look groups up with data.immuta_groups.", at, in, desc))
		}
	case marketplace.ApproverAttribute:
		attrs, err := l.attributes(ctx)
		if err != nil {
			lookupSkipped(ctx, "the attributes", err)
			return
		}
		if where == "" {
			at = at.AtName("attributes")
		}
		if found, certain := attrs.has(marketplace.Attribute{Type: a.Key, Value: a.Value}); !found && certain {
			diags.AddAttributeError(at, "Unknown Attribute",
				fmt.Sprintf("Attribute %s%s: no user attribute %q has the value %q. Attributes and their values come from "+
					"the identity manager; GET /api/metadata/attributes lists them.", at, in, a.Key, a.Value))
		}
	}
}
