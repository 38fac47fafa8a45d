package provider

// The review-flow policy document as JSON: comparison by meaning,
// canonical rendering, and the plan-time check of the JSON escape hatch
// against the contract's policy shape.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// How policiesEquivalent compares: as the typed form sees documents, or
// as JSON (a missing "rules" aside).
const (
	policyCompareTyped = true
	policyComparePlain = false
)

// policiesEquivalent compares two policy documents by meaning: key order,
// white space and number spelling do not matter, nor does a missing
// "rules" (the service requires it; [] is meant), nor a "version" only
// one of them has (the service may fill one in). With typed, "version"
// never matters and the order of each stage's approvers does not either
// (the typed form holds them as sets). Anything that is not JSON is
// equivalent to nothing.
func policiesEquivalent(a, b []byte, typed bool) bool {
	ca, okA := canonicalPolicy(a, typed)
	cb, okB := canonicalPolicy(b, typed)
	if !okA || !okB {
		return false
	}
	oa, isObjA := ca.(map[string]any)
	ob, isObjB := cb.(map[string]any)
	if isObjA && isObjB {
		_, hasA := oa["version"]
		_, hasB := ob["version"]
		if hasA != hasB {
			delete(oa, "version")
			delete(ob, "version")
		}
	}
	return reflect.DeepEqual(ca, cb)
}

func canonicalPolicy(raw []byte, typed bool) (any, bool) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return nil, false
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return doc, true
	}
	if _, has := obj["rules"]; !has {
		obj["rules"] = []any{}
	}
	if !typed {
		return obj, true
	}
	delete(obj, "version")
	ev, _ := obj["defaultEvent"].(map[string]any)
	params, _ := ev["params"].(map[string]any)
	stages, _ := params["stages"].([]any)
	for _, st := range stages {
		stage, _ := st.(map[string]any)
		for _, list := range stage {
			if approvers, ok := list.([]any); ok {
				sortApprovers(approvers)
			}
		}
	}
	return obj, true
}

// sortApprovers orders a stage's approvers by their JSON, for a
// comparison in which their order does not matter.
func sortApprovers(approvers []any) {
	sort.SliceStable(approvers, func(i, j int) bool {
		ki, _ := json.Marshal(approvers[i])
		kj, _ := json.Marshal(approvers[j])
		return string(ki) < string(kj)
	})
}

// canonicalJSON renders a JSON document as Terraform's jsonencode()
// does (sorted keys, no white space), so that a configuration written
// with jsonencode() matches what an import reads. Anything that is not
// JSON is returned as it is.
func canonicalJSON(raw []byte) string {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return string(raw)
	}
	out, err := json.Marshal(plainNumbers(doc))
	if err != nil {
		return string(raw)
	}
	return string(out)
}

// plainNumbers rewrites every number as jsonencode() writes it: in
// decimal, without exponent or trailing zeros (1.50 is 1.5, 1e3 is 1000).
func plainNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = plainNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = plainNumbers(e)
		}
	case json.Number:
		if f, ok := new(big.Float).SetPrec(512).SetString(x.String()); ok {
			return json.Number(f.Text('f', -1))
		}
	}
	return v
}

// policyDocumentValidator checks a policy document at plan time against
// the contract's policy shape: required keys, event types and their
// params, approver types and enums, duration and durationUnit, and the
// properties the contract forbids. The zero value checks a data
// product's own review flow, whose default event may only be approve or
// review.
type policyDocumentValidator struct {
	// requestForm admits every event type as the default event.
	requestForm bool
}

func (v policyDocumentValidator) Description(context.Context) string {
	return `must be a review-flow policy document: {"rules": [{"conditions": ..., "event": ...}], "defaultEvent": {...}} ` +
		`with events of type approve, deny, review or dataProductPolicy`
}

func (v policyDocumentValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v policyDocumentValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	problems := checkPolicyDocument([]byte(req.ConfigValue.ValueString()), v.requestForm)
	if len(problems) == 0 {
		return
	}
	const shown = 5
	more := ""
	if len(problems) > shown {
		more = fmt.Sprintf(" (and %d more)", len(problems)-shown)
		problems = problems[:shown]
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Policy Document",
		fmt.Sprintf("Attribute %s is not a valid review-flow policy document: %s%s.", req.Path, strings.Join(problems, "; "), more))
}

