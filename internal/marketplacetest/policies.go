package marketplacetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Review-flow policy vocabulary (see the package documentation).
const (
	EventApprove           = "approve"
	EventDeny              = "deny"
	EventReview            = "review"
	EventDataProductPolicy = "dataProductPolicy"

	ApproverUser              = "USER"
	ApproverGroup             = "GROUP"
	ApproverPermission        = "PERMISSION"
	ApproverDomainPermission  = "DOMAIN PERMISSION"
	ApproverAttribute         = "ATTRIBUTE"
	ApproverCatalogPermission = "CATALOG PERMISSION"

	// StageAll and StageAny are the keys of a review stage: every
	// approver, or one of them, must decide.
	StageAll = "all"
	StageAny = "any"
)

// EventTypes lists every event type, in the order the service lists them.
var EventTypes = []string{EventApprove, EventDeny, EventReview, EventDataProductPolicy}

// ApproverTypes lists every approver type.
var ApproverTypes = []string{
	ApproverUser, ApproverGroup, ApproverPermission, ApproverDomainPermission, ApproverAttribute, ApproverCatalogPermission,
}

// DurationUnits are the units of an access duration, in the order the
// service lists them.
var DurationUnits = []string{"HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS"}

// GlobalPermissions are the permissions a PERMISSION approver may name.
var GlobalPermissions = []string{"GOVERNANCE", "USER_ADMIN", "AUDIT"}

// DomainPermissions are the permissions a DOMAIN PERMISSION approver may
// name; the approver must hold it in the data product's domain (or in
// DomainID's domain when set).
var DomainPermissions = []string{"Manage Policies", "Audit Activity", "Manage Data Products", "Manage Identifiers"}

// Policy is a review-flow document, in the json-rules-engine style: rules
// are tried in order and the first whose conditions hold decides;
// otherwise DefaultEvent does.
type Policy struct {
	Version      string       `json:"version,omitempty"`
	Rules        []PolicyRule `json:"rules"`
	DefaultEvent PolicyEvent  `json:"defaultEvent"`
}

// MarshalJSON renders rules as [] when there are none.
func (p Policy) MarshalJSON() ([]byte, error) {
	type plain Policy
	if p.Rules == nil {
		p.Rules = []PolicyRule{}
	}
	return json.Marshal(plain(p))
}

// PolicyRule is one rule of a Policy. Conditions ({"all": [...]},
// {"any": [...]} or {"not": ...}) is kept as sent.
type PolicyRule struct {
	Conditions json.RawMessage `json:"conditions"`
	Event      PolicyEvent     `json:"event"`
}

// PolicyEvent is what a rule, or the policy by default, decides. Params
// is nil for dataProductPolicy; for the other events a nil Params is
// rendered as {} (or {"stages":[]}), since the service requires params.
type PolicyEvent struct {
	Type   string
	Params *EventParams
}

// EventParams are the parameters of an event: Comment, Duration and
// DurationUnit for "approve"; Comment for "deny"; Stages for "review".
type EventParams struct {
	Comment      string
	Duration     int
	DurationUnit string
	Stages       []Stage
}

// MarshalJSON renders the params the event's type has, and nothing else.
func (e PolicyEvent) MarshalJSON() ([]byte, error) {
	p := EventParams{}
	if e.Params != nil {
		p = *e.Params
	}
	type approveParams struct {
		Comment      string `json:"comment,omitempty"`
		Duration     int    `json:"duration,omitempty"`
		DurationUnit string `json:"durationUnit,omitempty"`
	}
	type denyParams struct {
		Comment string `json:"comment,omitempty"`
	}
	type reviewParams struct {
		Stages []Stage `json:"stages"`
	}
	out := struct {
		Type   string `json:"type"`
		Params any    `json:"params,omitempty"`
	}{Type: e.Type}
	switch e.Type {
	case EventApprove:
		out.Params = approveParams{Comment: p.Comment, Duration: p.Duration, DurationUnit: p.DurationUnit}
	case EventDeny:
		out.Params = denyParams{Comment: p.Comment}
	case EventReview:
		stages := p.Stages
		if stages == nil {
			stages = []Stage{}
		}
		out.Params = reviewParams{Stages: stages}
	}
	return json.Marshal(out)
}

