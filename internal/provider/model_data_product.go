package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// dataProductFields are the attributes the data product resource and data
// source share. Conversions to and from the API live in this file and
// nowhere else.
type dataProductFields struct {
	ID                    types.String `tfsdk:"id"`
	Name                  types.String `tfsdk:"name"`
	Description           types.String `tfsdk:"description"`
	DomainIDs             types.Set    `tfsdk:"domain_ids"`
	DataSourceIDs         types.Set    `tfsdk:"data_source_ids"`
	RequestFormID         types.String `tfsdk:"request_form_id"`
	SubjectMatterExpertID types.String `tfsdk:"subject_matter_expert_id"`
	Suspended             types.Bool   `tfsdk:"suspended"`
	CreatedAt             types.String `tfsdk:"created_at"`
	CreatedBy             types.String `tfsdk:"created_by"`
	UpdatedAt             types.String `tfsdk:"updated_at"`
	Status                types.String `tfsdk:"status"`
	SourceTypes           types.Set    `tfsdk:"source_types"`
}

// fromAPI sets every attribute from the service's answers: the product
// and the ids of its data sources (which the product itself lacks).
func (m *dataProductFields) fromAPI(ctx context.Context, p *marketplace.DataProduct, dataSourceIDs []string) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(strings.ToLower(p.ID))
	m.Name = types.StringValue(p.Name)
	m.Description = stringOrNull(p.Description)
	domains := make([]string, len(p.Domains))
	for i, d := range p.Domains {
		domains[i] = strings.ToLower(d)
	}
	diags.Append(setStrings(ctx, &m.DomainIDs, domains)...)
	// An empty set, not null: a product without data sources has [].
	diags.Append(setStrings(ctx, &m.DataSourceIDs, append([]string{}, dataSourceIDs...))...)
	m.RequestFormID = types.StringValue(p.RequestFormID)
	m.SubjectMatterExpertID = types.StringNull()
	if id := p.SubjectMatterExpertID(); id != "" {
		m.SubjectMatterExpertID = types.StringValue(strings.ToLower(id))
	}
	m.Suspended = types.BoolValue(p.Suspended)
	m.CreatedAt = types.StringValue(p.CreatedAt)
	m.CreatedBy = types.StringValue(p.CreatedBy)
	m.UpdatedAt = types.StringValue(p.UpdatedAt)
	m.Status = types.StringValue(p.Status)
	sourceTypes := append([]string{}, p.SourceTypes...)
	slices.Sort(sourceTypes)
	diags.Append(setStrings(ctx, &m.SourceTypes, slices.Compact(sourceTypes))...)
	return diags
}

