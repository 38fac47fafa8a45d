package marketplace

import (
	"cmp"
	"context"
	"net/url"
)

// UserRef is how the service names the user who created or last changed
// an object.
type UserRef struct {
	GlobalUserID string `json:"globalUserId"`
	Name         string `json:"name"`
}

// DataUseAgreement is text a requester must accept before requesting
// access.
type DataUseAgreement struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Body      string   `json:"body"`
	CreatedBy *UserRef `json:"createdBy,omitempty"`
	CreatedAt string   `json:"createdAt,omitempty"`
	UpdatedBy *UserRef `json:"updatedBy,omitempty"`
	UpdatedAt string   `json:"updatedAt,omitempty"`
}

// DataUseAgreementInput is the body of a create or an update. ID is sent
// only on create.
type DataUseAgreementInput struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Body string `json:"body"`
}

// ObjectRef is the short form of an object in "which objects use this"
// answers.
type ObjectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CreateDataUseAgreement creates an agreement. Set in.ID to choose its id.
func (c *Client) CreateDataUseAgreement(ctx context.Context, in DataUseAgreementInput) (*DataUseAgreement, error) {
	var out DataUseAgreement
	if err := c.do(ctx, "POST", apiPath("data-use-agreement"), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetDataUseAgreement reads an agreement by id.
func (c *Client) GetDataUseAgreement(ctx context.Context, id string) (*DataUseAgreement, error) {
	var out DataUseAgreement
	if err := c.do(ctx, "GET", apiPath("data-use-agreement", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateDataUseAgreement replaces an agreement's name and body. The
// service answers 201 (as declared); any 2xx is success.
func (c *Client) UpdateDataUseAgreement(ctx context.Context, id string, in DataUseAgreementInput) (*DataUseAgreement, error) {
	in.ID = ""
	var out DataUseAgreement
	if err := c.do(ctx, "PUT", apiPath("data-use-agreement", id), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDataUseAgreement deletes an agreement; the service answers 204.
func (c *Client) DeleteDataUseAgreement(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", apiPath("data-use-agreement", id), nil, nil, nil)
}

// ListDataUseAgreementsOptions filters a list of agreements.
type ListDataUseAgreementsOptions struct {
	// NameFilter filters by name (nameFilter): a case-insensitive
	// substring, or the exact name when ExactMatch is set.
	NameFilter string
	ExactMatch bool
	// SortBy is name (the default), createdAt or updatedAt; SortOrder asc
	// (the default) or desc.
	SortBy    string
	SortOrder string
}

// ListDataUseAgreements returns every agreement that matches, following
// pagination to the end.
func (c *Client) ListDataUseAgreements(ctx context.Context, opts ListDataUseAgreementsOptions) ([]DataUseAgreement, error) {
	q := url.Values{"sortBy": {cmp.Or(opts.SortBy, "name")}, "sortOrder": {cmp.Or(opts.SortOrder, "asc")}}
	if opts.NameFilter != "" {
		q.Set("nameFilter", opts.NameFilter)
		if opts.ExactMatch {
			q.Set("exactMatch", "true")
		}
	}
	return listOffset[DataUseAgreement](ctx, c, apiPath("data-use-agreement"), q)
}

// ListDataUseAgreementRequestForms returns the request forms that use an
// agreement.
func (c *Client) ListDataUseAgreementRequestForms(ctx context.Context, id string) ([]ObjectRef, error) {
	var out []ObjectRef
	if err := c.do(ctx, "GET", apiPath("data-use-agreement", id, "request-forms"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
