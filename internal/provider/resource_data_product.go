package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ resource.Resource                = &dataProductResource{}
	_ resource.ResourceWithConfigure   = &dataProductResource{}
	_ resource.ResourceWithImportState = &dataProductResource{}
	_ resource.ResourceWithModifyPlan  = &dataProductResource{}
	_ resource.ResourceWithIdentity    = &dataProductResource{}
)

// Limits on data product names, from the API's contract.
const maxDataProductNameLength = 255

// dataProductNamePattern is the contract's: Unicode letters, marks and
// digits, white space and ( ) - _ / \.
var dataProductNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{N})(\-_/\\\s]*$`)

// NewDataProductResource returns the immuta_data_product resource.
func NewDataProductResource() resource.Resource {
	return &dataProductResource{}
}

type dataProductResource struct {
	client *marketplace.Client
}

type dataProductResourceModel struct {
	dataProductFields
	dataProductReviewFlowFields
	DeletionProtection types.Bool     `tfsdk:"deletion_protection"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

func (r *dataProductResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_product"
}

func (r *dataProductResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) { //nolint:funlen // schema definition
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Marketplace **data product**: a named set of data sources from one or more domains, " +
			"published with request forms that data consumers fill in to request access (one for data access requests, " +
			"one for masking exception requests), and with its own review flows for forms that delegate to the product.\n\n" +
			"Every attribute is updated in place; the product keeps its id. Changes made in the Marketplace app (a rename, " +
			"a new description, data sources added or removed, a suspension) show up in the next plan.\n\n" +
			"~> " + deletionRevokesAccess + " `deletion_protection` (on by default) makes Terraform refuse to destroy the " +
			"product: set it to `false` and apply before destroying. To cut access in a way that can be undone, set " +
			"`suspended = true` instead.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The data product's id, a UUID. The provider chooses it before creating the product, so a " +
					"create that is retried can never publish a second product.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The product's name, unique in the Marketplace (case-sensitive): 1 to %d "+
					"characters, each a letter (of any script, with its accents), a digit, white space, or one of `( ) - _ / \\`.", maxDataProductNameLength),
				Required: true,
				Validators: []validator.String{
					stringvalidator.UTF8LengthBetween(1, maxDataProductNameLength),
					stringvalidator.RegexMatches(dataProductNamePattern, "may contain only letters, marks, digits, white space and ( ) - _ / \\"),
					notBlankValidator(),
				},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "What the product holds, shown to data consumers. Leave it out for none.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"domain_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the domains the product is built from (at least one). Look them up with " +
					"`data.immuta_domain`. Every data source of the product must belong to one of them.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(lowerCaseUUIDPattern, "must be a domain id: a UUID in lower case")),
				},
			},
			"data_source_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the product's data sources, as strings (`data.immuta_domain_data_sources` lists " +
					"a domain's). Each must belong to one of `domain_ids`. Leave it out for a product with no data sources. " +
					"Order does not matter.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(positiveIntegerPattern, "must be a data source id: a positive integer written as a string, such as \"101\"")),
				},
			},
			"data_access_request_form_id": requestFormIDAttribute("data access requests",
				"data_access_review_flow"),
			"masking_exception_request_form_id": requestFormIDAttribute("masking exception requests (requests to see "+
				"masked columns unmasked)", "masking_exception_review_flow"),
			"subject_matter_expert_id": schema.StringAttribute{
				MarkdownDescription: "The global user id of the person data consumers and stewards can ask about the product " +
					"(`data.immuta_user`'s `global_user_id`). Leave it out for none.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.RegexMatches(lowerCaseUUIDPattern, "must be a global user id: a UUID in lower case")},
			},
			"suspended": schema.BoolAttribute{
				MarkdownDescription: "Whether access to the product is suspended. Suspending revokes all access, and all masking " +
					"exceptions, that approvals granted; setting it back to `false` grants them again. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"data_access_review_flow":            productReviewFlowAttribute(productFlowDescriptions[0]),
			"data_access_review_flow_json":       productReviewFlowJSONAttribute(productFlowDescriptions[0]),
			"masking_exception_review_flow":      productReviewFlowAttribute(productFlowDescriptions[1]),
			"masking_exception_review_flow_json": productReviewFlowJSONAttribute(productFlowDescriptions[1]),
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Whether Terraform refuses to destroy the product. " + deletionRevokesAccess + " Defaults to " +
					"`true`: set it to `false` and apply before destroying. It is a Terraform setting, not sent to the Marketplace. " +
					"A product that a failed create leaves in state (tainted) is saved with it `false`, so that the next apply can replace it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the product was published (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "The global user id of the user who published the product.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the product was last changed (RFC 3339).",
				Computed:            true,
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "The status of the Terraform user's own access request for the product, such as `NONE` " +
					"(no request), `PENDING` or `APPROVED`. It is not a state of the product.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source_types": schema.SetAttribute{
				MarkdownDescription: "The platforms of the product's data sources, such as `Snowflake` or `Databricks`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"timeouts": timeoutsAttribute(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *dataProductResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("data product")
}

func (r *dataProductResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses to plan the destruction of a protected product,
// keeps computed values that the planned change cannot alter, and checks
// at plan time that the data sources belong to the domains.
func (r *dataProductResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state dataProductResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() && state.DeletionProtection.ValueBool() {
			resp.Diagnostics.AddError("Data Product Is Protected From Deletion", deletionProtectedMessage(state.Name.ValueString(), state.ID.ValueString()))
		}
		return
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes: nothing to check, and no values to keep. Most
		// products of a large configuration take this path on every plan.
		return
	}
	var plan dataProductResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		r.checkDataSourcesInDomains(ctx, plan.DomainIDs, plan.DataSourceIDs, &resp.Diagnostics)
		r.checkFormsAndFlows(ctx, &plan, nil, &resp.Diagnostics)
		r.checkReferences(ctx, &plan, nil, &resp.Diagnostics)
		return
	}
	var state dataProductResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Name.IsUnknown() {
		lookupsFor(r.client).recordManaged("data product", state.ID.ValueString(), state.Name.ValueString(), plan.Name.ValueString())
	}
	sourcesSame := plan.DataSourceIDs.Equal(state.DataSourceIDs)
	if sourcesSame {
		plan.SourceTypes = state.SourceTypes
	}
	if !productChangesRemotely(&plan, &state) {
		plan.UpdatedAt = state.UpdatedAt
	}
	if !sourcesSame || !plan.DomainIDs.Equal(state.DomainIDs) {
		r.checkDataSourcesInDomains(ctx, plan.DomainIDs, plan.DataSourceIDs, &resp.Diagnostics)
	}
	r.checkFormsAndFlows(ctx, &plan, &state, &resp.Diagnostics)
	r.checkReferences(ctx, &plan, &state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// checkReferences looks up the subject matter expert and the users,
// groups and attributes of the product's own review flows, where they are
// known and changed (state is nil on create).
func (r *dataProductResource) checkReferences(ctx context.Context, plan, state *dataProductResourceModel, diags *diag.Diagnostics) {
	l := lookupsFor(r.client)
	if sme := knownString(plan.SubjectMatterExpertID); sme != "" && (state == nil || !plan.SubjectMatterExpertID.Equal(state.SubjectMatterExpertID)) {
		checkUserExists(ctx, l, path.Root("subject_matter_expert_id"), sme, diags)
	}
	var stateFlows []productFlow
	if state != nil {
		stateFlows = state.flows()
	}
	for i, flow := range plan.flows() {
		if state != nil && flow.same(stateFlows[i]) {
			continue
		}
		d := productFlowDescriptions[i]
		checkFlowReferences(ctx, l, path.Root(d.attribute), path.Root(d.jsonAttribute), *flow.Typed, *flow.JSON, diags)
	}
}

// productChangesRemotely reports whether applying plan over state calls
// the API (rather than only changing Terraform settings).
func productChangesRemotely(plan, state *dataProductResourceModel) bool {
	return !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description) ||
		!plan.DomainIDs.Equal(state.DomainIDs) || !plan.DataSourceIDs.Equal(state.DataSourceIDs) ||
		!plan.DataAccessRequestFormID.Equal(state.DataAccessRequestFormID) ||
		!plan.MaskingExceptionRequestFormID.Equal(state.MaskingExceptionRequestFormID) ||
		!plan.SubjectMatterExpertID.Equal(state.SubjectMatterExpertID) ||
		!plan.Suspended.Equal(state.Suspended) || !plan.sameFlows(&state.dataProductReviewFlowFields)
}

// productFlowDescription says what one request type's flow is for.
type productFlowDescription struct {
	requests, formAttribute, attribute, jsonAttribute string
}

var productFlowDescriptions = [2]productFlowDescription{
	{"data access requests", "data_access_request_form_id", "data_access_review_flow", "data_access_review_flow_json"},
	{"masking exception requests", "masking_exception_request_form_id", "masking_exception_review_flow", "masking_exception_review_flow_json"},
}

// productFlowUse explains when a product's flow applies, for the
// descriptions.
func productFlowUse(d productFlowDescription) string {
	return fmt.Sprintf("It decides %[1]s only while the request form of `%[2]s` delegates the review flow to the data "+
		"product (`review_flow.delegate_to_data_product` of `immuta_request_form`). Set for a form that decides requests itself, "+
		"it is stored but has no effect, and the plan warns. Left out, the product has the service's default flow (a review "+
		"by users with the GOVERNANCE permission or the domain's \"Manage Data Products\" permission), which is not shown as "+
		"a change; a delegating form without a product flow gets that default, and the plan warns. A flow changed in the "+
		"Marketplace app shows as drift, and applying restores the configured one (or the default).", d.requests, d.formAttribute)
}

// productReviewFlowAttribute is a product's typed review flow for one
// request type.
func productReviewFlowAttribute(d productFlowDescription) schema.SingleNestedAttribute {
	attr := reviewFlowResourceAttribute(reviewFlowOptions{JSONAttribute: d.jsonAttribute})
	attr.MarkdownDescription = fmt.Sprintf("The product's own review flow for %s: `auto_approve` or `review`. ",
		d.requests) + productFlowUse(d) + " Conflicts with `" + d.jsonAttribute + "`. " + attr.MarkdownDescription
	return attr
}

// productReviewFlowJSONAttribute is the escape hatch of a product's flow
// for one request type.
func productReviewFlowJSONAttribute(d productFlowDescription) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("The product's own review flow for %s as a policy document in JSON, for what "+
			"`%s` cannot say (rules that decide by the requester's answers): `{\"rules\": [...], \"defaultEvent\": {...}}`, "+
			"whose default event may only be `approve` or `review`. Use `jsonencode()`; key order and white space never "+
			"cause a change. ", d.requests, d.attribute) + productFlowUse(d) + " Conflicts with `" + d.attribute + "`.",
		Optional:   true,
		CustomType: jsontypes.NormalizedType{},
		Validators: []validator.String{
			policyDocumentValidator{},
			stringvalidator.ConflictsWith(path.MatchRoot(d.attribute)),
		},
	}
}

