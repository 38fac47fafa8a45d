package provider

// The typed review flow and its conversion to and from the review-flow
// policy document (a request form's "policy", a data product's
// "dataAccessPolicy" and "maskingExceptionPolicy"). The typed form covers
// a policy without rules; a document it cannot express exactly (rules, a
// USER's displayName, a GROUP's iamId, repeated approvers, ...) is left
// to the JSON escape hatch. The schema is in review_flow_schema.go, the
// JSON handling in policy_json.go.

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Whose review flow a document is, for the functions that take
// requestForm: a request form's policy, or a data product's own flow.
const (
	requestFormFlow = true
	dataProductFlow = false
)

// reviewFlow is a typed review flow, free of Terraform types. Exactly one
// of AutoApprove, AutoDeny, Review and Delegate is set; AutoDeny and
// Delegate only for a request form.
type reviewFlow struct {
	AutoApprove *autoApproval
	AutoDeny    *autoDenial
	Review      *review
	Delegate    bool
}

// autoApproval approves every request; with a Duration the access
// expires after it.
type autoApproval struct {
	Reason       string
	Duration     int64 // 0: access never expires
	DurationUnit string
}

// autoDenial denies every request.
type autoDenial struct {
	Reason string
}

// review asks approvers to decide, stage after stage.
type review struct {
	Stages []reviewStage
}

// reviewStage is one stage: Mode "all" needs every approver, "any" one.
// The lists are sorted.
type reviewStage struct {
	Mode              string
	UserIDs           []string
	Groups            []groupApprover
	Permissions       []string
	DomainPermissions []domainPermission
	Attributes        []attributeValue
	CatalogPermission bool
}

// groupApprover is a group by name, and by id when ID is set.
type groupApprover struct {
	Name string
	ID   *int64
}

// domainPermission is a domain permission, in the data product's domain
// or, with DomainID, in that domain.
type domainPermission struct {
	Permission string
	DomainID   string
}

// attributeValue is a user attribute and one of its values.
type attributeValue struct {
	Key   string
	Value string
}

// policy renders the flow as a policy document without rules or version.
func (rf reviewFlow) policy() marketplace.Policy {
	p := marketplace.Policy{Rules: []marketplace.PolicyRule{}}
	switch {
	case rf.AutoApprove != nil:
		a := rf.AutoApprove
		params := &marketplace.EventParams{Comment: a.Reason}
		if a.Duration > 0 {
			params.Duration, params.DurationUnit = a.Duration, a.DurationUnit
		}
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventApprove, Params: params}
	case rf.AutoDeny != nil:
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventDeny, Params: &marketplace.EventParams{Comment: rf.AutoDeny.Reason}}
	case rf.Review != nil:
		params := &marketplace.EventParams{Stages: []marketplace.Stage{}}
		for _, s := range rf.Review.Stages {
			approvers := s.approvers()
			if s.Mode == marketplace.StageAll {
				params.Stages = append(params.Stages, marketplace.Stage{All: approvers})
			} else {
				params.Stages = append(params.Stages, marketplace.Stage{Any: approvers})
			}
		}
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventReview, Params: params}
	case rf.Delegate:
		p.DefaultEvent = marketplace.PolicyEvent{Type: marketplace.EventDataProductPolicy}
	}
	return p
}

// approvers lists a stage's approvers in a fixed order: users, groups,
// permissions, domain permissions, attributes, catalog permission.
func (s reviewStage) approvers() []marketplace.Approver {
	out := []marketplace.Approver{}
	for _, id := range s.UserIDs {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverUser, UserID: id})
	}
	for _, g := range s.Groups {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverGroup, Name: g.Name, GroupID: g.ID})
	}
	for _, p := range s.Permissions {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverPermission, Permission: p})
	}
	for _, d := range s.DomainPermissions {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverDomainPermission, Permission: d.Permission, DomainID: d.DomainID})
	}
	for _, a := range s.Attributes {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverAttribute, Key: a.Key, Value: a.Value})
	}
	if s.CatalogPermission {
		out = append(out, marketplace.Approver{Type: marketplace.ApproverCatalogPermission})
	}
	return out
}

// policyJSON renders the flow as a policy document.
func (rf reviewFlow) policyJSON() json.RawMessage {
	data, err := json.Marshal(rf.policy())
	if err != nil { // the document holds only strings, numbers and booleans
		return json.RawMessage("{}")
	}
	return data
}