// Stage is one step of a review: every approver of All, or one of Any,
// must decide. Exactly one is set.
type Stage struct {
	All []Approver `json:"all,omitempty"`
	Any []Approver `json:"any,omitempty"`
}

// Approver is someone who may decide a request. The fields that apply
// depend on Type: USER has UserID and DisplayName; GROUP has GroupID,
// IAMID and Name; PERMISSION and DOMAIN PERMISSION have Permission, and
// DOMAIN PERMISSION DomainID; ATTRIBUTE has Key and Value; CATALOG
// PERMISSION has nothing else. Empty optional fields are not rendered.
type Approver struct {
	Type        string
	UserID      string
	DisplayName string
	GroupID     *int
	IAMID       string
	Name        string
	Permission  string
	DomainID    string
	Key         string
	Value       string
}

// MarshalJSON renders the properties of the approver's type.
func (a Approver) MarshalJSON() ([]byte, error) {
	m := map[string]any{"type": a.Type}
	opt := func(key, v string) {
		if v != "" {
			m[key] = v
		}
	}
	switch a.Type {
	case ApproverUser:
		m["id"] = a.UserID
		opt("displayName", a.DisplayName)
	case ApproverGroup:
		if a.GroupID != nil {
			m["id"] = *a.GroupID
		}
		opt("iamId", a.IAMID)
		m["name"] = a.Name
	case ApproverPermission:
		m["permission"] = a.Permission
	case ApproverDomainPermission:
		m["permission"] = a.Permission
		opt("domainId", a.DomainID)
	case ApproverAttribute:
		m["key"], m["value"] = a.Key, a.Value
	}
	return json.Marshal(m)
}

// DelegatesToDataProduct reports whether the policy leaves the decision
// to each data product's own review flow, by default or by a rule.
func (p Policy) DelegatesToDataProduct() bool {
	if p.DefaultEvent.Type == EventDataProductPolicy {
		return true
	}
	for _, r := range p.Rules {
		if r.Event.Type == EventDataProductPolicy {
			return true
		}
	}
	return false
}

func (p Policy) clone() Policy {
	out := p
	out.Rules = make([]PolicyRule, len(p.Rules))
	for i, r := range p.Rules {
		out.Rules[i] = PolicyRule{Conditions: slices.Clone(r.Conditions), Event: r.Event.clone()}
	}
	out.DefaultEvent = p.DefaultEvent.clone()
	return out
}

func (e PolicyEvent) clone() PolicyEvent {
	if e.Params == nil {
		return e
	}
	params := *e.Params
	params.Stages = make([]Stage, len(e.Params.Stages))
	for i, s := range e.Params.Stages {
		params.Stages[i] = Stage{All: cloneApprovers(s.All), Any: cloneApprovers(s.Any)}
	}
	if e.Params.Stages == nil {
		params.Stages = nil
	}
	return PolicyEvent{Type: e.Type, Params: &params}
}

