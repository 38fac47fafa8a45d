package marketplace

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Review-flow policy vocabulary. A policy is a json-rules-engine style
// document: rules are tried in order, the first whose conditions hold
// decides, and otherwise the default event does. Request forms carry one
// as "policy", data products as "dataAccessPolicy" and
// "maskingExceptionPolicy".
const (
	// EventApprove approves automatically, for ever or for a duration.
	EventApprove = "approve"
	// EventDeny denies automatically.
	EventDeny = "deny"
	// EventReview asks approvers to decide, in stages.
	EventReview = "review"
	// EventDataProductPolicy ("Delegate to data product") leaves the
	// decision to the review flow of each data product that uses a
	// request form.
	EventDataProductPolicy = "dataProductPolicy"

	ApproverUser              = "USER"
	ApproverGroup             = "GROUP"
	ApproverPermission        = "PERMISSION"
	ApproverDomainPermission  = "DOMAIN PERMISSION"
	ApproverAttribute         = "ATTRIBUTE"
	ApproverCatalogPermission = "CATALOG PERMISSION"

	// StageAll needs a determination from every approver of a stage;
	// StageAny needs one.
	StageAll = "all"
	StageAny = "any"
)

// EventTypes lists every event type.
var EventTypes = []string{EventApprove, EventDeny, EventReview, EventDataProductPolicy}

// DataProductDefaultEventTypes are the default events a data product's
// own review flow may have.
var DataProductDefaultEventTypes = []string{EventApprove, EventReview}

// ApproverTypes lists every approver type.
var ApproverTypes = []string{
	ApproverUser, ApproverGroup, ApproverPermission, ApproverDomainPermission, ApproverAttribute, ApproverCatalogPermission,
}

// DurationUnits are the units of an access duration.
var DurationUnits = []string{"HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS"}

// GlobalPermissions are the permissions a PERMISSION approver may name.
var GlobalPermissions = []string{"GOVERNANCE", "USER_ADMIN", "AUDIT"}

// DomainPermissions are the permissions a DOMAIN PERMISSION approver may
// name, spelled as the service spells them.
var DomainPermissions = []string{"Manage Policies", "Audit Activity", "Manage Data Products", "Manage Identifiers"}

// Policy is a review-flow document.
type Policy struct {
	// Version is the policy schema version; optional.
	Version string `json:"version,omitempty"`
	// Rules is required; [] when there are none.
	Rules        []PolicyRule `json:"rules"`
	DefaultEvent PolicyEvent  `json:"defaultEvent"`
}

// MarshalJSON always writes rules, as [] when there are none.
func (p Policy) MarshalJSON() ([]byte, error) {
	type plain Policy
	if p.Rules == nil {
		p.Rules = []PolicyRule{}
	}
	return json.Marshal(plain(p))
}

// PolicyRule is one rule: when Conditions hold, Event decides.
type PolicyRule struct {
	// Conditions is {"all": [...]}, {"any": [...]} or {"not": ...}, kept
	// as sent.
	Conditions json.RawMessage `json:"conditions"`
	Event      PolicyEvent     `json:"event"`
}

// PolicyEvent is a decision. Params is set for approve, deny and review,
// and nil for dataProductPolicy.
type PolicyEvent struct {
	Type   string       `json:"type"`
	Params *EventParams `json:"params,omitempty"`
}

// EventParams are an event's parameters: Comment, Duration and
// DurationUnit for approve; Comment for deny; Stages for review.
type EventParams struct {
	Comment      string  `json:"comment,omitempty"`
	Duration     int64   `json:"duration,omitempty"`
	DurationUnit string  `json:"durationUnit,omitempty"`
	Stages       []Stage `json:"stages,omitempty"`
}

// Stage is one step of a review: either every approver of All or one of
// Any must decide. Exactly one is set.
type Stage struct {
	All []Approver `json:"all,omitempty"`
	Any []Approver `json:"any,omitempty"`
}

// Mode is StageAll or StageAny, whichever the stage holds.
func (s Stage) Mode() string {
	if s.All != nil {
		return StageAll
	}
	return StageAny
}

// Approvers are the stage's approvers, whatever its mode.
func (s Stage) Approvers() []Approver {
	if s.All != nil {
		return s.All
	}
	return s.Any
}

// Approver is someone who may decide a request. Which fields apply
// depends on Type:
//
//	USER:               UserID, DisplayName (optional)
//	GROUP:              GroupID (optional), IAMID (optional), Name
//	PERMISSION:         Permission (one of GlobalPermissions)
//	DOMAIN PERMISSION:  Permission (one of DomainPermissions), DomainID (optional)
//	ATTRIBUTE:          Key, Value
//	CATALOG PERMISSION: nothing else
type Approver struct {
	Type        string
	UserID      string
	DisplayName string
	GroupID     *int64
	IAMID       string
	Name        string
	Permission  string
	DomainID    string
	Key         string
	Value       string
}

// approverJSON is an approver on the wire; "id" is a string for a USER
// and a number for a GROUP.
type approverJSON struct {
	Type        string          `json:"type"`
	ID          json.RawMessage `json:"id,omitempty"`
	DisplayName string          `json:"displayName,omitempty"`
	IAMID       string          `json:"iamId,omitempty"`
	Name        *string         `json:"name,omitempty"`
	Permission  string          `json:"permission,omitempty"`
	DomainID    string          `json:"domainId,omitempty"`
	Key         *string         `json:"key,omitempty"`
	Value       *string         `json:"value,omitempty"`
}

// MarshalJSON writes the properties of the approver's type only.
func (a Approver) MarshalJSON() ([]byte, error) {
	out := approverJSON{Type: a.Type}
	switch a.Type {
	case ApproverUser:
		id, err := json.Marshal(a.UserID)
		if err != nil {
			return nil, err
		}
		out.ID, out.DisplayName = id, a.DisplayName
	case ApproverGroup:
		if a.GroupID != nil {
			out.ID = json.RawMessage(fmt.Sprint(*a.GroupID))
		}
		name := a.Name
		out.IAMID, out.Name = a.IAMID, &name
	case ApproverPermission:
		out.Permission = a.Permission
	case ApproverDomainPermission:
		out.Permission, out.DomainID = a.Permission, a.DomainID
	case ApproverAttribute:
		key, value := a.Key, a.Value
		out.Key, out.Value = &key, &value
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads an approver of any type.
func (a *Approver) UnmarshalJSON(data []byte) error {
	var in approverJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*a = Approver{Type: in.Type, DisplayName: in.DisplayName, IAMID: in.IAMID, Permission: in.Permission, DomainID: in.DomainID}
	if in.Name != nil {
		a.Name = *in.Name
	}
	if in.Key != nil {
		a.Key = *in.Key
	}
	if in.Value != nil {
		a.Value = *in.Value
	}
	if len(in.ID) == 0 || string(bytes.TrimSpace(in.ID)) == "null" {
		return nil
	}
	if in.Type == ApproverGroup {
		var n int64
		if err := json.Unmarshal(in.ID, &n); err != nil {
			return fmt.Errorf("GROUP approver id: %w", err)
		}
		a.GroupID = &n
		return nil
	}
	return json.Unmarshal(in.ID, &a.UserID)
}
