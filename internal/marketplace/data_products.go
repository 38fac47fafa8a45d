package marketplace

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
)

// DataProduct is a named set of data sources from one or more domains,
// published in the Marketplace.
//
// The service computes Status, Expiration and RequestID for the caller
// (its own access request for the product, "NONE" without one), and
// Stats and SourceTypes from the product's data sources. A product does
// not carry its data sources (ListDataProductDataSourceIDs reads them) nor
// its request forms (GetDataProductRequestForms reads them).
type DataProduct struct {
	ID          string               `json:"id"`
	Name        string               `json:"name"`
	Description *string              `json:"description"`
	Domains     []string             `json:"domains"`
	Suspended   bool                 `json:"suspended"`
	CreatedBy   string               `json:"createdBy"`
	CreatedAt   string               `json:"createdAt"`
	UpdatedAt   string               `json:"updatedAt"`
	Status      string               `json:"status"`
	Expiration  *string              `json:"expiration"`
	Stats       DataProductStats     `json:"stats"`
	RequestID   *string              `json:"requestId"`
	SourceTypes []string             `json:"sourceTypes"`
	Metadata    *DataProductMetadata `json:"metadata"`
	// DataAccessPolicy and MaskingExceptionPolicy are the product's own
	// review flows, as the service returned them. The service fills in
	// DefaultProductReviewFlow for a flow never set; they are empty only
	// when a response leaves them out (HasPolicy tells).
	DataAccessPolicy       json.RawMessage `json:"dataAccessPolicy"`
	MaskingExceptionPolicy json.RawMessage `json:"maskingExceptionPolicy"`
}

// DefaultProductReviewFlow is the review flow the service gives a data
// product for a request type it has none for: stewards with the GOVERNANCE
// permission or the domain's "Manage Data Products" permission review.
const DefaultProductReviewFlow = `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[` +
	`{"type":"PERMISSION","permission":"GOVERNANCE"},{"type":"DOMAIN PERMISSION","permission":"Manage Data Products"}]}]}}}`

// Request types of a data product's request forms and review flows.
const (
	RequestTypeDataAccess       = "DATA_ACCESS"
	RequestTypeMaskingException = "MASKING_EXCEPTION"
)

// HasPolicy reports whether a policy field holds a document (not absent,
// not null).
func HasPolicy(raw json.RawMessage) bool {
	trimmed := strings.TrimSpace(string(raw))
	return trimmed != "" && trimmed != "null"
}

// DataProductStats counts a product's data sources and access requests.
type DataProductStats struct {
	DataSourceCount      int64 `json:"dataSourceCount"`
	PendingRequestCount  int64 `json:"pendingRequestCount"`
	ApprovedRequestCount int64 `json:"approvedRequestCount"`
	RevokedRequestCount  int64 `json:"revokedRequestCount"`
	CanceledRequestCount int64 `json:"canceledRequestCount"`
	DeniedRequestCount   int64 `json:"deniedRequestCount"`
	TotalRequestCount    int64 `json:"totalRequestCount"`
}

// DataProductMetadata holds the product's subject matter expert.
type DataProductMetadata struct {
	SubjectMatterExpert *SubjectMatterExpert `json:"subjectMatterExpert"`
}

// SubjectMatterExpert is the user requesters can ask about the product.
// Only ID (a global user id) is sent; the service fills in the rest.
type SubjectMatterExpert struct {
	ID       string `json:"id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
}

// SubjectMatterExpertID returns the product's subject matter expert's
// global user id, or "" when it has none.
func (p *DataProduct) SubjectMatterExpertID() string {
	if p.Metadata == nil || p.Metadata.SubjectMatterExpert == nil {
		return ""
	}
	return p.Metadata.SubjectMatterExpert.ID
}

// DataSourceRef names a data source in a data product. SourceID is the
// data source's integer id written as a string.
type DataSourceRef struct {
	SourceID string `json:"sourceId"`
}

// DataProductInput is the body of a create. The deprecated requestFormId,
// dataAccessPolicy and maskingExceptionPolicy are never sent.
type DataProductInput struct {
	// ID is the client-chosen id (a UUID).
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name"`
	Description *string `json:"description,omitempty"`
	// Metadata is required by the service but may be null: it is always
	// sent.
	Metadata *DataProductMetadata `json:"metadata"`
	Domains  []string             `json:"domains"`
	// DataSources is required by the service (it may be empty): it is
	// always sent, as [] when nil.
	DataSources []DataSourceRef `json:"dataSources"`
	// The request forms for each request type; left out, the service
	// picks its default form.
	DataAccessRequestFormID       string `json:"dataAccessRequestFormId,omitempty"`
	MaskingExceptionRequestFormID string `json:"maskingExceptionRequestFormId,omitempty"`
	// The product's own review flows, which apply when its form for the
	// request type delegates to the data product; left out, the service
	// keeps DefaultProductReviewFlow.
	DataAccessReviewFlow       json.RawMessage `json:"dataAccessReviewFlow,omitempty"`
	MaskingExceptionReviewFlow json.RawMessage `json:"maskingExceptionReviewFlow,omitempty"`
}