func cloneApprovers(in []Approver) []Approver {
	if in == nil {
		return nil
	}
	out := make([]Approver, len(in))
	for i, a := range in {
		if a.GroupID != nil {
			id := *a.GroupID
			a.GroupID = &id
		}
		out[i] = a
	}
	return out
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
// false, with the messages NestJS gives a required string.
func jsonString(m map[string]json.RawMessage, key, at string, msgs *checks) (string, bool) {
	if !present(m, key) {
		msgs.add("%s should not be empty", at)
		msgs.add("%s must be a string", at)
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

// jsonEnum reads a required string property that must be one of values.
func jsonEnum(m map[string]json.RawMessage, key, at string, values []string, msgs *checks) (string, bool) {
	v, ok := jsonString(m, key, at, msgs)
	if !ok {
		return "", false
	}
	if !slices.Contains(values, v) {
		msgs.add("%s must be one of the following values: %s", at, strings.Join(values, ", "))
		return v, false
	}
	return v, true
}

// policyOptions says where a policy document is used. The zero value is
// a data product's own review flow.
type policyOptions struct {
	// requestForm admits every event as the default event; a data
	// product's default event may only be approve or review.
	requestForm bool
}

// checkPolicy validates a review-flow policy document found at at (such
// as "policy") and returns it in its stored form. Approvers are checked
// against the fixture. The fixture never changes while the server runs,
// so no lock is needed.
func (s *Server) checkPolicy(raw json.RawMessage, at string, opts policyOptions, msgs *checks) Policy {
	p := Policy{Rules: []PolicyRule{}}
	obj := jsonObject(raw, at, msgs, "version", "rules", "defaultEvent")
	if obj == nil {
		return p
	}
	if present(obj, "version") {
		p.Version, _ = jsonString(obj, "version", at+".version", msgs)
	}
	if rules, ok := jsonArray(obj, "rules", at+".rules", msgs); ok {
		for i, r := range rules {
			p.Rules = append(p.Rules, s.checkRule(r, fmt.Sprintf("%s.rules.%d", at, i), msgs))
		}
	} else if !present(obj, "rules") {
		msgs.add("%s.rules should not be empty", at)
		msgs.add("%s.rules must be an array", at)
	}
	if !present(obj, "defaultEvent") {
		msgs.add("%s.defaultEvent should not be empty", at)
		return p
	}
	allowed := EventTypes
	if !opts.requestForm {
		allowed = []string{EventApprove, EventReview}
	}
	p.DefaultEvent = s.checkEvent(obj["defaultEvent"], at+".defaultEvent", allowed, msgs)
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
	} else if cond := jsonObject(obj["conditions"], at+".conditions", msgs, "all", "any", "not"); cond != nil {
		var keys []string
		for _, k := range []string{"all", "any", "not"} {
			if _, ok := cond[k]; ok {
				keys = append(keys, k)
			}
		}
		switch {
		case len(keys) != 1:
			msgs.add("%s.conditions must have exactly one of all, any and not", at)
		case keys[0] != "not":
			if _, ok := jsonArray(cond, keys[0], at+".conditions."+keys[0], msgs); !ok {
				msgs.add("%s.conditions.%s must be an array", at, keys[0])
			}
		}
		r.Conditions = compactJSON(obj["conditions"])
	}
	if !present(obj, "event") {
		msgs.add("%s.event should not be empty", at)
		return r
	}
	r.Event = s.checkEvent(obj["event"], at+".event", EventTypes, msgs)
	return r
}

// compactJSON removes insignificant white space from valid JSON.
func compactJSON(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return slices.Clone(raw)
	}
	return buf.Bytes()
}

// checkEvent validates an event whose type must be one of allowed.
func (s *Server) checkEvent(raw json.RawMessage, at string, allowed []string, msgs *checks) PolicyEvent {
	var e PolicyEvent
	obj := jsonObject(raw, at, msgs, "type", "params")
	if obj == nil {
		return e
	}
	typ, ok := jsonEnum(obj, "type", at+".type", allowed, msgs)
	if !ok {
		return e
	}
	e.Type = typ
	switch typ {
	case EventDataProductPolicy:
		if _, ok := obj["params"]; ok {
			msgs.add("property %s.params should not exist", at)
		}
	case EventApprove:
		e.Params = s.checkApproveParams(obj, at, msgs)
	case EventDeny:
		e.Params = s.checkDenyParams(obj, at, msgs)
	case EventReview:
		e.Params = s.checkReviewParams(obj, at, msgs)
	}
	return e
}

// checkApproveParams validates an approve event's params: an optional
// comment and an optional duration with its unit. It returns nil when
// there are no params to read.
func (s *Server) checkApproveParams(event map[string]json.RawMessage, at string, msgs *checks) *EventParams {
	params := s.paramsObject(event, at, msgs, "comment", "duration", "durationUnit")
	if params == nil {
		return nil
	}
	p := &EventParams{}
	if present(params, "comment") {
		p.Comment, _ = jsonString(params, "comment", at+".params.comment", msgs)
	}
	if present(params, "duration") {
		p.Duration = checkEventDuration(params["duration"], at, msgs)
	}
	if present(params, "durationUnit") {
		p.DurationUnit, _ = jsonEnum(params, "durationUnit", at+".params.durationUnit", DurationUnits, msgs)
	}
	if present(params, "duration") != present(params, "durationUnit") {
		// The contract is silent; a duration means nothing without
		// its unit, nor a unit without a duration.
		msgs.add("%s.params.duration and %s.params.durationUnit must be given together", at, at)
	}
	return p
}

// checkEventDuration validates an approve event's duration; it is 0 when
// invalid.
func checkEventDuration(raw json.RawMessage, at string, msgs *checks) int {
	var f float64
	switch err := json.Unmarshal(raw, &f); {
	case err != nil:
		msgs.add("%s.params.duration must be a number conforming to the specified constraints", at)
	case f < 1:
		msgs.add("%s.params.duration must not be less than 1", at)
	case f != math.Trunc(f) || f > math.MaxInt32:
		// The emulator's choice: durations are whole units.
		msgs.add("%s.params.duration must be an integer number", at)
	default:
		return int(f)
	}
	return 0
}

// checkDenyParams validates a deny event's params: an optional comment.
// It returns nil when there are no params to read.
func (s *Server) checkDenyParams(event map[string]json.RawMessage, at string, msgs *checks) *EventParams {
	params := s.paramsObject(event, at, msgs, "comment")
	if params == nil {
		return nil
	}
	p := &EventParams{}
	if present(params, "comment") {
		p.Comment, _ = jsonString(params, "comment", at+".params.comment", msgs)
	}
	return p
}

// checkReviewParams validates a review event's params: its stages. It
// returns nil when there are no params to read.
func (s *Server) checkReviewParams(event map[string]json.RawMessage, at string, msgs *checks) *EventParams {
	params := s.paramsObject(event, at, msgs, "stages")
	if params == nil {
		return nil
	}
	p := &EventParams{Stages: []Stage{}}
	stages, ok := jsonArray(params, "stages", at+".params.stages", msgs)
	if !ok && !present(params, "stages") {
		msgs.add("%s.params.stages should not be empty", at)
		msgs.add("%s.params.stages must be an array", at)
	}
	for i, raw := range stages {
		p.Stages = append(p.Stages, s.checkStage(raw, fmt.Sprintf("%s.params.stages.%d", at, i), msgs))
	}
	return p
}

func (s *Server) paramsObject(event map[string]json.RawMessage, at string, msgs *checks, allowed ...string) map[string]json.RawMessage {
	if !present(event, "params") {
		msgs.add("%s.params should not be empty", at)
		return nil
	}
	return jsonObject(event["params"], at+".params", msgs, allowed...)
}

// checkStage validates a stage: exactly one of all and any, with at least
// one approver.
func (s *Server) checkStage(raw json.RawMessage, at string, msgs *checks) Stage {
	var st Stage
	obj := jsonObject(raw, at, msgs, StageAll, StageAny)
	if obj == nil {
		return st
	}
	_, hasAll := obj[StageAll]
	_, hasAny := obj[StageAny]
	if hasAll == hasAny {
		msgs.add("%s must have exactly one of all and any", at)
		return st
	}
	mode := StageAll
	if hasAny {
		mode = StageAny
	}
	items, ok := jsonArray(obj, mode, at+"."+mode, msgs)
	if !ok && !present(obj, mode) {
		msgs.add("%s.%s must be an array", at, mode)
	}
	if ok && len(items) == 0 {
		msgs.add("%s.%s must contain at least 1 elements", at, mode)
	}
	approvers := []Approver{}
	for i, raw := range items {
		if a, ok := s.checkApprover(raw, fmt.Sprintf("%s.%s.%d", at, mode, i), msgs); ok {
			approvers = append(approvers, a)
		}
	}
	if mode == StageAll {
		st.All = approvers
	} else {
		st.Any = approvers
	}
	return st
}

// checkApprover validates one approver of a stage; it reports whether
// the approver is valid.
func (s *Server) checkApprover(raw json.RawMessage, at string, msgs *checks) (Approver, bool) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil || probe == nil {
		msgs.add("%s must be an object", at)
		return Approver{}, false
	}
	typ, ok := jsonEnum(probe, "type", at+".type", ApproverTypes, msgs)
	if !ok {
		return Approver{}, false
	}
	a := Approver{Type: typ}
	before := len(*msgs)
	switch typ {
	case ApproverUser:
		s.checkUserApprover(raw, at, &a, msgs)
	case ApproverGroup:
		s.checkGroupApprover(raw, at, &a, msgs)
	case ApproverPermission:
		obj := jsonObject(raw, at, msgs, "type", "permission")
		a.Permission, _ = jsonEnum(obj, "permission", at+".permission", GlobalPermissions, msgs)
	case ApproverDomainPermission:
		s.checkDomainPermissionApprover(raw, at, &a, msgs)
	case ApproverAttribute:
		s.checkAttributeApprover(raw, at, &a, msgs)
	case ApproverCatalogPermission:
		jsonObject(raw, at, msgs, "type")
	}
	return a, len(*msgs) == before
}