// requestFormIDAttribute is the form of one request type.
func requestFormIDAttribute(requests, flowAttribute string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("The id of the request form data consumers fill in for %s (an `immuta_request_form`'s "+
			"id, or the id of a form made in the Marketplace app, such as the built-in Standard Request Form; "+
			"`data.immuta_request_form` looks one up). Leave it out for the service's default form (the Standard Request "+
			"Form) on a new product; leaving it out later keeps the current form. When the form delegates the review flow "+
			"to the data product, `%s` decides.", requests, flowAttribute),
		Optional:      true,
		Computed:      true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		Validators: []validator.String{
			stringvalidator.RegexMatches(requestFormIDPattern, "must be a request form id: a UUID in lower case, or a cuid"),
		},
	}
}

// checkFormsAndFlows reads the request forms whose ids are known, when
// they or the flows change (state is nil on create): an unknown form is
// an error, and a flow that would not apply, or a delegating form without
// a product flow, is a warning naming the attribute.
func (r *dataProductResource) checkFormsAndFlows(ctx context.Context, plan, state *dataProductResourceModel, diags *diag.Diagnostics) {
	if r.client == nil {
		return
	}
	forms := [2]types.String{plan.DataAccessRequestFormID, plan.MaskingExceptionRequestFormID}
	var stateForms [2]types.String
	var stateFlows []productFlow
	if state != nil {
		stateForms = [2]types.String{state.DataAccessRequestFormID, state.MaskingExceptionRequestFormID}
		stateFlows = state.flows()
	}
	checked := map[string]*marketplace.RequestForm{}
	for i, flow := range plan.flows() {
		d := productFlowDescriptions[i]
		if state != nil && forms[i].Equal(stateForms[i]) && flow.same(stateFlows[i]) {
			continue
		}
		if forms[i].IsUnknown() || forms[i].IsNull() {
			continue // the service's default form, or one not known yet
		}
		id := forms[i].ValueString()
		form, seen := checked[id]
		if !seen {
			form = r.lookUpForm(ctx, id, d, diags)
			checked[id] = form
		}
		if form != nil {
			warnFlowUse(form, id, flow, d, diags)
		}
	}
}