// AsUpdate is the update that makes an existing product what this create
// would have made (but for its data sources, which
// SetDataProductDataSources sets): for a product an earlier create
// attempt made, perhaps from another configuration. A flow left out is
// the service's default; a form left out is kept.
func (in DataProductInput) AsUpdate() DataProductUpdate {
	name := in.Name
	u := DataProductUpdate{
		Name:                       &name,
		Description:                PatchPointer(in.Description),
		Metadata:                   PatchPointer(in.Metadata),
		Domains:                    in.Domains,
		DataAccessReviewFlow:       in.DataAccessReviewFlow,
		MaskingExceptionReviewFlow: in.MaskingExceptionReviewFlow,
	}
	if in.DataAccessRequestFormID != "" {
		u.DataAccessRequestFormID = &in.DataAccessRequestFormID
	}
	if in.MaskingExceptionRequestFormID != "" {
		u.MaskingExceptionRequestFormID = &in.MaskingExceptionRequestFormID
	}
	if u.DataAccessReviewFlow == nil {
		u.DataAccessReviewFlow = json.RawMessage(DefaultProductReviewFlow)
	}
	if u.MaskingExceptionReviewFlow == nil {
		u.MaskingExceptionReviewFlow = json.RawMessage(DefaultProductReviewFlow)
	}
	return u
}

// MarshalJSON sends dataSources as [] rather than null.
func (in DataProductInput) MarshalJSON() ([]byte, error) {
	type plain DataProductInput
	if in.DataSources == nil {
		in.DataSources = []DataSourceRef{}
	}
	return json.Marshal(plain(in))
}

// DataProductUpdate is the body of a partial update: unset fields are
// left out and keep their value. The service takes no data sources here
// (SetDataProductDataSources sets them), and a review flow cannot be
// cleared: sending DefaultProductReviewFlow restores the default.
type DataProductUpdate struct {
	Name                          *string                    `json:"name,omitempty"`
	Description                   Patch[string]              `json:"description,omitzero"`
	Metadata                      Patch[DataProductMetadata] `json:"metadata,omitzero"`
	Domains                       []string                   `json:"domains,omitempty"`
	DataAccessRequestFormID       *string                    `json:"dataAccessRequestFormId,omitempty"`
	MaskingExceptionRequestFormID *string                    `json:"maskingExceptionRequestFormId,omitempty"`
	DataAccessReviewFlow          json.RawMessage            `json:"dataAccessReviewFlow,omitempty"`
	MaskingExceptionReviewFlow    json.RawMessage            `json:"maskingExceptionReviewFlow,omitempty"`
	Suspended                     *bool                      `json:"suspended,omitempty"`
}

// IsEmpty reports whether the update changes nothing.
func (u DataProductUpdate) IsEmpty() bool {
	return u.Name == nil && u.Description.IsZero() && u.Metadata.IsZero() && u.Domains == nil &&
		u.DataAccessRequestFormID == nil && u.MaskingExceptionRequestFormID == nil &&
		u.DataAccessReviewFlow == nil && u.MaskingExceptionReviewFlow == nil && u.Suspended == nil
}

// DataProductRequestForm is one of a product's request forms: the form
// and the request type it serves (RequestTypeDataAccess or
// RequestTypeMaskingException).
type DataProductRequestForm struct {
	RequestForm
	RequestType string `json:"requestType"`
	// InheritedFrom is the asset the form comes from, when it is not the
	// product's own choice; kept as sent.
	InheritedFrom json.RawMessage `json:"inheritedFrom,omitempty"`
}

// Patch is one field of a partial update: left out of the body when
// unset, sent as null when set to nothing (which clears the field), and
// sent as its value otherwise.
type Patch[T any] struct {
	set   bool
	value *T
}

// PatchValue sets a field to v.
func PatchValue[T any](v T) Patch[T] { return Patch[T]{set: true, value: &v} }

