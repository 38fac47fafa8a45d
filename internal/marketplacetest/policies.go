package marketplacetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Review-flow policy vocabulary (see the package documentation).
const (
	EventApprove         = "approve"
	EventRequestApproval = "requestApproval"
	EventDelegate        = "delegate"

	ApproverUser             = "USER"
	ApproverGroup            = "GROUP"
	ApproverAttribute        = "ATTRIBUTE"
	ApproverPermission       = "PERMISSION"
	ApproverDomainPermission = "DOMAIN_PERMISSION"

	ApprovalModeAll = "ALL"
	ApprovalModeAny = "ANY"
)

// DurationUnits are the units of an access duration, in the order the
// service lists them.
var DurationUnits = []string{"HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS"}

// GlobalPermissions are the Immuta permissions a PERMISSION approver may
// name.
var GlobalPermissions = []string{"APPLICATION_ADMIN", "AUDIT", "CREATE_DATA_SOURCE", "CREATE_PROJECT", "GOVERNANCE", "USER_ADMIN"}

// DomainPermissions are the domain permissions a DOMAIN_PERMISSION
// approver may name; the steward must hold it in the data product's domain.
var DomainPermissions = []string{"AUDIT_ACTIVITY", "MANAGE_DATA_METADATA", "MANAGE_DATA_PRODUCTS", "MANAGE_POLICIES"}

// Policy is a review-flow document, in the json-rules-engine style: rules
// are tried in order and the first whose conditions hold decides;
// otherwise DefaultEvent does.
type Policy struct {
	Version      string       `json:"version"`
	Rules        []PolicyRule `json:"rules"`
	DefaultEvent PolicyEvent  `json:"defaultEvent"`
}

// PolicyRule is one rule of a Policy.
type PolicyRule struct {
	Conditions PolicyConditions `json:"conditions"`
	Event      PolicyEvent      `json:"event"`
}

// PolicyConditions holds exactly one of All and Any. A nil slice pointer
// is absent; an empty slice is rendered as [].
type PolicyConditions struct {
	All *[]PolicyCondition `json:"all,omitempty"`
	Any *[]PolicyCondition `json:"any,omitempty"`
}

// PolicyCondition compares a fact of the request with a value.
type PolicyCondition struct {
	Fact     string `json:"fact"`
	Operator string `json:"operator"`
	// Value is any JSON value; numbers are json.Number.
	Value any `json:"value"`
}

// PolicyEvent is what a rule, or the policy by default, decides.
type PolicyEvent struct {
	Type   string       `json:"type"`
	Params *EventParams `json:"params,omitempty"`
}

// EventParams are the parameters of an event: Comment, Duration and
// DurationUnit for "approve"; Approvers and ApprovalMode for
// "requestApproval"; none for "delegate".
type EventParams struct {
	Comment      string     `json:"comment,omitempty"`
	Duration     int        `json:"duration,omitempty"`
	DurationUnit string     `json:"durationUnit,omitempty"`
	Approvers    []Approver `json:"approvers,omitempty"`
	ApprovalMode string     `json:"approvalMode,omitempty"`
}

// Approver names a source of data stewards.
type Approver struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Delegates reports whether the policy leaves the review flow to each
// data product.
func (p Policy) Delegates() bool { return p.DefaultEvent.Type == EventDelegate }

func (p Policy) clone() Policy {
	out := p
	out.Rules = make([]PolicyRule, len(p.Rules))
	for i, r := range p.Rules {
		out.Rules[i] = PolicyRule{Conditions: r.Conditions.clone(), Event: r.Event.clone()}
	}
	out.DefaultEvent = p.DefaultEvent.clone()
	return out
}

func (c PolicyConditions) clone() PolicyConditions {
	cp := func(s *[]PolicyCondition) *[]PolicyCondition {
		if s == nil {
			return nil
		}
		v := slices.Clone(*s)
		if v == nil {
			v = []PolicyCondition{}
		}
		return &v
	}
	return PolicyConditions{All: cp(c.All), Any: cp(c.Any)}
}

