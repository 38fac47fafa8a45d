package marketplace

import "encoding/json"

// Review-flow policy vocabulary. A policy is a json-rules-engine style
// document: rules are tried in order, the first whose conditions hold
// decides, and otherwise the default event does. Request forms carry one
// as "policy", data products as "dataAccessPolicy".
const (
	// EventApprove approves automatically, for ever or for a duration.
	EventApprove = "approve"
	// EventRequestApproval asks data stewards to decide.
	EventRequestApproval = "requestApproval"
	// EventDelegate ("Delegate to data product") leaves the review flow to
	// each data product that uses a request form.
	EventDelegate = "delegate"

	ApproverUser             = "USER"
	ApproverGroup            = "GROUP"
	ApproverAttribute        = "ATTRIBUTE"
	ApproverPermission       = "PERMISSION"
	ApproverDomainPermission = "DOMAIN_PERMISSION"

	// ApprovalModeAll needs a determination from a steward of every
	// approver source; ApprovalModeAny needs one determination.
	ApprovalModeAll = "ALL"
	ApprovalModeAny = "ANY"

	// PolicyVersion is the policy document version the provider writes.
	PolicyVersion = "1"
)

// DurationUnits are the units of an access duration.
var DurationUnits = []string{"HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS"}

// Policy is a review-flow document.
type Policy struct {
	Version      string       `json:"version"`
	Rules        []PolicyRule `json:"rules"`
	DefaultEvent PolicyEvent  `json:"defaultEvent"`
}

// PolicyRule is one rule: when Conditions hold, Event decides.
type PolicyRule struct {
	// Conditions is {"all": [...]} or {"any": [...]}, kept as sent.
	Conditions json.RawMessage `json:"conditions"`
	Event      PolicyEvent     `json:"event"`
}

// PolicyEvent is a decision.
type PolicyEvent struct {
	Type   string       `json:"type"`
	Params *EventParams `json:"params,omitempty"`
}

// EventParams are an event's parameters: Comment, Duration and
// DurationUnit for approve; Approvers and ApprovalMode for
// requestApproval; none for delegate.
type EventParams struct {
	Comment      string     `json:"comment,omitempty"`
	Duration     int64      `json:"duration,omitempty"`
	DurationUnit string     `json:"durationUnit,omitempty"`
	Approvers    []Approver `json:"approvers,omitempty"`
	ApprovalMode string     `json:"approvalMode,omitempty"`
}

// Approver is a source of data stewards: a user (by global user id), a
// group (by id), an attribute ("<attribute>:<value>"), a global
// permission or a domain permission.
type Approver struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}