// checkUserApprover reads a USER approver into a; the user must be in
// the fixture.
func (s *Server) checkUserApprover(raw json.RawMessage, at string, a *Approver, msgs *checks) {
	obj := jsonObject(raw, at, msgs, "type", "id", "displayName")
	a.UserID, _ = jsonString(obj, "id", at+".id", msgs)
	if present(obj, "displayName") {
		a.DisplayName, _ = jsonString(obj, "displayName", at+".displayName", msgs)
	}
	if a.UserID != "" {
		if _, found := s.fixture.User(strings.ToLower(a.UserID)); !found {
			msgs.add("%s.id: user %q not found", at, a.UserID)
		}
	}
}

// checkGroupApprover reads a GROUP approver into a and, when it is well
// formed, finds its group (findApproverGroup).
func (s *Server) checkGroupApprover(raw json.RawMessage, at string, a *Approver, msgs *checks) {
	before := len(*msgs)
	obj := jsonObject(raw, at, msgs, "type", "id", "iamId", "name")
	a.Name, _ = jsonString(obj, "name", at+".name", msgs)
	if present(obj, "iamId") {
		a.IAMID, _ = jsonString(obj, "iamId", at+".iamId", msgs)
	}
	if present(obj, "id") {
		var f float64
		if err := json.Unmarshal(obj["id"], &f); err != nil || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
			msgs.add("%s.id must be a number conforming to the specified constraints", at)
		} else {
			id := int(f)
			a.GroupID = &id
		}
	}
	if len(*msgs) == before {
		s.findApproverGroup(*a, at, msgs)
	}
}

