package provider

import (
	"cmp"
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
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	DomainIDs     types.Set    `tfsdk:"domain_ids"`
	DataSourceIDs types.Set    `tfsdk:"data_source_ids"`
	// The request forms by request type, read from GET {id}/request-forms.
	DataAccessRequestFormID       types.String `tfsdk:"data_access_request_form_id"`
	MaskingExceptionRequestFormID types.String `tfsdk:"masking_exception_request_form_id"`
	SubjectMatterExpertID         types.String `tfsdk:"subject_matter_expert_id"`
	Suspended                     types.Bool   `tfsdk:"suspended"`
	CreatedAt                     types.String `tfsdk:"created_at"`
	CreatedBy                     types.String `tfsdk:"created_by"`
	UpdatedAt                     types.String `tfsdk:"updated_at"`
	Status                        types.String `tfsdk:"status"`
	SourceTypes                   types.Set    `tfsdk:"source_types"`
}

// productReads are the service's answers about one product: the product,
// and what it does not carry itself, its data sources and request forms.
type productReads struct {
	Product       *marketplace.DataProduct
	DataSourceIDs []string
	Forms         []marketplace.DataProductRequestForm
}

// readProduct asks for a product, its data sources and its request forms.
func readProduct(ctx context.Context, client *marketplace.Client, id string, get func(context.Context, string) (*marketplace.DataProduct, error)) (productReads, error) {
	p, err := get(ctx, id)
	if err != nil {
		return productReads{}, err
	}
	return readProductParts(ctx, client, p)
}

// readProductParts completes an answer that carried the product with its
// data sources and request forms.
func readProductParts(ctx context.Context, client *marketplace.Client, p *marketplace.DataProduct) (productReads, error) {
	sources, err := client.ListDataProductDataSourceIDs(ctx, p.ID)
	if err != nil {
		return productReads{}, err
	}
	forms, err := client.GetDataProductRequestForms(ctx, p.ID)
	if err != nil {
		return productReads{}, err
	}
	return productReads{Product: p, DataSourceIDs: sources, Forms: forms}, nil
}