// lookUpForm reads a product's form at plan time: nil, with an error
// naming the attribute, when no form has the id, or nil when it cannot be
// checked now (the apply will). A form this process created a moment ago
// in this very apply (whose final plan runs this once the form's id is
// known) may stay invisible for a while, so a 404 for it is waited out;
// any other id is asked about once.
func (r *dataProductResource) lookUpForm(ctx context.Context, id string, d productFlowDescription, diags *diag.Diagnostics) *marketplace.RequestForm {
	var wait time.Duration
	if lookupsFor(r.client).createdHere(id) {
		wait = r.client.ConsistencyWindow()
		tflog.Debug(ctx, "The request form was created by this apply; a 404 is waited out", map[string]any{"id": id, "wait_at_most": wait.String()})
	}
	started := time.Now()
	got, err := waitForObject(ctx, id, productChecksFor(r.client).getRequestForm(r.client.GetRequestForm), wait)
	if errors.Is(err, marketplace.ErrNotFound) {
		waited := ""
		if wait > 0 {
			waited = fmt.Sprintf(" (this apply created it, and waited %s for it to become visible)", time.Since(started).Round(time.Second))
		}
		diags.AddAttributeError(path.Root(d.formAttribute), "Unknown Request Form",
			fmt.Sprintf("No request form has the id %s%s. Use an immuta_request_form's id, or look one up with "+
				"data.immuta_request_form.", id, waited))
		return nil
	}
	if err != nil {
		tflog.Debug(ctx, "Could not check the request form at plan time; the apply will", map[string]any{"error": err.Error()})
		return nil
	}
	return got
}