// checkDomainPermissionApprover reads a DOMAIN PERMISSION approver into
// a; its domain, when given, must be in the fixture.
func (s *Server) checkDomainPermissionApprover(raw json.RawMessage, at string, a *Approver, msgs *checks) {
	obj := jsonObject(raw, at, msgs, "type", "permission", "domainId")
	a.Permission, _ = jsonEnum(obj, "permission", at+".permission", DomainPermissions, msgs)
	if present(obj, "domainId") {
		a.DomainID, _ = jsonString(obj, "domainId", at+".domainId", msgs)
		if _, found := s.fixture.Domain(strings.ToLower(a.DomainID)); a.DomainID != "" && !found {
			msgs.add("%s.domainId: domain %q not found", at, a.DomainID)
		}
	}
}

// checkAttributeApprover reads an ATTRIBUTE approver into a; the
// attribute must be in the fixture.
func (s *Server) checkAttributeApprover(raw json.RawMessage, at string, a *Approver, msgs *checks) {
	before := len(*msgs)
	obj := jsonObject(raw, at, msgs, "type", "key", "value")
	a.Key, _ = jsonString(obj, "key", at+".key", msgs)
	a.Value, _ = jsonString(obj, "value", at+".value", msgs)
	if len(*msgs) == before && !s.fixture.hasAttribute(a.Key, a.Value) {
		msgs.add("%s: attribute %q with value %q not found", at, a.Key, a.Value)
	}
}

// findApproverGroup finds a GROUP approver's group: by id when given,
// else by iamId and name. The name must be the group's.
func (s *Server) findApproverGroup(a Approver, at string, msgs *checks) {
	if a.GroupID != nil {
		g, ok := s.fixture.Group(*a.GroupID)
		switch {
		case !ok:
			msgs.add("%s.id: group %s not found", at, strconv.Itoa(*a.GroupID))
		case g.Name != a.Name:
			msgs.add("%s.name %q is not the name of group %d (%q)", at, a.Name, g.ID, g.Name)
		case a.IAMID != "" && g.IAMID != a.IAMID:
			msgs.add("%s.iamId %q is not the IAM of group %d (%q)", at, a.IAMID, g.ID, g.IAMID)
		}
		return
	}
	for _, g := range s.fixture.Groups {
		if g.Name == a.Name && (a.IAMID == "" || g.IAMID == a.IAMID) {
			return
		}
	}
	msgs.add("%s: group %q not found", at, a.Name)
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