// fromAPI sets every attribute from the service's answers.
func (m *dataProductFields) fromAPI(ctx context.Context, r productReads) diag.Diagnostics {
	p, dataSourceIDs := r.Product, r.DataSourceIDs
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
	m.DataAccessRequestFormID = formIDOf(r.Forms, marketplace.RequestTypeDataAccess)
	m.MaskingExceptionRequestFormID = formIDOf(r.Forms, marketplace.RequestTypeMaskingException)
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

// formIDOf is the id of the form of a request type, or null when the
// service lists none for it.
func formIDOf(forms []marketplace.DataProductRequestForm, requestType string) types.String {
	f := marketplace.RequestFormFor(forms, requestType)
	if f == nil {
		return types.StringNull()
	}
	id := f.ID
	if lowerCaseUUIDPattern.MatchString(strings.ToLower(id)) {
		id = strings.ToLower(id)
	}
	return types.StringValue(id)
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

// setFromAPI sets every attribute of the resource from the service's
// answers: the fields, and the review flows read against the model's own
// (the plan's, or the prior state's).
func (m *dataProductResourceModel) setFromAPI(ctx context.Context, r productReads) diag.Diagnostics {
	prior := m.dataProductReviewFlowFields
	diags := m.fromAPI(ctx, r)
	diags.Append(m.reviewFlowsFromAPI(r.Product, prior, flowsForResource)...)
	return diags
}

// toCreateRequest builds the create's body, the configured review flows
// included, and returns the planned data sources (sorted as strings).
func (m *dataProductResourceModel) toCreateRequest(ctx context.Context, id string) (marketplace.DataProductInput, []string, diag.Diagnostics) {
	in, diags := m.toCreateInput(ctx, id)
	var d diag.Diagnostics
	in.DataAccessReviewFlow, in.MaskingExceptionReviewFlow, d = m.createFlows(ctx)
	diags.Append(d...)
	sources, d := setElements(ctx, m.DataSourceIDs)
	diags.Append(d...)
	return in, sources, diags
}

// productUpdate is what an update sends, in an order that keeps the data
// sources within the domains at every step: First (the changed fields and
// flows, the domains added, a suspension), then the data sources, then
// Last (the domains removed, a resumption). A suspension goes first and a
// resumption last, so that no access is granted through a product
// half-way through its change.
type productUpdate struct {
	First, Last marketplace.DataProductUpdate
	// DataSources are the planned data sources, replaced when
	// SourcesChange.
	DataSources   []string
	SourcesChange bool
}

// toUpdate builds the update from the prior state to the plan m. It is
// nil when the sets cannot be read.
func (m *dataProductResourceModel) toUpdate(ctx context.Context, state *dataProductResourceModel) (*productUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	planDomains, d1 := setElements(ctx, m.DomainIDs)
	stateDomains, d2 := setElements(ctx, state.DomainIDs)
	planSources, d3 := setElements(ctx, m.DataSourceIDs)
	stateSources, d4 := setElements(ctx, state.DataSourceIDs)
	for _, d := range []diag.Diagnostics{d1, d2, d3, d4} {
		diags.Append(d...)
	}
	if diags.HasError() {
		return nil, diags
	}
	allDomains := union(stateDomains, planDomains)
	u := &productUpdate{DataSources: planSources, SourcesChange: !slices.Equal(planSources, stateSources)}
	first, d := m.changedFields(ctx, state)
	diags.Append(d...)
	u.First = first
	if !slices.Equal(allDomains, stateDomains) {
		u.First.Domains = allDomains
	}
	if !slices.Equal(allDomains, planDomains) {
		u.Last.Domains = planDomains
	}
	if !m.Suspended.Equal(state.Suspended) {
		if m.Suspended.ValueBool() {
			u.First.Suspended = m.Suspended.ValueBoolPointer()
		} else {
			u.Last.Suspended = m.Suspended.ValueBoolPointer()
		}
	}
	return u, diags
}

// changedFields is the update of the fields and flows that differ from
// state. A flow left out is sent as the default, which restores it.
func (m *dataProductResourceModel) changedFields(ctx context.Context, state *dataProductResourceModel) (marketplace.DataProductUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	u := marketplace.DataProductUpdate{}
	if !m.Name.Equal(state.Name) {
		u.Name = m.Name.ValueStringPointer()
	}
	if !m.Description.Equal(state.Description) {
		u.Description = marketplace.PatchPointer(stringPointer(m.Description))
	}
	if !m.SubjectMatterExpertID.Equal(state.SubjectMatterExpertID) {
		u.Metadata = marketplace.PatchPointer(metadataInput(m.SubjectMatterExpertID))
	}
	if id := knownString(m.DataAccessRequestFormID); id != "" && !m.DataAccessRequestFormID.Equal(state.DataAccessRequestFormID) {
		u.DataAccessRequestFormID = &id
	}
	if id := knownString(m.MaskingExceptionRequestFormID); id != "" && !m.MaskingExceptionRequestFormID.Equal(state.MaskingExceptionRequestFormID) {
		u.MaskingExceptionRequestFormID = &id
	}
	stateFlows := state.flows()
	for i, f := range m.flows() {
		if f.same(stateFlows[i]) {
			continue
		}
		doc, d := f.document(ctx)
		diags.Append(d...)
		if f.RequestType == marketplace.RequestTypeDataAccess {
			u.DataAccessReviewFlow = doc
		} else {
			u.MaskingExceptionReviewFlow = doc
		}
	}
	return u, diags
}

// toCreateInput builds the POST body (everything but the review flows
// and the suspension, which the caller adds or sends later). Data sources
// are always sent, [] for none; a form left unknown is left out, for the
// service to pick its default.
func (m *dataProductFields) toCreateInput(ctx context.Context, id string) (marketplace.DataProductInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	domains, d := setElements(ctx, m.DomainIDs)
	diags.Append(d...)
	sources, d := setElements(ctx, m.DataSourceIDs)
	diags.Append(d...)
	sortDataSourceIDs(sources)
	in := marketplace.DataProductInput{
		ID:                            id,
		Name:                          m.Name.ValueString(),
		Description:                   stringPointer(m.Description),
		Metadata:                      metadataInput(m.SubjectMatterExpertID),
		Domains:                       domains,
		DataSources:                   sourceRefs(sources),
		DataAccessRequestFormID:       knownString(m.DataAccessRequestFormID),
		MaskingExceptionRequestFormID: knownString(m.MaskingExceptionRequestFormID),
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

// formAgreements lists the data use agreements of a product's forms,
// each once, sorted by name.
func formAgreements(forms []marketplace.DataProductRequestForm) []marketplace.ObjectRef {
	out := []marketplace.ObjectRef{}
	seen := map[string]bool{}
	for _, f := range forms {
		for _, a := range f.DataUseAgreements {
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, marketplace.ObjectRef{ID: a.ID, Name: a.Name})
			}
		}
	}
	slices.SortFunc(out, func(a, b marketplace.ObjectRef) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return out
}

// dataProductReviewFlowFields are a product's own review flows, one per
// request type, each typed or as JSON. A flow applies while the form of
// its request type delegates to the data product. A flow left out is the
// service's default (marketplace.DefaultProductReviewFlow).
type dataProductReviewFlowFields struct {
	DataAccessReviewFlow           types.Object         `tfsdk:"data_access_review_flow"`
	DataAccessReviewFlowJSON       jsontypes.Normalized `tfsdk:"data_access_review_flow_json"`
	MaskingExceptionReviewFlow     types.Object         `tfsdk:"masking_exception_review_flow"`
	MaskingExceptionReviewFlowJSON jsontypes.Normalized `tfsdk:"masking_exception_review_flow_json"`
}

// productFlow is one request type's pair of review-flow attributes.
type productFlow struct {
	RequestType string
	// Attribute and JSONAttribute name the attributes, for messages.
	Attribute, JSONAttribute string
	Typed                    *types.Object
	JSON                     *jsontypes.Normalized
}

// flows lists the two request types' attributes, data access first.
func (m *dataProductReviewFlowFields) flows() []productFlow {
	return []productFlow{
		{marketplace.RequestTypeDataAccess, "data_access_review_flow", "data_access_review_flow_json", &m.DataAccessReviewFlow, &m.DataAccessReviewFlowJSON},
		{marketplace.RequestTypeMaskingException, "masking_exception_review_flow", "masking_exception_review_flow_json", &m.MaskingExceptionReviewFlow, &m.MaskingExceptionReviewFlowJSON},
	}
}

// set reports whether the configuration gives the flow (or it is unknown).
func (f productFlow) set() bool { return !f.Typed.IsNull() || !f.JSON.IsNull() }

// same reports whether two values of the flow's attributes are equal.
func (f productFlow) same(o productFlow) bool {
	return f.Typed.Equal(*o.Typed) && f.JSON.Equal(*o.JSON)
}

// productPolicyOf is the document the service returned for a request type.
func productPolicyOf(p *marketplace.DataProduct, requestType string) json.RawMessage {
	if requestType == marketplace.RequestTypeMaskingException {
		return p.MaskingExceptionPolicy
	}
	return p.DataAccessPolicy
}

// isDefaultProductFlow reports whether a document is the service's
// default flow (or absent, which means the same).
func isDefaultProductFlow(raw json.RawMessage) bool {
	return !marketplace.HasPolicy(raw) || policiesEquivalent(raw, []byte(marketplace.DefaultProductReviewFlow), policyComparePlain)
}

// reviewFlowsFromAPI sets the flow attributes from the product. prior is
// the plan or prior state. A flow the prior left out reads as null while
// the service holds exactly its default, so that the default is not
// drift; any other flow is shown: in JSON when the user wrote JSON (in
// the user's own text when the service's document means the same), else
// typed when the typed form says it exactly, else in JSON. With
// dataSource set, the JSON attributes always hold the service's document
// (the default included) and the typed ones too when they can say it.
func (m *dataProductReviewFlowFields) reviewFlowsFromAPI(p *marketplace.DataProduct, prior dataProductReviewFlowFields, dataSource bool) diag.Diagnostics {
	var diags diag.Diagnostics
	priorFlows := prior.flows()
	for i, f := range m.flows() {
		raw := productPolicyOf(p, f.RequestType)
		var d diag.Diagnostics
		switch {
		case dataSource && !marketplace.HasPolicy(raw):
			raw = json.RawMessage(marketplace.DefaultProductReviewFlow)
			fallthrough
		case dataSource:
			*f.Typed, *f.JSON, d = productFlowToDataSourceAttributes(raw)
		case !marketplace.HasPolicy(raw) || (!priorFlows[i].set() && isDefaultProductFlow(raw)):
			*f.Typed, *f.JSON = productFlowNull(), jsontypes.NewNormalizedNull()
		default:
			*f.Typed, *f.JSON, d = productFlowToAttributes(raw, *priorFlows[i].JSON)
		}
		diags.Append(d...)
	}
	return diags
}

// document returns the flow to send: the configured one, or the
// service's default for a flow left out (which restores it). Unknown
// values are treated as left out.
func (f productFlow) document(ctx context.Context) (json.RawMessage, diag.Diagnostics) {
	if (f.JSON.IsNull() || f.JSON.IsUnknown()) && (f.Typed.IsNull() || f.Typed.IsUnknown()) {
		return json.RawMessage(marketplace.DefaultProductReviewFlow), nil
	}
	return productFlowFromAttributes(ctx, *f.Typed, *f.JSON)
}

// createFlows returns the flows a create sends: only the configured ones;
// the service gives the others its default.
func (m *dataProductReviewFlowFields) createFlows(ctx context.Context) (access, masking json.RawMessage, diags diag.Diagnostics) {
	out := [2]json.RawMessage{}
	for i, f := range m.flows() {
		if !f.set() || (f.Typed.IsUnknown() && f.JSON.IsNull()) || (f.JSON.IsUnknown() && f.Typed.IsNull()) {
			continue
		}
		doc, d := f.document(ctx)
		diags.Append(d...)
		out[i] = doc
	}
	return out[0], out[1], diags
}

// sameFlows reports whether two sets of flow attributes are the same.
func (m *dataProductReviewFlowFields) sameFlows(o *dataProductReviewFlowFields) bool {
	a, b := m.flows(), o.flows()
	return a[0].same(b[0]) && a[1].same(b[1])
}

// formDelegates reports whether a request form's policy can leave a
// request to the data product's own flow: its default event, or one of
// its rules' events, is "dataProductPolicy".
func formDelegates(f *marketplace.RequestForm) bool {
	type event struct {
		Type string `json:"type"`
	}
	var p struct {
		Rules []struct {
			Event event `json:"event"`
		} `json:"rules"`
		DefaultEvent event `json:"defaultEvent"`
	}
	if json.Unmarshal(f.Policy, &p) != nil {
		return false
	}
	delegates := p.DefaultEvent.Type == eventDataProductPolicy
	for _, r := range p.Rules {
		delegates = delegates || r.Event.Type == eventDataProductPolicy
	}
	return delegates
}

// How reviewFlowsFromAPI renders the flows: for the resource, or for the
// data source.
const (
	flowsForResource   = false
	flowsForDataSource = true
)

// eventDataProductPolicy is the event of a request form's policy that
// leaves the decision to the data product's own review flow.
const eventDataProductPolicy = "dataProductPolicy"

// The review-flow helpers with the data product's options: no
// delegation, no automatic denial by default.

func productFlowNull() types.Object {
	flow, _ := reviewFlowObject(nil, dataProductFlow)
	return flow
}

func productFlowToAttributes(raw []byte, priorJSON jsontypes.Normalized) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	return policyToAttributes(raw, dataProductFlow, priorJSON)
}

func productFlowToDataSourceAttributes(raw []byte) (types.Object, jsontypes.Normalized, diag.Diagnostics) {
	return policyToDataSourceAttributes(raw, dataProductFlow)
}

func productFlowFromAttributes(ctx context.Context, flow types.Object, policyJSON jsontypes.Normalized) (json.RawMessage, diag.Diagnostics) {
	return policyFromAttributes(ctx, flow, policyJSON)
}