// warnFlowUse warns, naming the attribute, of a product flow that would
// not apply (its form decides requests itself), or of a delegating form
// without a product flow.
func warnFlowUse(form *marketplace.RequestForm, id string, flow productFlow, d productFlowDescription, diags *diag.Diagnostics) {
	switch delegates := formDelegates(form); {
	case !delegates && flow.set():
		attr := d.attribute
		if !flow.JSON.IsNull() {
			attr = d.jsonAttribute
		}
		diags.AddAttributeWarning(path.Root(attr), "Review Flow Has No Effect",
			fmt.Sprintf("Request form %q (%s), the product's form for %s, decides requests itself, so %s is stored "+
				"but not used. It takes effect if %s becomes a form that delegates the review flow to the data product "+
				"(review_flow = { delegate_to_data_product = true }); remove it otherwise.", form.Name, id, d.requests, attr, d.formAttribute))
	case delegates && !flow.set():
		diags.AddAttributeWarning(path.Root(d.attribute), "Default Review Flow Applies",
			fmt.Sprintf("Request form %q (%s) delegates the review flow for %s to each data product, and this product "+
				"sets none, so the service's default applies: a review by users with the GOVERNANCE permission or the "+
				"domain's \"Manage Data Products\" permission. Set %s (or %s) to decide otherwise.",
				form.Name, id, d.requests, d.attribute, d.jsonAttribute))
	}
}