// policyChecker collects the problems of a document; at names the place,
// as in defaultEvent.params.stages[0].any[1].type.
type policyChecker struct{ problems []string }

func (c *policyChecker) add(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// checkPolicyDocument lists what is wrong with a policy document.
func checkPolicyDocument(raw []byte, requestForm bool) []string {
	var c policyChecker
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return []string{"it is not JSON (" + err.Error() + ")"}
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return []string{"it must be a JSON object"}
	}
	c.onlyKeys(obj, "the document", "version", "rules", "defaultEvent")
	if v, has := obj["version"]; has {
		if _, ok := v.(string); !ok {
			c.add(`"version" must be a string`)
		}
	}
	switch rules := obj["rules"].(type) {
	case nil:
		c.add(`"rules" is required (use [] for none)`)
	case []any:
		for i, r := range rules {
			c.rule(r, fmt.Sprintf("rules[%d]", i), requestForm)
		}
	default:
		c.add(`"rules" must be an array`)
	}
	allowed := marketplace.EventTypes
	if !requestForm {
		allowed = marketplace.DataProductDefaultEventTypes
	}
	if ev, has := obj["defaultEvent"]; has {
		c.event(ev, "defaultEvent", allowed)
	} else {
		c.add(`"defaultEvent" is required`)
	}
	return c.problems
}

func (c *policyChecker) rule(v any, at string, requestForm bool) {
	r, ok := v.(map[string]any)
	if !ok {
		c.add("%s must be an object", at)
		return
	}
	c.onlyKeys(r, at, "conditions", "event")
	switch cond := r["conditions"].(type) {
	case nil:
		c.add("%s.conditions is required", at)
	case map[string]any:
		var keys []string
		for k := range cond {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) != 1 || !slices.Contains([]string{"all", "any", "not"}, keys[0]) {
			c.add("%s.conditions must have exactly one property, all, any or not (it has %s)", at, quotedList(keys))
		} else if keys[0] != "not" {
			if _, ok := cond[keys[0]].([]any); !ok {
				c.add("%s.conditions.%s must be an array", at, keys[0])
			}
		}
	default:
		c.add("%s.conditions must be an object", at)
	}
	if ev, has := r["event"]; has {
		allowed := marketplace.EventTypes
		if !requestForm {
			// A data product's own flow has nothing to delegate to.
			allowed = []string{marketplace.EventApprove, marketplace.EventDeny, marketplace.EventReview}
		}
		c.event(ev, at+".event", allowed)
	} else {
		c.add("%s.event is required", at)
	}
}

func (c *policyChecker) event(v any, at string, allowed []string) {
	e, ok := v.(map[string]any)
	if !ok {
		c.add("%s must be an object", at)
		return
	}
	typ, ok := e["type"].(string)
	if !ok {
		c.add("%s.type is required: one of %s", at, quotedList(allowed))
		return
	}
	if !slices.Contains(allowed, typ) {
		c.add("%s.type %q must be one of %s", at, typ, quotedList(allowed))
		return
	}
	if typ == marketplace.EventDataProductPolicy {
		c.onlyKeys(e, at, "type")
		return
	}
	c.onlyKeys(e, at, "type", "params")
	params, has := e["params"]
	if !has {
		c.add("%s.params is required for a %s event", at, typ)
		return
	}
	p, ok := params.(map[string]any)
	if !ok {
		c.add("%s.params must be an object", at)
		return
	}
	at += ".params"
	switch typ {
	case marketplace.EventApprove:
		c.approveParams(p, at)
	case marketplace.EventDeny:
		c.onlyKeys(p, at, "comment")
		c.optionalString(p, "comment", at)
	case marketplace.EventReview:
		c.onlyKeys(p, at, "stages")
		stages, ok := p["stages"].([]any)
		if !ok {
			c.add("%s.stages is required: an array of stages", at)
			return
		}
		for i, st := range stages {
			c.stage(st, fmt.Sprintf("%s.stages[%d]", at, i))
		}
	}
}

