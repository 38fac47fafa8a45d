package marketplace

import (
	"context"
	"encoding/json"
	"net/url"
)

// Request form field types.
const (
	FieldShortAnswer    = "SHORT_ANSWER"
	FieldDropdown       = "DROPDOWN"
	FieldCheckboxes     = "CHECKBOXES"
	FieldAccessDuration = "ACCESS_DURATION"
)

// AccessDurationLabel is the only label an ACCESS_DURATION field may
// have; such a field is always required.
const AccessDurationLabel = "How long do you need access to this data?"

// StandardRequestFormName is the name of the request form every tenant
// has built in. The service refuses to change or delete it. Names are
// unique, so no other form has it.
const StandardRequestFormName = "Standard Request Form"

// FieldTypes lists every request form field type.
var FieldTypes = []string{FieldShortAnswer, FieldDropdown, FieldCheckboxes, FieldAccessDuration}

// HasOptions reports whether a field type lists choices (DROPDOWN and
// CHECKBOXES do, and need at least one).
func HasOptions(fieldType string) bool {
	return fieldType == FieldDropdown || fieldType == FieldCheckboxes
}

// FieldOption is one choice of a field.
type FieldOption struct {
	Value string `json:"value"`
}

// RequestFormField is one question of a request form. ID (a UUID) is
// required: the caller chooses it, and keeping it across updates keeps
// the question's identity.
type RequestFormField struct {
	ID       string        `json:"id"`
	Type     string        `json:"type"`
	Label    string        `json:"label"`
	Required bool          `json:"required"`
	Options  []FieldOption `json:"options,omitempty"`
}

// AgreementSummary is a data use agreement as a request form embeds it.
type AgreementSummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Body string `json:"body"`
}

// RequestForm is what a requester fills in, and how the request is
// decided (Policy).
type RequestForm struct {
	ID     string             `json:"id"`
	Name   string             `json:"name"`
	Fields []RequestFormField `json:"fields"`
	// Policy is the review-flow document as the service returned it.
	Policy            json.RawMessage    `json:"policy"`
	DataUseAgreements []AgreementSummary `json:"dataUseAgreements"`
	CreatedBy         *UserRef           `json:"createdBy,omitempty"`
	CreatedAt         string             `json:"createdAt,omitempty"`
	UpdatedBy         *UserRef           `json:"updatedBy,omitempty"`
	UpdatedAt         string             `json:"updatedAt,omitempty"`
	// Version (a cuid) changes on every update.
	Version string `json:"version,omitempty"`
	// AssociatedDomains are the domains of the data products that use the
	// form; only list responses carry them.
	AssociatedDomains []string `json:"associatedDomains,omitempty"`
}

// RequestFormInput is the body of a create or an update. ID is sent only
// on create.
type RequestFormInput struct {
	ID                  string             `json:"id,omitempty"`
	Name                string             `json:"name"`
	Fields              []RequestFormField `json:"fields"`
	Policy              json.RawMessage    `json:"policy"`
	DataUseAgreementIDs []string           `json:"dataUseAgreementIds"`
}

// CreateRequestForm creates a request form. Set in.ID to choose its id.
func (c *Client) CreateRequestForm(ctx context.Context, in RequestFormInput) (*RequestForm, error) {
	in = in.normalized()
	var out RequestForm
	if err := c.do(ctx, "POST", apiPath("request-form"), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRequestForm reads a request form by id (a UUID).
func (c *Client) GetRequestForm(ctx context.Context, id string) (*RequestForm, error) {
	var out RequestForm
	if err := c.do(ctx, "GET", apiPath("request-form", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRequestFormVersion reads a request form as it was at a version.
func (c *Client) GetRequestFormVersion(ctx context.Context, version string) (*RequestForm, error) {
	var out RequestForm
	if err := c.do(ctx, "GET", apiPath("request-form", "version", version), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRequestForm replaces a request form's name, fields, policy and
// agreements. Fields that keep their ids keep their identity.
func (c *Client) UpdateRequestForm(ctx context.Context, id string, in RequestFormInput) (*RequestForm, error) {
	in = in.normalized()
	in.ID = ""
	var out RequestForm
	if err := c.do(ctx, "PUT", apiPath("request-form", id), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteRequestForm deletes a request form; the service answers 204. It
// refuses (409) while a data product uses the form.
func (c *Client) DeleteRequestForm(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", apiPath("request-form", id), nil, nil, nil)
}

// ListRequestFormsOptions filters a list of request forms.
type ListRequestFormsOptions struct {
	// Name filters by name: a case-insensitive substring, or the exact
	// name when ExactMatch is set.
	Name       string
	ExactMatch bool
}

// ListRequestForms returns every request form that matches, following
// pagination to the end.
func (c *Client) ListRequestForms(ctx context.Context, opts ListRequestFormsOptions) ([]RequestForm, error) {
	q := url.Values{"sortBy": {"name"}, "sortOrder": {"asc"}}
	if opts.Name != "" {
		q.Set("nameFilter", opts.Name)
		if opts.ExactMatch {
			q.Set("exactMatch", "true")
		}
	}
	return listOffset[RequestForm](ctx, c, apiPath("request-form"), q)
}

// normalized sends empty collections as [] rather than null.
func (in RequestFormInput) normalized() RequestFormInput {
	if in.Fields == nil {
		in.Fields = []RequestFormField{}
	}
	if in.DataUseAgreementIDs == nil {
		in.DataUseAgreementIDs = []string{}
	}
	return in
}