// checkDataSourcesInDomains asks the metadata API whether each data
// source belongs to one of the domains, when both are known. A lookup
// that fails for another reason than an unknown domain is left to the
// apply, where the service checks the same.
func (r *dataProductResource) checkDataSourcesInDomains(ctx context.Context, domainSet, sourceSet types.Set, diags *diag.Diagnostics) {
	if r.client == nil || domainSet.IsUnknown() || sourceSet.IsUnknown() || domainSet.IsNull() {
		return
	}
	domains, d := setElements(ctx, domainSet)
	sources, d2 := setElements(ctx, sourceSet)
	if d.HasError() || d2.HasError() {
		return
	}
	if len(sources) == 0 {
		r.checkDomainsExist(ctx, domains, diags)
		return
	}
	ids := make([]int64, 0, len(sources))
	for _, s := range sources {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return // the attribute's validator reports it
		}
		ids = append(ids, n)
	}
	found, ok := r.dataSourcesInDomains(ctx, domains, ids, diags)
	if !ok {
		return
	}
	var outside []string
	for _, s := range sources {
		if !found[s] {
			outside = append(outside, s)
		}
	}
	if len(outside) == 0 {
		return
	}
	sortDataSourceIDs(outside)
	diags.AddAttributeError(path.Root("data_source_ids"), "Data Source Outside the Product's Domains",
		fmt.Sprintf("Data source %s is not in any of the product's domains (%s). A data product's data sources must come "+
			"from its domains: add the data source's domain to domain_ids, or remove the data source. "+
			"data.immuta_domain_data_sources lists the data sources of a domain.",
			strings.Join(outside, ", "), strings.Join(domains, ", ")))
}

// dataSourcesInDomains tells which of the data sources ids are in one of
// the domains (as strings). Only the data sources no earlier check of
// this process asked about are looked up. ok is false when the check
// cannot be made (an unknown domain is then an error in diags).
func (r *dataProductResource) dataSourcesInDomains(ctx context.Context, domains []string, ids []int64,
	diags *diag.Diagnostics,
) (_ map[string]bool, ok bool) {
	found := map[string]bool{}
	cache := productChecksFor(r.client)
	for _, domain := range domains {
		if !lowerCaseUUIDPattern.MatchString(domain) {
			return nil, false
		}
		known, ask := cache.membership(domain, ids)
		for id, in := range known {
			if in {
				found[dataSourceID(id)] = true
			}
		}
		if len(ask) == 0 {
			continue
		}
		inDomain, err := r.client.ListDomainDataSources(ctx, domain, marketplace.ListDomainDataSourcesOptions{IDs: ask})
		if errors.Is(err, marketplace.ErrNotFound) {
			addUnknownDomainError(diags, domain)
			return nil, false
		}
		if err != nil {
			tflog.Debug(ctx, "Could not check the data sources' domains at plan time; the apply will", map[string]any{"error": err.Error()})
			return nil, false
		}
		in := make(map[int64]bool, len(inDomain))
		for _, ds := range inDomain {
			found[dataSourceID(ds.DataSourceID)] = true
			in[ds.DataSourceID] = true
		}
		cache.addMembership(domain, ask, in)
	}
	return found, true
}

// checkDomainsExist looks up each domain of a product without data sources,
// which checkDataSourcesInDomains would otherwise not ask about.
func (r *dataProductResource) checkDomainsExist(ctx context.Context, domains []string, diags *diag.Diagnostics) {
	for _, domain := range domains {
		if !lowerCaseUUIDPattern.MatchString(domain) {
			return // the attribute's validator reports it
		}
		cache := productChecksFor(r.client)
		if cache.domainExists(domain) {
			continue
		}
		_, err := r.client.GetDomain(ctx, domain)
		if errors.Is(err, marketplace.ErrNotFound) {
			addUnknownDomainError(diags, domain)
			return
		}
		if err != nil {
			tflog.Debug(ctx, "Could not check the domains at plan time; the apply will", map[string]any{"error": err.Error()})
			return
		}
		cache.addDomain(domain)
	}
}

func addUnknownDomainError(diags *diag.Diagnostics, domain string) {
	diags.AddAttributeError(path.Root("domain_ids"), "Unknown Domain",
		fmt.Sprintf("No domain has the id %s. Look domains up with data.immuta_domain or data.immuta_domains.", domain))
}