func (e PolicyEvent) clone() PolicyEvent {
	if e.Params == nil {
		return e
	}
	params := *e.Params
	params.Approvers = slices.Clone(e.Params.Approvers)
	return PolicyEvent{Type: e.Type, Params: &params}
}

// jsonObject decodes raw as a JSON object, reporting it (under at) when it
// is not one, and reporting each property outside allowed. It returns nil
// when raw is not an object.
func jsonObject(raw json.RawMessage, at string, msgs *checks, allowed ...string) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		msgs.add("%s must be an object", at)
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			msgs.add("property %s.%s should not exist", at, k)
		}
	}
	return m
}

// present reports whether an object has a key whose value is not null.
func present(m map[string]json.RawMessage, key string) bool {
	v, ok := m[key]
	return ok && !isJSONNull(v)
}

func isJSONNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// jsonString reads a string property; a missing or null one is "" and
// false, with the message "<at> must be a string" only when required.
func jsonString(m map[string]json.RawMessage, key, at string, required bool, msgs *checks) (string, bool) {
	if !present(m, key) {
		if required {
			msgs.add("%s should not be empty", at)
			msgs.add("%s must be a string", at)
		}
		return "", false
	}
	var s string
	if err := json.Unmarshal(m[key], &s); err != nil {
		msgs.add("%s must be a string", at)
		return "", false
	}
	return s, true
}

// jsonArray reads an array property. A missing or null one is nil, false.
func jsonArray(m map[string]json.RawMessage, key, at string, msgs *checks) ([]json.RawMessage, bool) {
	if !present(m, key) {
		return nil, false
	}
	var a []json.RawMessage
	if err := json.Unmarshal(m[key], &a); err != nil {
		msgs.add("%s must be an array", at)
		return nil, false
	}
	if a == nil {
		a = []json.RawMessage{}
	}
	return a, true
}

// policyOptions says where a policy document is used.
type policyOptions struct {
	// allowDelegate admits {"type":"delegate"} as the default event of a
	// policy without rules: a request form's "Delegate to data product".
	allowDelegate bool
}

// checkPolicy validates a review-flow policy document found at at (such
// as "policy") and returns it in its stored form. Approver ids are
// checked against the fixture. The fixture never changes while the
// server runs, so no lock is needed.
func (s *Server) checkPolicy(raw json.RawMessage, at string, opts policyOptions, msgs *checks) Policy {
	var p Policy
	obj := jsonObject(raw, at, msgs, "version", "rules", "defaultEvent")
	if obj == nil {
		return p
	}
	if v, ok := jsonString(obj, "version", at+".version", true, msgs); ok {
		if strings.TrimSpace(v) == "" {
			msgs.add("%s.version should not be empty", at)
		}
		p.Version = v
	}
	p.Rules = []PolicyRule{}
	if rules, ok := jsonArray(obj, "rules", at+".rules", msgs); ok {
		for i, r := range rules {
			p.Rules = append(p.Rules, s.checkRule(r, fmt.Sprintf("%s.rules.%d", at, i), msgs))
		}
	}
	if !present(obj, "defaultEvent") {
		msgs.add("%s.defaultEvent should not be empty", at)
		return p
	}
	p.DefaultEvent = s.checkEvent(obj["defaultEvent"], at+".defaultEvent", true, msgs)
	if p.DefaultEvent.Type == EventDelegate {
		switch {
		case !opts.allowDelegate:
			msgs.add("%s.defaultEvent.type %s is only allowed in a request form's policy", at, EventDelegate)
		case len(p.Rules) > 0:
			msgs.add("%s.rules must be empty when the default event is %s", at, EventDelegate)
		}
	}
	return p
}

