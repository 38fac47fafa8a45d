package marketplacetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// productFormView is what a data product needs of its request form.
type productFormView struct {
	// delegates is set when the form's policy delegates the review flow
	// to the data product.
	delegates  bool
	agreements []objectRef
}

// productForm looks up a product's request form. The caller holds s.mu.
func (s *Server) productForm(id string) (productFormView, bool) {
	return productFormView{}, id != ""
}

// checkProductPolicy checks a product's review-flow policy document and
// returns it compacted.
func checkProductPolicy(name string, raw json.RawMessage) (json.RawMessage, []string) {
	var msgs checks
	var policy struct {
		Version      *string            `json:"version"`
		Rules        *[]json.RawMessage `json:"rules"`
		DefaultEvent json.RawMessage    `json:"defaultEvent"`
	}
	if m := decodeJSONObject(raw, &policy); m != nil {
		for _, x := range m {
			msgs.add("%s.%s", name, x)
		}
		return nil, msgs
	}
	if policy.Version == nil {
		msgs.add("%s.version must be a string", name)
	}
	if policy.Rules == nil {
		msgs.add("%s.rules must be an array", name)
	} else {
		for i, rule := range *policy.Rules {
			var r struct {
				Conditions json.RawMessage `json:"conditions"`
				Event      json.RawMessage `json:"event"`
			}
			at := fmt.Sprintf("%s.rules.%d", name, i)
			if m := decodeJSONObject(rule, &r); m != nil {
				for _, x := range m {
					msgs.add("%s.%s", at, x)
				}
				continue
			}
			var cond map[string]json.RawMessage
			if json.Unmarshal(r.Conditions, &cond) != nil || cond == nil || (cond["all"] == nil && cond["any"] == nil) {
				msgs.add("%s.conditions must be an object with \"all\" or \"any\"", at)
			}
			checkPolicyEvent(at+".event", r.Event, &msgs)
		}
	}
	checkPolicyEvent(name+".defaultEvent", policy.DefaultEvent, &msgs)
	if len(msgs) > 0 {
		return nil, msgs
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, []string{name + " must be an object"}
	}
	return buf.Bytes(), nil
}

// Review-flow values of policy events.
var (
	durationUnits = []string{"HOURS", "DAYS", "WEEKS", "MONTHS", "YEARS"}
	approverTypes = []string{"USER", "GROUP", "ATTRIBUTE", "PERMISSION", "DOMAIN_PERMISSION"}
	approvalModes = []string{"ALL", "ANY"}
)

// checkPolicyEvent checks an event of a product's policy: approve or
// requestApproval (a product cannot delegate further).
func checkPolicyEvent(at string, raw json.RawMessage, msgs *checks) {
	var ev struct {
		Type   *string         `json:"type"`
		Params json.RawMessage `json:"params"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		msgs.add("%s must be an object", at)
		return
	}
	if m := decodeJSONObject(raw, &ev); m != nil {
		for _, x := range m {
			msgs.add("%s.%s", at, x)
		}
		return
	}
	if ev.Type == nil {
		msgs.add("%s.type must be one of the following values: approve, requestApproval", at)
		return
	}
	switch *ev.Type {
	case "approve":
		var p struct {
			Comment      *string `json:"comment"`
			Duration     *int    `json:"duration"`
			DurationUnit *string `json:"durationUnit"`
		}
		if m := decodeJSONObject(ev.Params, &p); m != nil {
			for _, x := range m {
				msgs.add("%s.params.%s", at, x)
			}
			return
		}
		if p.Comment == nil {
			msgs.add("%s.params.comment must be a string", at)
		}
		if (p.Duration == nil) != (p.DurationUnit == nil) {
			msgs.add("%s.params.duration and durationUnit go together", at)
		}
		if p.Duration != nil && *p.Duration < 1 {
			msgs.add("%s.params.duration must not be less than 1", at)
		}
		if p.DurationUnit != nil && !slices.Contains(durationUnits, *p.DurationUnit) {
			msgs.add("%s.params.durationUnit must be one of the following values: HOURS, DAYS, WEEKS, MONTHS, YEARS", at)
		}
	case "requestApproval":
		var p struct {
			Approvers *[]struct {
				Type *string `json:"type"`
				ID   *string `json:"id"`
			} `json:"approvers"`
			ApprovalMode *string `json:"approvalMode"`
		}
		if m := decodeJSONObject(ev.Params, &p); m != nil {
			for _, x := range m {
				msgs.add("%s.params.%s", at, x)
			}
			return
		}
		if p.Approvers == nil || len(*p.Approvers) == 0 {
			msgs.add("%s.params.approvers should not be empty", at)
		} else {
			for i, a := range *p.Approvers {
				if a.Type == nil || !slices.Contains(approverTypes, *a.Type) {
					msgs.add("%s.params.approvers.%d.type must be one of the following values: USER, GROUP, ATTRIBUTE, PERMISSION, DOMAIN_PERMISSION", at, i)
				}
				if a.ID == nil || *a.ID == "" {
					msgs.add("%s.params.approvers.%d.id should not be empty", at, i)
				}
			}
		}
		if p.ApprovalMode == nil || !slices.Contains(approvalModes, *p.ApprovalMode) {
			msgs.add("%s.params.approvalMode must be one of the following values: ALL, ANY", at)
		}
	case "delegate":
		msgs.add("%s.type delegate is only allowed in a request form's policy; a data product's policy must approve or request approval", at)
	default:
		msgs.add("%s.type must be one of the following values: approve, requestApproval", at)
	}
}