// approveParams checks the params of an approve event.
func (c *policyChecker) approveParams(p map[string]any, at string) {
	for _, k := range sortedKeys(p) {
		if !slices.Contains([]string{"comment", "duration", "durationUnit"}, k) {
			c.add("%s.%s is not allowed (an approve event takes comment, duration and durationUnit)", at, k)
		}
	}
	c.optionalString(p, "comment", at)
	if d, has := p["duration"]; has {
		n, ok := d.(json.Number)
		f, err := n.Float64()
		switch {
		case !ok || err != nil:
			c.add("%s.duration must be a number", at)
		case f < 1:
			c.add("%s.duration must be at least 1", at)
		}
	}
	if u, has := p["durationUnit"]; has {
		if s, ok := u.(string); !ok || !slices.Contains(marketplace.DurationUnits, s) {
			c.add("%s.durationUnit must be one of %s", at, quotedList(marketplace.DurationUnits))
		}
	}
}

func (c *policyChecker) stage(v any, at string) {
	s, ok := v.(map[string]any)
	if !ok {
		c.add("%s must be an object", at)
		return
	}
	c.onlyKeys(s, at, marketplace.StageAll, marketplace.StageAny)
	_, hasAll := s[marketplace.StageAll]
	_, hasAny := s[marketplace.StageAny]
	if hasAll == hasAny {
		c.add(`%s must have exactly one of "all" and "any"`, at)
		return
	}
	mode := marketplace.StageAll
	if hasAny {
		mode = marketplace.StageAny
	}
	list, ok := s[mode].([]any)
	if !ok || len(list) == 0 {
		c.add("%s.%s must be an array of at least 1 approver", at, mode)
		return
	}
	for i, a := range list {
		c.approver(a, fmt.Sprintf("%s.%s[%d]", at, mode, i))
	}
}

func (c *policyChecker) approver(v any, at string) {
	a, ok := v.(map[string]any)
	if !ok {
		c.add("%s must be an object", at)
		return
	}
	typ, _ := a["type"].(string)
	if keys, ok := approverKeys[typ]; ok {
		c.onlyKeys(a, at, append([]string{"type"}, keys...)...)
	}
	switch typ {
	case marketplace.ApproverUser:
		c.requiredString(a, "id", at)
		c.optionalString(a, "displayName", at)
	case marketplace.ApproverGroup:
		c.requiredString(a, "name", at)
		c.optionalString(a, "iamId", at)
		if id, has := a["id"]; has {
			if _, ok := id.(json.Number); !ok {
				c.add("%s.id must be a number (the group's id)", at)
			}
		}
	case marketplace.ApproverPermission:
		c.enum(a, "permission", at, marketplace.GlobalPermissions)
	case marketplace.ApproverDomainPermission:
		c.enum(a, "permission", at, marketplace.DomainPermissions)
		c.optionalString(a, "domainId", at)
	case marketplace.ApproverAttribute:
		c.requiredString(a, "key", at)
		c.requiredString(a, "value", at)
	case marketplace.ApproverCatalogPermission:
	default:
		c.add("%s.type must be one of %s", at, quotedList(marketplace.ApproverTypes))
	}
}

// approverKeys are the properties of each approver type.
var approverKeys = map[string][]string{
	marketplace.ApproverUser:              {"id", "displayName"},
	marketplace.ApproverGroup:             {"id", "iamId", "name"},
	marketplace.ApproverPermission:        {"permission"},
	marketplace.ApproverDomainPermission:  {"permission", "domainId"},
	marketplace.ApproverAttribute:         {"key", "value"},
	marketplace.ApproverCatalogPermission: {},
}

// onlyKeys reports the properties of m that are not among keys: the
// service does not keep them, so they would show as a change on every
// plan.
func (c *policyChecker) onlyKeys(m map[string]any, at string, keys ...string) {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(keys, k) {
			c.add("%s has an unknown property %q (it takes %s)", at, k, quotedList(keys))
		}
	}
}

func (c *policyChecker) requiredString(m map[string]any, key, at string) {
	if _, ok := m[key].(string); !ok {
		c.add("%s.%s is required: a string", at, key)
	}
}

func (c *policyChecker) optionalString(m map[string]any, key, at string) {
	if v, has := m[key]; has {
		if _, ok := v.(string); !ok {
			c.add("%s.%s must be a string", at, key)
		}
	}
}

func (c *policyChecker) enum(m map[string]any, key, at string, values []string) {
	if s, ok := m[key].(string); !ok || !slices.Contains(values, s) {
		c.add("%s.%s must be one of %s", at, key, quotedList(values))
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// quotedList renders values as "a", "b", "c".
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