func (s *Server) checkRule(raw json.RawMessage, at string, msgs *checks) PolicyRule {
	var r PolicyRule
	obj := jsonObject(raw, at, msgs, "conditions", "event")
	if obj == nil {
		return r
	}
	if !present(obj, "conditions") {
		msgs.add("%s.conditions should not be empty", at)
	} else if cond := jsonObject(obj["conditions"], at+".conditions", msgs, "all", "any"); cond != nil {
		all, hasAll := s.checkConditions(cond, "all", at+".conditions.all", msgs)
		anyOf, hasAny := s.checkConditions(cond, "any", at+".conditions.any", msgs)
		switch {
		case hasAll && hasAny:
			msgs.add("%s.conditions must have either all or any, not both", at)
		case !hasAll && !hasAny:
			msgs.add("%s.conditions must have all or any", at)
		case hasAll:
			r.Conditions.All = &all
		default:
			r.Conditions.Any = &anyOf
		}
	}
	if !present(obj, "event") {
		msgs.add("%s.event should not be empty", at)
		return r
	}
	r.Event = s.checkEvent(obj["event"], at+".event", false, msgs)
	return r
}

func (s *Server) checkConditions(obj map[string]json.RawMessage, key, at string, msgs *checks) ([]PolicyCondition, bool) {
	items, ok := jsonArray(obj, key, at, msgs)
	if !ok {
		return nil, false
	}
	out := []PolicyCondition{}
	for i, raw := range items {
		cat := fmt.Sprintf("%s.%d", at, i)
		c := jsonObject(raw, cat, msgs, "fact", "operator", "value")
		if c == nil {
			continue
		}
		var pc PolicyCondition
		for _, f := range []struct {
			key string
			dst *string
		}{{"fact", &pc.Fact}, {"operator", &pc.Operator}} {
			if v, ok := jsonString(c, f.key, cat+"."+f.key, true, msgs); ok {
				if strings.TrimSpace(v) == "" {
					msgs.add("%s.%s should not be empty", cat, f.key)
				}
				*f.dst = v
			}
		}
		if v, ok := c["value"]; !ok {
			msgs.add("%s.value should not be empty", cat)
		} else {
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			_ = dec.Decode(&pc.Value) // v is valid JSON: it came out of an object
		}
		out = append(out, pc)
	}
	return out, true
}

// checkEvent validates an event. isDefault admits "delegate" here; the
// caller decides whether delegation is allowed.
func (s *Server) checkEvent(raw json.RawMessage, at string, isDefault bool, msgs *checks) PolicyEvent {
	var e PolicyEvent
	obj := jsonObject(raw, at, msgs, "type", "params")
	if obj == nil {
		return e
	}
	typ, ok := jsonString(obj, "type", at+".type", true, msgs)
	if !ok {
		return e
	}
	allowed := []string{EventApprove, EventRequestApproval}
	if isDefault {
		allowed = append(allowed, EventDelegate)
	}
	if !slices.Contains(allowed, typ) {
		msgs.add("%s.type must be one of the following values: %s", at, strings.Join(allowed, ", "))
		return e
	}
	e.Type = typ
	switch typ {
	case EventDelegate:
		if _, ok := obj["params"]; ok {
			msgs.add("property %s.params should not exist", at)
		}
	case EventApprove:
		params := s.paramsObject(obj, at, msgs, "comment", "duration", "durationUnit")
		if params == nil {
			return e
		}
		e.Params = &EventParams{}
		if v, ok := jsonString(params, "comment", at+".params.comment", true, msgs); ok {
			if strings.TrimSpace(v) == "" {
				msgs.add("%s.params.comment should not be empty", at)
			}
			e.Params.Comment = v
		}
		hasDuration, hasUnit := present(params, "duration"), present(params, "durationUnit")
		if hasDuration {
			var n json.Number
			if err := json.Unmarshal(params["duration"], &n); err != nil {
				msgs.add("%s.params.duration must be an integer number", at)
			} else if d, err := strconv.Atoi(n.String()); err != nil {
				msgs.add("%s.params.duration must be an integer number", at)
			} else if d < 1 {
				msgs.add("%s.params.duration must not be less than 1", at)
			} else {
				e.Params.Duration = d
			}
		}
		if hasUnit {
			if v, ok := jsonString(params, "durationUnit", at+".params.durationUnit", true, msgs); ok {
				if !slices.Contains(DurationUnits, v) {
					msgs.add("%s.params.durationUnit must be one of the following values: %s", at, strings.Join(DurationUnits, ", "))
				}
				e.Params.DurationUnit = v
			}
		}
		if hasDuration != hasUnit {
			msgs.add("%s.params.duration and %s.params.durationUnit must be given together", at, at)
		}
	case EventRequestApproval:
		params := s.paramsObject(obj, at, msgs, "approvers", "approvalMode")
		if params == nil {
			return e
		}
		e.Params = &EventParams{}
		if mode, ok := jsonString(params, "approvalMode", at+".params.approvalMode", true, msgs); ok {
			if mode != ApprovalModeAll && mode != ApprovalModeAny {
				msgs.add("%s.params.approvalMode must be one of the following values: %s, %s", at, ApprovalModeAll, ApprovalModeAny)
			}
			e.Params.ApprovalMode = mode
		}
		approvers, ok := jsonArray(params, "approvers", at+".params.approvers", msgs)
		if (ok && len(approvers) == 0) || (!ok && !present(params, "approvers")) {
			msgs.add("%s.params.approvers must contain at least 1 elements", at)
		}
		seen := map[Approver]bool{}
		for i, raw := range approvers {
			a := s.checkApprover(raw, fmt.Sprintf("%s.params.approvers.%d", at, i), msgs)
			if a.Type == "" {
				continue
			}
			if seen[a] {
				msgs.add("%s.params.approvers.%d is a duplicate of %s %s", at, i, a.Type, a.ID)
			}
			seen[a] = true
			e.Params.Approvers = append(e.Params.Approvers, a)
		}
	}
	return e
}

