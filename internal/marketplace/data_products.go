package marketplace

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
)

// DataProduct is a named set of data sources from one or more domains,
// published in the Marketplace with a request form.
//
// The service computes Status, Expiration and RequestID for the caller
// (its own access request for the product, "NONE" without one), and
// Stats, SourceTypes and DataUsageAgreements from the product's data
// sources and request form. GET does not return the data sources
// themselves: ListDataProductDataSourceIDs does.
type DataProduct struct {
	ID                  string               `json:"id"`
	Name                string               `json:"name"`
	Description         *string              `json:"description"`
	Domains             []string             `json:"domains"`
	Suspended           bool                 `json:"suspended"`
	CreatedBy           string               `json:"createdBy"`
	CreatedAt           string               `json:"createdAt"`
	UpdatedAt           string               `json:"updatedAt"`
	RequestFormID       string               `json:"requestFormId"`
	Status              string               `json:"status"`
	Expiration          *string              `json:"expiration"`
	Stats               DataProductStats     `json:"stats"`
	RequestID           *string              `json:"requestId"`
	SourceTypes         []string             `json:"sourceTypes"`
	Metadata            *DataProductMetadata `json:"metadata"`
	DataUsageAgreements []ObjectRef          `json:"dataUsageAgreements"`
	// DataAccessPolicy and MaskingExceptionPolicy are the product's own
	// review-flow documents, as the service returned them; empty when
	// absent (HasPolicy tells).
	DataAccessPolicy       json.RawMessage `json:"dataAccessPolicy"`
	MaskingExceptionPolicy json.RawMessage `json:"maskingExceptionPolicy"`
}

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

// DataProductInput is the body of a create.
type DataProductInput struct {
	// ID is the client-chosen id (a UUID).
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name"`
	Description *string `json:"description,omitempty"`
	// Metadata is required by the service but may be null: it is always
	// sent.
	Metadata      *DataProductMetadata `json:"metadata"`
	Domains       []string             `json:"domains"`
	DataSources   []DataSourceRef      `json:"dataSources,omitempty"`
	RequestFormID string               `json:"requestFormId"`
	// DataAccessPolicy and MaskingExceptionPolicy are the product's own
	// review flow, for a request form that delegates it to the product.
	DataAccessPolicy       json.RawMessage `json:"dataAccessPolicy,omitempty"`
	MaskingExceptionPolicy json.RawMessage `json:"maskingExceptionPolicy,omitempty"`
}

// DataProductUpdate is the body of a partial update: unset fields are
// left out and keep their value.
type DataProductUpdate struct {
	Name                   *string                    `json:"name,omitempty"`
	Description            Patch[string]              `json:"description,omitzero"`
	Metadata               Patch[DataProductMetadata] `json:"metadata,omitzero"`
	Domains                []string                   `json:"domains,omitempty"`
	RequestFormID          *string                    `json:"requestFormId,omitempty"`
	DataAccessPolicy       Patch[json.RawMessage]     `json:"dataAccessPolicy,omitzero"`
	MaskingExceptionPolicy Patch[json.RawMessage]     `json:"maskingExceptionPolicy,omitzero"`
	Suspended              *bool                      `json:"suspended,omitempty"`
}

// IsEmpty reports whether the update changes nothing.
func (u DataProductUpdate) IsEmpty() bool {
	return u.Name == nil && u.Description.IsZero() && u.Metadata.IsZero() && u.Domains == nil &&
		u.RequestFormID == nil && u.DataAccessPolicy.IsZero() && u.MaskingExceptionPolicy.IsZero() && u.Suspended == nil
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

// Value returns the value and whether the field is set to one (not unset,
// not null).
func (p Patch[T]) Value() (T, bool) {
	if p.value == nil {
		var zero T
		return zero, false
	}
	return *p.value, true
}

// MarshalJSON writes the value, or null.
func (p Patch[T]) MarshalJSON() ([]byte, error) {
	if p.value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*p.value)
}

// DataProductDataSource is a data source as a data product lists it.
type DataProductDataSource struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Hostname string `json:"hostname"`
	Database string `json:"database"`
	Schema   string `json:"schema"`
	Table    string `json:"table"`
	Prefix   string `json:"prefix"`
	// Status is the caller's access status for the data source.
	Status string `json:"status"`
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
	// Name filters by a case-insensitive substring of the name.
	Name string
}

// ListDataProducts returns every data product that matches, following
// pagination to the end.
func (c *Client) ListDataProducts(ctx context.Context, opts ListDataProductsOptions) ([]DataProduct, error) {
	q := url.Values{}
	if opts.Name != "" {
		q.Set("name", opts.Name)
	}
	return listToken[DataProduct](ctx, c, apiPath("data-product"), q)
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

// ListDataProductDataSources returns the details of a product's data
// sources, following pagination to the end.
func (c *Client) ListDataProductDataSources(ctx context.Context, id string) ([]DataProductDataSource, error) {
	return listToken[DataProductDataSource](ctx, c, apiPath("data-product", id, "datasources"), nil)
}

// DeleteDataProduct deletes a data product, which revokes every access
// granted through it. It cannot be undone.
func (c *Client) DeleteDataProduct(ctx context.Context, id string) error {
	return c.do(ctx, "DELETE", apiPath("data-product", id), nil, nil, nil)
}