// reviewFlowFromPolicy reads a policy document into the typed form. It
// reports false when the typed form cannot express the document exactly:
// it has rules, an event, approver or property the typed form does not
// know, repeated approvers, a blank reason, or (unless requestForm) an
// event only a request form may have. The document's version is ignored:
// the typed form writes none.
func reviewFlowFromPolicy(raw []byte, requestForm bool) (reviewFlow, bool) {
	var p marketplace.Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return reviewFlow{}, false
	}
	if len(p.Rules) > 0 {
		return reviewFlow{}, false
	}
	var rf reviewFlow
	ev := p.DefaultEvent
	switch ev.Type {
	case marketplace.EventApprove:
		if ev.Params == nil || strings.TrimSpace(ev.Params.Comment) == "" || (ev.Params.Duration > 0) != (ev.Params.DurationUnit != "") {
			return reviewFlow{}, false
		}
		rf.AutoApprove = &autoApproval{Reason: ev.Params.Comment, Duration: ev.Params.Duration, DurationUnit: ev.Params.DurationUnit}
	case marketplace.EventDeny:
		if !requestForm || ev.Params == nil || strings.TrimSpace(ev.Params.Comment) == "" {
			return reviewFlow{}, false
		}
		rf.AutoDeny = &autoDenial{Reason: ev.Params.Comment}
	case marketplace.EventReview:
		if ev.Params == nil || len(ev.Params.Stages) == 0 {
			return reviewFlow{}, false
		}
		rv := &review{}
		for _, st := range ev.Params.Stages {
			s, ok := stageFromPolicy(st)
			if !ok {
				return reviewFlow{}, false
			}
			rv.Stages = append(rv.Stages, s)
		}
		rf.Review = rv
	case marketplace.EventDataProductPolicy:
		if !requestForm {
			return reviewFlow{}, false
		}
		rf.Delegate = true
	default:
		return reviewFlow{}, false
	}
	// The typed form is exact only if it renders the same document.
	if !policiesEquivalent(raw, rf.policyJSON(), policyCompareTyped) {
		return reviewFlow{}, false
	}
	return rf, true
}

// stageFromPolicy reads a stage; false when the typed form cannot hold it.
func stageFromPolicy(st marketplace.Stage) (reviewStage, bool) {
	if (st.All == nil) == (st.Any == nil) {
		return reviewStage{}, false
	}
	s := reviewStage{Mode: st.Mode()}
	list := st.Approvers()
	if len(list) == 0 {
		return reviewStage{}, false
	}
	for _, a := range list {
		switch a.Type {
		case marketplace.ApproverUser:
			s.UserIDs = append(s.UserIDs, a.UserID)
		case marketplace.ApproverGroup:
			s.Groups = append(s.Groups, groupApprover{Name: a.Name, ID: a.GroupID})
		case marketplace.ApproverPermission:
			s.Permissions = append(s.Permissions, a.Permission)
		case marketplace.ApproverDomainPermission:
			s.DomainPermissions = append(s.DomainPermissions, domainPermission{Permission: a.Permission, DomainID: a.DomainID})
		case marketplace.ApproverAttribute:
			s.Attributes = append(s.Attributes, attributeValue{Key: a.Key, Value: a.Value})
		case marketplace.ApproverCatalogPermission:
			if s.CatalogPermission {
				return reviewStage{}, false // named twice
			}
			s.CatalogPermission = true
		default:
			return reviewStage{}, false
		}
	}
	s.sort()
	if s.hasRepeats() {
		return reviewStage{}, false // a set cannot hold them
	}
	return s, true
}

// hasRepeats reports whether a sorted stage names an approver twice.
func (s *reviewStage) hasRepeats() bool {
	for _, list := range [][]string{s.UserIDs, s.Permissions} {
		if len(slices.Compact(slices.Clone(list))) != len(list) {
			return true
		}
	}
	groups := slices.CompactFunc(slices.Clone(s.Groups), func(a, b groupApprover) bool { return compareGroups(a, b) == 0 })
	return len(groups) != len(s.Groups) ||
		len(slices.Compact(slices.Clone(s.DomainPermissions))) != len(s.DomainPermissions) ||
		len(slices.Compact(slices.Clone(s.Attributes))) != len(s.Attributes)
}

func (s *reviewStage) sort() {
	slices.Sort(s.UserIDs)
	slices.Sort(s.Permissions)
	slices.SortFunc(s.Groups, compareGroups)
	slices.SortFunc(s.DomainPermissions, func(a, b domainPermission) int {
		if c := strings.Compare(a.Permission, b.Permission); c != 0 {
			return c
		}
		return strings.Compare(a.DomainID, b.DomainID)
	})
	slices.SortFunc(s.Attributes, func(a, b attributeValue) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}

// compareGroups orders groups by name, then id (none first).
func compareGroups(a, b groupApprover) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	switch {
	case a.ID == nil && b.ID == nil:
		return 0
	case a.ID == nil:
		return -1
	case b.ID == nil:
		return 1
	case *a.ID < *b.ID:
		return -1
	case *a.ID > *b.ID:
		return 1
	}
	return 0
}