func (r *dataProductResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dataProductResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	name := plan.Name.ValueString()
	ctx = logObject(ctx, kindDataProduct, "")
	journal := journalFor(r.client)
	id, _ := journal.idFor(ctx, "data product", name)
	ctx = logObject(ctx, kindDataProduct, id)
	in, sources, diags := plan.toCreateRequest(ctx, id)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	result, ok := runCreate(ctx, r.createSpec(id, name, in, sources, journal), resp,
		"Unable to Create Data Product", fmt.Sprintf("Publishing data product %q", name))
	if !ok {
		return
	}
	product, ok := r.suspendNew(ctx, &plan, id, result.Object, sources, resp)
	if !ok {
		return
	}
	forms := r.newProductForms(ctx, &plan, id, result.Adopted, resp)
	resp.Diagnostics.Append(plan.setFromAPI(ctx, productReads{Product: product, DataSourceIDs: sources, Forms: forms})...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
	if resp.Diagnostics.HasError() {
		plan.DeletionProtection = types.BoolValue(failedCreateDeletionProtection) // saved tainted, like any failed create
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
}

// createSpec is a product's create: an object found under the id is
// brought to the plan (its fields, then its data sources).
func (r *dataProductResource) createSpec(id, name string, in marketplace.DataProductInput, sources []string,
	journal *createJournal,
) createSpec[marketplace.DataProduct] {
	return createSpec[marketplace.DataProduct]{
		Kind: "data product", ResourceType: "immuta_data_product", ID: id, Name: name, Made: "published",
		Create: func(ctx context.Context) (*marketplace.DataProduct, error) {
			return r.client.CreateDataProduct(ctx, in)
		},
		Get: r.client.GetDataProduct,
		Adopt: func(ctx context.Context) (*marketplace.DataProduct, error) {
			adopted, err := r.client.UpdateDataProduct(ctx, id, in.AsUpdate())
			if err == nil {
				adopted, err = r.client.SetDataProductDataSources(ctx, id, sources)
			}
			return adopted, err
		},
		AdoptFailedHint: "Terraform keeps the product in state, marked tainted; the next apply replaces it.",
		MayExistNote: " Its deletion_protection is off in state, since it never matched the configuration; the " +
			"replacement takes the configured value.",
		KeptAttributes: map[string]any{"deletion_protection": failedCreateDeletionProtection},
		IDsByName: func(ctx context.Context) ([]string, error) {
			return refIDs(findDataProductsByName(ctx, r.client, name))
		},
		Window:  r.client.ConsistencyWindow(),
		Journal: journal,
		Lookups: lookupsFor(r.client),
	}
}

// suspendNew suspends a new product that the plan wants suspended: a
// product is published unsuspended, and suspending it is a second call.
// When that fails, undoCreate handles the product, and ok is false.
func (r *dataProductResource) suspendNew(ctx context.Context, plan *dataProductResourceModel, id string,
	product *marketplace.DataProduct, sources []string, resp *resource.CreateResponse,
) (_ *marketplace.DataProduct, ok bool) {
	if !plan.Suspended.ValueBool() || product.Suspended {
		return product, true
	}
	suspend := true
	suspended, err := r.client.UpdateDataProduct(ctx, id, marketplace.DataProductUpdate{Suspended: &suspend})
	if err != nil {
		r.undoCreate(ctx, plan, product, sources, err, resp)
		return nil, false
	}
	return suspended, true
}

// newProductForms are a new product's request forms. A new product has
// the forms its create sent: when both were set, there is nothing to read
// back (a refresh still reads them). A form left out is the service's
// default, whose id only a read tells, or the list of the default that
// earlier reads showed (see defaultForms). If the read fails, the product
// is as configured and only its forms are not known: it is kept (tainted,
// so replaced next time) rather than lost, with the planned forms.
func (r *dataProductResource) newProductForms(ctx context.Context, plan *dataProductResourceModel, id string,
	adopted bool, resp *resource.CreateResponse,
) []marketplace.DataProductRequestForm {
	planned := plannedForms(plan)
	if !adopted && len(planned) == len(productFlowDescriptions) {
		return planned
	}
	read := func(ctx context.Context) ([]marketplace.DataProductRequestForm, error) {
		return r.client.GetDataProductRequestForms(ctx, id)
	}
	var forms []marketplace.DataProductRequestForm
	var err error
	if adopted {
		forms, err = read(ctx) // an adopted product's forms may be any
	} else {
		forms, err = defaultFormsFor(r.client).forms(ctx, id, planned, read)
	}
	if err == nil {
		return forms
	}
	addAPIError(&resp.Diagnostics, "Unable to Read New Data Product's Request Forms",
		fmt.Sprintf("Data product %q (%s) was published, but reading its request forms", plan.Name.ValueString(), id), err,
		"Terraform keeps the product in state, marked tainted; the next apply replaces it.")
	return plannedForms(plan)
}

// plannedForms stands in for the forms of a product whose forms could not
// be read: the planned ids, where known.
func plannedForms(plan *dataProductResourceModel) []marketplace.DataProductRequestForm {
	var out []marketplace.DataProductRequestForm
	for _, f := range []struct {
		id          types.String
		requestType string
	}{
		{plan.DataAccessRequestFormID, marketplace.RequestTypeDataAccess},
		{plan.MaskingExceptionRequestFormID, marketplace.RequestTypeMaskingException},
	} {
		if id := knownString(f.id); id != "" {
			out = append(out, marketplace.DataProductRequestForm{RequestForm: marketplace.RequestForm{ID: id}, RequestType: f.requestType})
		}
	}
	return out
}

func (r *dataProductResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dataProductResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	ctx = logObject(ctx, kindDataProduct, id)
	// Set first: Terraform wants it even when the object has gone.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	reads, err := refreshDataProduct(ctx, r.client, req.Private, &state)
	if errors.Is(err, marketplace.ErrNotFound) {
		tflog.Warn(ctx, "Data product no longer exists; removing it from state")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Data Product", fmt.Sprintf("Reading data product %s", id), err)
		return
	}
	resp.Diagnostics.Append(state.setFromAPI(ctx, reads)...)
	if state.DeletionProtection.IsNull() || state.DeletionProtection.IsUnknown() {
		state.DeletionProtection = types.BoolValue(true) // imported: protected, as a new one is
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update applies the changes in the order productUpdate gives (see
// toUpdate): no data source is ever outside the domains, and no access is
// granted through a product half-way through its change.
func (r *dataProductResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dataProductResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	id := state.ID.ValueString()
	ctx = logObject(ctx, kindDataProduct, id)
	update, diags := plan.toUpdate(ctx, &state)
	resp.Diagnostics.Append(diags...)
	if update == nil {
		return
	}
	product, ok := r.applyUpdate(ctx, id, update, &plan, &state, resp)
	if !ok {
		return
	}
	if product == nil {
		// Only Terraform settings changed (deletion_protection, timeouts).
		plan.dataProductFields = state.dataProductFields
		plan.dataProductReviewFlowFields = state.dataProductReviewFlowFields
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
		return
	}
	forms, err := r.updatedProductForms(ctx, &plan, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Update Data Product", "Reading the request forms of data product "+id, err)
		r.saveAfterFailedUpdate(ctx, &plan, &state, changedSome, resp)
		return
	}
	resp.Diagnostics.Append(plan.setFromAPI(ctx, productReads{Product: product, DataSourceIDs: update.DataSources, Forms: forms})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

// updatedProductForms are an updated product's request forms: as planned
// when the plan knows both (kept from state, or sent by the update), read
// back when one is left to the service's default.
func (r *dataProductResource) updatedProductForms(ctx context.Context, plan *dataProductResourceModel, id string) ([]marketplace.DataProductRequestForm, error) {
	if forms := plannedForms(plan); len(forms) == len(productFlowDescriptions) {
		return forms, nil
	}
	return r.client.GetDataProductRequestForms(ctx, id)
}

// applyUpdate makes update's calls, skipping those with nothing to send.
// It returns the product as the last call left it (nil when no call was
// needed); when a call fails it reports it, saves what the product then
// is, and ok is false.
func (r *dataProductResource) applyUpdate(ctx context.Context, id string, update *productUpdate,
	plan, state *dataProductResourceModel, resp *resource.UpdateResponse,
) (_ *marketplace.DataProduct, ok bool) {
	var product *marketplace.DataProduct
	steps := []struct {
		what string
		run  func() (*marketplace.DataProduct, error)
		skip bool
	}{
		{"Updating data product " + id, func() (*marketplace.DataProduct, error) {
			return r.client.UpdateDataProduct(ctx, id, update.First)
		}, update.First.IsEmpty()},
		{"Replacing the data sources of data product " + id, func() (*marketplace.DataProduct, error) {
			return r.client.SetDataProductDataSources(ctx, id, sortedDataSourceIDs(update.DataSources))
		}, !update.SourcesChange},
		{"Updating data product " + id, func() (*marketplace.DataProduct, error) {
			return r.client.UpdateDataProduct(ctx, id, update.Last)
		}, update.Last.IsEmpty()},
	}
	for i, step := range steps {
		if step.skip {
			continue
		}
		got, err := step.run()
		if err != nil {
			var hint string
			if errors.Is(err, marketplace.ErrConflict) {
				hint = r.renameConflictHint(ctx, plan.Name.ValueString(), id, state.Name.ValueString())
			}
			addAPIError(&resp.Diagnostics, "Unable to Update Data Product", step.what, err, hint)
			progress := changedNothing
			if i > 0 {
				progress = changedSome // an earlier step may have run
			}
			r.saveAfterFailedUpdate(ctx, plan, state, progress, resp)
			return nil, false
		}
		product = got
	}
	return product, true
}

// renameConflictHint explains a 409 to a rename: names are unique, and
// what to do when the holder of the name is managed here too.
func (r *dataProductResource) renameConflictHint(ctx context.Context, name, id, oldName string) string {
	ids, _ := refIDs(findDataProductsByName(ctx, r.client, name))
	if hint := managedConflictHint(lookupsFor(r.client), "data product", name, id, oldName, ids); hint != "" {
		return hint
	}
	return fmt.Sprintf("Another data product is already named %q; names are unique.", name)
}

// updateProgress says whether a failed update had changed the product
// already.
type updateProgress bool

const (
	changedNothing updateProgress = false
	changedSome    updateProgress = true
)

// saveAfterFailedUpdate records what the product is after an update
// failed part-way: it reads the product back, or keeps the prior state if
// that fails too (the next plan then shows what is left to do).
func (r *dataProductResource) saveAfterFailedUpdate(ctx context.Context, plan, state *dataProductResourceModel, progress updateProgress, resp *resource.UpdateResponse) {
	saved := *state
	saved.DeletionProtection, saved.Timeouts = plan.DeletionProtection, plan.Timeouts
	if progress == changedSome {
		id := state.ID.ValueString()
		if reads, err := readProduct(ctx, r.client, id, r.client.GetDataProduct); err == nil {
			resp.Diagnostics.Append(saved.setFromAPI(ctx, reads)...)
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &saved)...)
}

func (r *dataProductResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dataProductResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	ctx = logObject(ctx, kindDataProduct, id)
	if state.DeletionProtection.IsNull() || state.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddError("Data Product Is Protected From Deletion", deletionProtectedMessage(state.Name.ValueString(), id))
		return
	}
	ctx, cancel, ok := writeContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	err := deleteObject(ctx, resp, journalFor(r.client), "data product", id, r.client.DeleteDataProduct)
	if err == nil {
		return
	}
	addAPIError(&resp.Diagnostics, "Unable to Delete Data Product",
		fmt.Sprintf("Deleting data product %q (%s)", state.Name.ValueString(), id), err)
}

func (r *dataProductResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = logObject(ctx, kindDataProduct, "")
	id, diags := resolveImport(ctx, req, "data product", func(ctx context.Context, name string) ([]marketplace.ObjectRef, error) {
		return findDataProductsByName(ctx, r.client, name)
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	importByID(ctx, id, resp)
}

// findDataProductsByName returns the product named exactly name (names
// are unique, so at most one).
func findDataProductsByName(ctx context.Context, client *marketplace.Client, name string) ([]marketplace.ObjectRef, error) {
	p, err := client.GetDataProductByName(ctx, name)
	if errors.Is(err, marketplace.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p.Name != name { // the match is the service's; check it here too
		return nil, nil
	}
	return []marketplace.ObjectRef{{ID: p.ID, Name: p.Name}}, nil
}

// sortedDataSourceIDs returns ids in numeric order (an empty list, not
// nil, when there are none, so that the body lists no data sources).
func sortedDataSourceIDs(ids []string) []string {
	out := append([]string{}, ids...)
	sortDataSourceIDs(out)
	return out
}