// PatchNull clears a field.
func PatchNull[T any]() Patch[T] { return Patch[T]{set: true} }

// PatchPointer clears the field when v is nil and sets it to *v otherwise.
func PatchPointer[T any](v *T) Patch[T] { return Patch[T]{set: true, value: v} }

// IsZero reports an unset field, so that `omitzero` leaves it out.
func (p Patch[T]) IsZero() bool { return !p.set }

// MarshalJSON writes the value, or null.
func (p Patch[T]) MarshalJSON() ([]byte, error) {
	if p.value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*p.value)
}

// CreateDataProduct publishes a data product. Set in.ID to choose its id.
func (c *Client) CreateDataProduct(ctx context.Context, in DataProductInput) (*DataProduct, error) {
	var out DataProduct
	if err := c.do(ctx, "POST", apiPath("data-product"), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetDataProduct reads a data product by id.
func (c *Client) GetDataProduct(ctx context.Context, id string) (*DataProduct, error) {
	var out DataProduct
	if err := c.do(ctx, "GET", apiPath("data-product", id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetDataProductByName reads a data product by its exact name.
func (c *Client) GetDataProductByName(ctx context.Context, name string) (*DataProduct, error) {
	var out DataProduct
	if err := c.do(ctx, "GET", apiPath("data-product", name, "byName"), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDataProductsOptions filters a list of data products.
type ListDataProductsOptions struct {
	// NameFilter filters by a case-insensitive substring of the name.
	NameFilter string
	// Descending sorts by name from Z to A (the service sorts A to Z by
	// default).
	Descending bool
}

// ListDataProducts returns every data product that matches, sorted by
// name, following pagination to the end.
func (c *Client) ListDataProducts(ctx context.Context, opts ListDataProductsOptions) ([]DataProduct, error) {
	q := url.Values{}
	q.Set("sortBy", "name")
	q.Set("sortOrder", "asc")
	if opts.Descending {
		q.Set("sortOrder", "desc")
	}
	if opts.NameFilter != "" {
		q.Set("nameFilter", opts.NameFilter)
	}
	return listToken[DataProduct](ctx, c, apiPath("data-product"), q)
}

// GetDataProductRequestForms reads the request forms a product uses, one
// per request type.
func (c *Client) GetDataProductRequestForms(ctx context.Context, id string) ([]DataProductRequestForm, error) {
	var out []DataProductRequestForm
	if err := c.do(ctx, "GET", apiPath("data-product", id, "request-forms"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RequestFormFor returns the form of a request type among a product's
// forms, or nil.
func RequestFormFor(forms []DataProductRequestForm, requestType string) *DataProductRequestForm {
	for i := range forms {
		if forms[i].RequestType == requestType {
			return &forms[i]
		}
	}
	return nil
}

// UpdateDataProduct changes the fields set in in.
func (c *Client) UpdateDataProduct(ctx context.Context, id string, in DataProductUpdate) (*DataProduct, error) {
	var out DataProduct
	if err := c.do(ctx, "PUT", apiPath("data-product", id), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetDataProductDataSources replaces a product's data sources with
// sourceIDs (data source ids written as strings).
func (c *Client) SetDataProductDataSources(ctx context.Context, id string, sourceIDs []string) (*DataProduct, error) {
	body := struct {
		DataSources []DataSourceRef `json:"dataSources"`
	}{DataSources: make([]DataSourceRef, len(sourceIDs))}
	for i, s := range sourceIDs {
		body.DataSources[i] = DataSourceRef{SourceID: s}
	}
	var out DataProduct
	if err := c.do(ctx, "PUT", apiPath("data-product", id, "datasources"), nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListDataProductDataSourceIDs returns the ids of all a product's data
// sources, in one call.
func (c *Client) ListDataProductDataSourceIDs(ctx context.Context, id string) ([]string, error) {
	var out struct {
		DataSources []DataSourceRef `json:"dataSources"`
	}
	if err := c.do(ctx, "GET", apiPath("data-product", id, "datasources", "all"), nil, nil, &out); err != nil {
		return nil, err
	}
	ids := make([]string, len(out.DataSources))
	for i, ds := range out.DataSources {
		ids[i] = ds.SourceID
	}
	return ids, nil
}

// DeleteDataProduct deletes a data product, which revokes every access
// granted through it. It cannot be undone.
func (c *Client) DeleteDataProduct(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", apiPath("data-product", id), nil, nil, nil)
}