// stringOrNull maps a missing or empty API string to null.
func stringOrNull(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// stringPointer maps null (or unknown) to nil.
func stringPointer(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

// setElements returns a known set's strings, sorted; nil for null or
// unknown.
func setElements(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := set.ElementsAs(ctx, &out, false)
	slices.Sort(out)
	return out, diags
}

// metadataInput is the product's metadata for a create or an update: the
// subject matter expert, or nothing.
func metadataInput(sme types.String) *marketplace.DataProductMetadata {
	if sme.IsNull() || sme.IsUnknown() || sme.ValueString() == "" {
		return nil
	}
	return &marketplace.DataProductMetadata{SubjectMatterExpert: &marketplace.SubjectMatterExpert{ID: sme.ValueString()}}
}

// sourceRefs turns data source ids into the API's references.
func sourceRefs(ids []string) []marketplace.DataSourceRef {
	refs := make([]marketplace.DataSourceRef, len(ids))
	for i, id := range ids {
		refs[i] = marketplace.DataSourceRef{SourceID: id}
	}
	return refs
}

// toCreateInput builds the POST body (everything but the policies and
// the suspension, which the caller adds or sends later).
func (m *dataProductFields) toCreateInput(ctx context.Context, id string) (marketplace.DataProductInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	domains, d := setElements(ctx, m.DomainIDs)
	diags.Append(d...)
	sources, d := setElements(ctx, m.DataSourceIDs)
	diags.Append(d...)
	in := marketplace.DataProductInput{
		ID:            id,
		Name:          m.Name.ValueString(),
		Description:   stringPointer(m.Description),
		Metadata:      metadataInput(m.SubjectMatterExpertID),
		Domains:       domains,
		RequestFormID: m.RequestFormID.ValueString(),
	}
	if len(sources) > 0 {
		in.DataSources = sourceRefs(sources)
	}
	return in, diags
}

// sortDataSourceIDs orders data source ids numerically, for stable
// requests and messages.
func sortDataSourceIDs(ids []string) {
	slices.SortFunc(ids, func(a, b string) int {
		x, errX := strconv.ParseInt(a, 10, 64)
		y, errY := strconv.ParseInt(b, 10, 64)
		if errX != nil || errY != nil {
			return strings.Compare(a, b)
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
}

// dataProductStatsModel is a product's stats block, in the data source.
type dataProductStatsModel struct {
	DataSourceCount      types.Int64 `tfsdk:"data_source_count"`
	PendingRequestCount  types.Int64 `tfsdk:"pending_request_count"`
	ApprovedRequestCount types.Int64 `tfsdk:"approved_request_count"`
	RevokedRequestCount  types.Int64 `tfsdk:"revoked_request_count"`
	CanceledRequestCount types.Int64 `tfsdk:"canceled_request_count"`
	DeniedRequestCount   types.Int64 `tfsdk:"denied_request_count"`
	TotalRequestCount    types.Int64 `tfsdk:"total_request_count"`
}

var dataProductStatsAttrTypes = map[string]attr.Type{
	"data_source_count":      types.Int64Type,
	"pending_request_count":  types.Int64Type,
	"approved_request_count": types.Int64Type,
	"revoked_request_count":  types.Int64Type,
	"canceled_request_count": types.Int64Type,
	"denied_request_count":   types.Int64Type,
	"total_request_count":    types.Int64Type,
}

func dataProductStatsFromAPI(ctx context.Context, s marketplace.DataProductStats) (types.Object, diag.Diagnostics) {
	return types.ObjectValueFrom(ctx, dataProductStatsAttrTypes, dataProductStatsModel{
		DataSourceCount:      types.Int64Value(s.DataSourceCount),
		PendingRequestCount:  types.Int64Value(s.PendingRequestCount),
		ApprovedRequestCount: types.Int64Value(s.ApprovedRequestCount),
		RevokedRequestCount:  types.Int64Value(s.RevokedRequestCount),
		CanceledRequestCount: types.Int64Value(s.CanceledRequestCount),
		DeniedRequestCount:   types.Int64Value(s.DeniedRequestCount),
		TotalRequestCount:    types.Int64Value(s.TotalRequestCount),
	})
}

var objectRefAttrTypes = map[string]attr.Type{"id": types.StringType, "name": types.StringType}

type objectRefModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

// objectRefsFromAPI renders references as a list of {id, name}.
func objectRefsFromAPI(ctx context.Context, refs []marketplace.ObjectRef) (types.List, diag.Diagnostics) {
	items := make([]objectRefModel, len(refs))
	for i, r := range refs {
		items[i] = objectRefModel{ID: types.StringValue(r.ID), Name: types.StringValue(r.Name)}
	}
	return types.ListValueFrom(ctx, types.ObjectType{AttrTypes: objectRefAttrTypes}, items)
}

// dataProductPolicyFields are a product's own review flow, for a request
// form that delegates it: review_flow (typed) or data_access_policy_json
// for access requests, and masking_exception_policy_json for masking
// exception requests.
type dataProductPolicyFields struct {
	ReviewFlow                 types.Object         `tfsdk:"review_flow"`
	DataAccessPolicyJSON       jsontypes.Normalized `tfsdk:"data_access_policy_json"`
	MaskingExceptionPolicyJSON jsontypes.Normalized `tfsdk:"masking_exception_policy_json"`
}

// policiesFromAPI sets the policy attributes from the product. prior is
// the plan or prior state: a policy the user wrote as JSON stays JSON (in
// the user's own text when the service's document means the same); one
// the typed review flow expresses exactly is read into review_flow. With
// dataSource set, the JSON attributes are always set and review_flow too
// when it can say the policy.
func (m *dataProductPolicyFields) policiesFromAPI(p *marketplace.DataProduct, prior dataProductPolicyFields, dataSource bool) diag.Diagnostics {
	var diags, d diag.Diagnostics
	switch {
	case !marketplace.HasPolicy(p.DataAccessPolicy):
		m.ReviewFlow, d = reviewFlowObject(nil, false)
		m.DataAccessPolicyJSON = jsontypes.NewNormalizedNull()
	case dataSource:
		m.ReviewFlow, m.DataAccessPolicyJSON, d = policyToDataSourceAttributes(p.DataAccessPolicy, false)
	default:
		m.ReviewFlow, m.DataAccessPolicyJSON, d = policyToAttributes(p.DataAccessPolicy, false, prior.DataAccessPolicyJSON)
	}
	diags.Append(d...)
	m.MaskingExceptionPolicyJSON = jsontypes.NewNormalizedNull()
	if marketplace.HasPolicy(p.MaskingExceptionPolicy) {
		m.MaskingExceptionPolicyJSON = policyText(p.MaskingExceptionPolicy, prior.MaskingExceptionPolicyJSON)
	}
	return diags
}

// policyText is a policy document as a JSON attribute: the prior text
// when it means the same, so that the service's spelling causes no diff.
func policyText(raw json.RawMessage, prior jsontypes.Normalized) jsontypes.Normalized {
	if !prior.IsNull() && !prior.IsUnknown() && policiesEquivalent([]byte(prior.ValueString()), raw, false) {
		return prior
	}
	return jsontypes.NewNormalizedValue(canonicalJSON(raw))
}

// policies returns the documents to send: the data access policy from
// review_flow or data_access_policy_json, and the masking exception
// policy; nil for none. Unknown values are treated as none.
func (m *dataProductPolicyFields) policies(ctx context.Context) (access, masking json.RawMessage, diags diag.Diagnostics) {
	if (!m.DataAccessPolicyJSON.IsNull() && !m.DataAccessPolicyJSON.IsUnknown()) || (!m.ReviewFlow.IsNull() && !m.ReviewFlow.IsUnknown()) {
		access, diags = policyFromAttributes(ctx, m.ReviewFlow, m.DataAccessPolicyJSON)
	}
	if !m.MaskingExceptionPolicyJSON.IsNull() && !m.MaskingExceptionPolicyJSON.IsUnknown() {
		masking = json.RawMessage(m.MaskingExceptionPolicyJSON.ValueString())
	}
	return access, masking, diags
}

// hasAny reports whether any policy attribute is set (or unknown).
func (m *dataProductPolicyFields) hasAny() bool {
	return !m.ReviewFlow.IsNull() || !m.DataAccessPolicyJSON.IsNull() || !m.MaskingExceptionPolicyJSON.IsNull()
}

// samePolicies reports whether two sets of policy attributes are the same.
func (m *dataProductPolicyFields) samePolicies(o *dataProductPolicyFields) bool {
	return m.ReviewFlow.Equal(o.ReviewFlow) && m.DataAccessPolicyJSON.Equal(o.DataAccessPolicyJSON) &&
		m.MaskingExceptionPolicyJSON.Equal(o.MaskingExceptionPolicyJSON)
}

// formDelegates reports whether a request form's policy delegates the
// review flow to each data product.
func formDelegates(f *marketplace.RequestForm) bool {
	var p marketplace.Policy
	return json.Unmarshal(f.Policy, &p) == nil && p.DefaultEvent.Type == marketplace.EventDataProductPolicy
}