func (s *Server) paramsObject(event map[string]json.RawMessage, at string, msgs *checks, allowed ...string) map[string]json.RawMessage {
	if !present(event, "params") {
		msgs.add("%s.params should not be empty", at)
		return nil
	}
	return jsonObject(event["params"], at+".params", msgs, allowed...)
}

func (s *Server) checkApprover(raw json.RawMessage, at string, msgs *checks) Approver {
	obj := jsonObject(raw, at, msgs, "type", "id")
	if obj == nil {
		return Approver{}
	}
	typ, okType := jsonString(obj, "type", at+".type", true, msgs)
	id, okID := jsonString(obj, "id", at+".id", true, msgs)
	if !okType || !okID {
		return Approver{}
	}
	switch typ {
	case ApproverUser:
		if _, ok := s.fixture.User(id); !ok {
			msgs.add("%s.id: user %q not found", at, id)
		}
	case ApproverGroup:
		n, err := strconv.Atoi(id)
		if _, ok := s.fixture.Group(n); err != nil || !ok || strconv.Itoa(n) != id {
			msgs.add("%s.id: group %q not found", at, id)
		}
	case ApproverAttribute:
		name, value, found := strings.Cut(id, ":")
		if !found || !s.fixture.hasAttribute(name, value) {
			msgs.add("%s.id: attribute %q not found (expected \"<attribute>:<value>\")", at, id)
		}
	case ApproverPermission:
		if !slices.Contains(GlobalPermissions, id) {
			msgs.add("%s.id must be one of the following values: %s", at, strings.Join(GlobalPermissions, ", "))
		}
	case ApproverDomainPermission:
		if !slices.Contains(DomainPermissions, id) {
			msgs.add("%s.id must be one of the following values: %s", at, strings.Join(DomainPermissions, ", "))
		}
	default:
		msgs.add("%s.type must be one of the following values: %s", at,
			strings.Join([]string{ApproverUser, ApproverGroup, ApproverAttribute, ApproverPermission, ApproverDomainPermission}, ", "))
		return Approver{}
	}
	return Approver{Type: typ, ID: id}
}

// hasAttribute reports whether the fixture knows an attribute value.
func (f *Fixture) hasAttribute(name, value string) bool {
	for _, a := range f.Attributes {
		if a.Type == name && a.Value == value {
			return true
		}
	}
	return false
}
