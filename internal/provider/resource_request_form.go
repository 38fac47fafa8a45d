package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ resource.Resource                     = &requestFormResource{}
	_ resource.ResourceWithConfigure        = &requestFormResource{}
	_ resource.ResourceWithImportState      = &requestFormResource{}
	_ resource.ResourceWithConfigValidators = &requestFormResource{}
	_ resource.ResourceWithValidateConfig   = &requestFormResource{}
	_ resource.ResourceWithModifyPlan       = &requestFormResource{}
	_ resource.ResourceWithIdentity         = &requestFormResource{}
)

// Limits on request forms, the same as the emulator's (see marketplacetest).
const (
	maxRequestFormNameLength = 255
	maxFieldLabelLength      = 1000
	maxFieldOptionLength     = 255
)

// NewRequestFormResource returns the immuta_request_form resource.
func NewRequestFormResource() resource.Resource {
	return &requestFormResource{}
}

type requestFormResource struct {
	client *marketplace.Client
}

type requestFormResourceModel struct {
	requestFormFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *requestFormResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_request_form"
}

func (r *requestFormResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) { //nolint:funlen // schema definition
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Marketplace **request form**: the questions a requester answers, the data use agreements they " +
			"accept, and the review flow that decides the request. Data products name their forms with " +
			"`immuta_data_product`'s `data_access_request_form_id` and `masking_exception_request_form_id`; one form can " +
			"serve many products and both request types.\n\n" +
			"Every change updates the form in place and gives it a new `version`; questions keep their ids when they are " +
			"reordered or edited (they are matched by label). A form that a data product still uses cannot be deleted: " +
			"the error names the products. The built-in \"Standard Request Form\" cannot be managed or imported here: refer to " +
			"it with `data \"immuta_request_form\"` instead.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The form's id, a UUID. The provider chooses it before creating the form, so a create that " +
					"is retried can never make a second form.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The form's name, unique in the Marketplace (case-sensitive), 1 to %d characters. "+
					"Data product owners pick forms by name in the app.", maxRequestFormNameLength),
				Required: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxRequestFormNameLength),
					notBlankValidator(),
				},
			},
			"review_flow": reviewFlowResourceAttribute(reviewFlowOptions{RequestForm: true, JSONAttribute: "policy_json"}),
			"policy_json": schema.StringAttribute{
				MarkdownDescription: "The review-flow policy document as JSON, for what `review_flow` cannot say: rules that decide " +
					"by the requester's answers, in the json-rules-engine style " +
					"(`{\"version\": \"1\", \"rules\": [{\"conditions\": {\"all\": [...]}, \"event\": {...}}], \"defaultEvent\": {...}}`). " +
					"Use `jsonencode()`; key order and white space never cause a change. Exactly one of `review_flow` and " +
					"`policy_json` must be set.",
				Optional:   true,
				CustomType: jsontypes.NormalizedType{},
				Validators: []validator.String{policyDocumentValidator{requestForm: true}},
			},
			"data_use_agreement_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the data use agreements a requester must accept (`immuta_data_use_agreement.<name>.id`). " +
					"Order does not matter. Default: none.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
				Validators:  []validator.Set{setvalidator.ValueStringsAre(lowerUUIDValidator())},
			},
			"version": schema.StringAttribute{
				MarkdownDescription: "The form's version, which changes on every update. Access requests record the version they were made with.",
				Computed:            true,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the form was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "The global user id of the user who created the form.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the form was last changed (RFC 3339).",
				Computed:            true,
			},
			"updated_by": schema.StringAttribute{
				MarkdownDescription: "The global user id of the user who last changed the form.",
				Computed:            true,
			},
			"timeouts": timeoutsAttribute(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
		Blocks: map[string]schema.Block{
			"field": schema.ListNestedBlock{
				MarkdownDescription: "A question the requester answers, in the order shown. At least one. Reordering or editing " +
					"questions updates the form in place; each question keeps its `id` as long as its `label` stays.",
				Validators: []validator.List{listvalidator.IsRequired(), listvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "The question's id, a UUID the provider chooses when the question is added and keeps across updates.",
							Computed:            true,
						},
						"type": schema.StringAttribute{
							MarkdownDescription: "The answer format: `SHORT_ANSWER` (free text), `DROPDOWN` (one answer from `options`), " +
								"`CHECKBOXES` (several answers from `options`) or `ACCESS_DURATION` (the requester picks how long " +
								"access lasts; at most one per form, always required).",
							Required:   true,
							Validators: []validator.String{stringvalidator.OneOf(marketplace.FieldTypes...)},
						},
						"label": schema.StringAttribute{
							MarkdownDescription: fmt.Sprintf("The question, 1 to %d characters, unique within the form (ignoring case). "+
								"Required, except for `ACCESS_DURATION`, whose label is always %q (it may be left out).", maxFieldLabelLength, marketplace.AccessDurationLabel),
							Optional: true,
							Computed: true,
							Validators: []validator.String{
								stringvalidator.LengthBetween(1, maxFieldLabelLength),
								notBlankValidator(),
							},
						},
						"required": schema.BoolAttribute{
							MarkdownDescription: "Whether the requester must answer. Default `true`. `ACCESS_DURATION` is always required.",
							Optional:            true,
							Computed:            true,
						},
						"options": schema.ListAttribute{
							MarkdownDescription: fmt.Sprintf("The choices of a `DROPDOWN` or `CHECKBOXES` question, in the order shown: "+
								"at least one, unique, each 1 to %d characters. Required for those types, not allowed for `SHORT_ANSWER` and `ACCESS_DURATION`.", maxFieldOptionLength),
							ElementType: types.StringType,
							Optional:    true,
							Validators: []validator.List{
								listvalidator.SizeAtLeast(1),
								listvalidator.UniqueValues(),
								listvalidator.ValueStringsAre(stringvalidator.LengthBetween(1, maxFieldOptionLength), notBlankValidator()),
							},
						},
					},
				},
			},
		},
	}
}

func (r *requestFormResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("review_flow"), path.MatchRoot("policy_json")),
	}
}

// ValidateConfig checks the rules that span a field's attributes or
// several fields. Unknown values are skipped.
func (r *requestFormResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var list types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("field"), &list)...)
	if resp.Diagnostics.HasError() || list.IsNull() || list.IsUnknown() {
		return
	}
	var fields []formFieldModel
	resp.Diagnostics.Append(list.ElementsAs(ctx, &fields, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateFormFields(fields, &resp.Diagnostics)
}

// validateFormFields checks the rules of each field and those between
// fields: labels unique (ignoring case), options only for the types with
// choices, and at most one ACCESS_DURATION question, always required.
func validateFormFields(fields []formFieldModel, diags *diag.Diagnostics) {
	labels := map[string]int{}
	accessDuration := -1
	for i, f := range fields {
		at := path.Root("field").AtListIndex(i)
		typeKnown := !f.Type.IsUnknown() && !f.Type.IsNull()
		typ := f.Type.ValueString()
		if !f.Label.IsUnknown() && !f.Label.IsNull() {
			key := strings.ToLower(f.Label.ValueString())
			if j, dup := labels[key]; dup {
				diags.AddAttributeError(at.AtName("label"), "Duplicate Question Label",
					fmt.Sprintf("Attribute %s: the label %q is already used by field[%d]; labels must be unique within a form (ignoring case).",
						at.AtName("label"), f.Label.ValueString(), j))
			}
			labels[key] = i
			if typeKnown && typ == marketplace.FieldAccessDuration && f.Label.ValueString() != marketplace.AccessDurationLabel {
				diags.AddAttributeError(at.AtName("label"), "Fixed Access Duration Label",
					fmt.Sprintf("Attribute %s of an ACCESS_DURATION question can only be %q; remove it or set it to that.",
						at.AtName("label"), marketplace.AccessDurationLabel))
			}
		}
		if !typeKnown {
			continue
		}
		if f.Label.IsNull() && typ != marketplace.FieldAccessDuration {
			diags.AddAttributeError(at.AtName("label"), "Missing Question Label",
				fmt.Sprintf("Attribute %s is required for a %s question.", at.AtName("label"), typ))
		}
		switch {
		case marketplace.HasOptions(typ) && f.Options.IsNull():
			diags.AddAttributeError(at.AtName("options"), "Missing Options",
				fmt.Sprintf("Attribute %s is required for a %s question: list the choices (at least one).", at.AtName("options"), typ))
		case !marketplace.HasOptions(typ) && !f.Options.IsNull():
			diags.AddAttributeError(at.AtName("options"), "Options Not Allowed",
				fmt.Sprintf("Attribute %s cannot be set for a %s question: only DROPDOWN and CHECKBOXES questions have choices. Remove it.",
					at.AtName("options"), typ))
		}
		if typ == marketplace.FieldAccessDuration {
			if !f.Required.IsNull() && !f.Required.IsUnknown() && !f.Required.ValueBool() {
				diags.AddAttributeError(at.AtName("required"), "Access Duration Is Always Required",
					fmt.Sprintf("Attribute %s cannot be false for an ACCESS_DURATION question; remove it or set it to true.", at.AtName("required")))
			}
			if accessDuration >= 0 {
				diags.AddAttributeError(at.AtName("type"), "Several Access Duration Questions",
					fmt.Sprintf("Attribute %s: field[%d] is already the form's ACCESS_DURATION question; a form has at most one.",
						at.AtName("type"), accessDuration))
			}
			accessDuration = i
		}
	}
}

// ModifyPlan keeps each question's id by matching planned questions to
// the prior state's by label (never by position, so that reordering
// questions cannot swap their identities), and plans the defaults of
// `required` and of an ACCESS_DURATION question's `label`.
func (r *requestFormResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	r.checkReferences(ctx, req, &resp.Diagnostics)
	var planList, configList types.List
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("field"), &planList)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("field"), &configList)...)
	if resp.Diagnostics.HasError() || planList.IsNull() || planList.IsUnknown() || configList.IsUnknown() {
		return
	}
	var planned, configured, prior []formFieldModel
	resp.Diagnostics.Append(planList.ElementsAs(ctx, &planned, false)...)
	resp.Diagnostics.Append(configList.ElementsAs(ctx, &configured, false)...)
	if !req.State.Raw.IsNull() {
		var stateList types.List
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("field"), &stateList)...)
		if !stateList.IsNull() && !stateList.IsUnknown() {
			resp.Diagnostics.Append(stateList.ElementsAs(ctx, &prior, false)...)
		}
	}
	if resp.Diagnostics.HasError() || len(configured) != len(planned) {
		return
	}
	carryFieldIDs(planned, configured, prior)
	list, diags := types.ListValueFrom(ctx, formFieldsType, planned)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("field"), list)...)

	// A change made here (a default) is an update that
	// moves the volatile values, like any other.
	if !req.State.Raw.IsNull() && !resp.Plan.Raw.Equal(req.State.Raw) {
		for _, name := range []string{"version", "updated_at", "updated_by"} {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
	}
}

// checkReferences looks up the users, groups, attributes and data use
// agreements the form names, where they are known and changed.
func (r *requestFormResource) checkReferences(ctx context.Context, req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	var plan, state requestFormResourceModel
	if d := req.Plan.Get(ctx, &plan); d.HasError() {
		return
	}
	created := req.State.Raw.IsNull()
	if !created {
		if d := req.State.Get(ctx, &state); d.HasError() {
			return
		}
	}
	l := lookupsFor(r.client)
	if !created && !plan.Name.IsUnknown() {
		l.recordManaged("request form", state.ID.ValueString(), state.Name.ValueString(), plan.Name.ValueString())
	}
	if created || !plan.ReviewFlow.Equal(state.ReviewFlow) || !plan.PolicyJSON.Equal(state.PolicyJSON) {
		checkFlowReferences(ctx, l, path.Root("review_flow"), path.Root("policy_json"), plan.ReviewFlow, plan.PolicyJSON, diags)
	}
	if created || !plan.DataUseAgreementIDs.Equal(state.DataUseAgreementIDs) {
		checkAgreementsExist(ctx, l, path.Root("data_use_agreement_ids"), plan.DataUseAgreementIDs, diags)
	}
}

// carryFieldIDs fills in planned[i].id from the prior question with the
// same label (exactly, else ignoring case), and plans `required` (true)
// and an ACCESS_DURATION question's fixed `label` where they are not
// configured. configured[i] is the configuration of planned[i].
func carryFieldIDs(planned, configured, prior []formFieldModel) {
	used := make([]bool, len(prior))
	match := func(label string, same func(a, b string) bool) int {
		for j, p := range prior {
			if !used[j] && !p.ID.IsNull() && !p.ID.IsUnknown() && same(p.Label.ValueString(), label) {
				return j
			}
		}
		return -1
	}
	// Ids that are already known (nothing changed) claim their question.
	for i := range planned {
		if planned[i].ID.IsUnknown() {
			continue
		}
		for j, p := range prior {
			if p.ID.Equal(planned[i].ID) {
				used[j] = true
			}
		}
	}
	for i := range planned {
		f := &planned[i]
		if configured[i].Required.IsNull() {
			f.Required = types.BoolValue(true)
		}
		if configured[i].Label.IsNull() && f.Type.ValueString() == marketplace.FieldAccessDuration {
			f.Label = types.StringValue(marketplace.AccessDurationLabel)
		}
		if !f.ID.IsUnknown() || f.Label.IsUnknown() {
			continue
		}
		label := f.Label.ValueString()
		j := match(label, func(a, b string) bool { return a == b })
		if j < 0 {
			j = match(label, strings.EqualFold)
		}
		if j >= 0 {
			used[j] = true
			f.ID = prior[j].ID
		}
	}
}

func (r *requestFormResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("request form")
}

func (r *requestFormResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *requestFormResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan requestFormResourceModel
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
	ctx = logObject(ctx, kindRequestForm, "")
	journal := journalFor(r.client)
	id, _ := journal.idFor(ctx, "request form", name)
	ctx = logObject(ctx, kindRequestForm, id)
	plan.ID = types.StringValue(id)
	in, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	result, ok := runCreate(ctx, createSpec[marketplace.RequestForm]{
		Kind: "request form", ResourceType: "immuta_request_form", ID: id, Name: name, Made: "made",
		Create: func(ctx context.Context) (*marketplace.RequestForm, error) {
			return r.client.CreateRequestForm(ctx, in)
		},
		Get: r.client.GetRequestForm,
		Adopt: func(ctx context.Context) (*marketplace.RequestForm, error) {
			return r.client.UpdateRequestForm(ctx, id, in)
		},
		IDsByName: func(ctx context.Context) ([]string, error) {
			return refIDs(findRequestFormsByName(ctx, r.client, name))
		},
		Window:  r.client.ConsistencyWindow(),
		Journal: journal,
		Lookups: lookupsFor(r.client),
	}, resp, "Unable to Create Request Form", fmt.Sprintf("Creating request form %q", name))
	if !ok {
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(result.Object, requestFormReadMode{priorJSON: plan.PolicyJSON})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

// renameConflictHint explains a 409 to a rename: names are unique, and
// what to do when the holder of the name is managed here too.
func (r *requestFormResource) renameConflictHint(ctx context.Context, req resource.UpdateRequest, name, id string) string {
	var oldName types.String
	_ = req.State.GetAttribute(ctx, path.Root("name"), &oldName)
	ids, _ := refIDs(findRequestFormsByName(ctx, r.client, name))
	if hint := managedConflictHint(lookupsFor(r.client), "request form", name, id, oldName.ValueString(), ids); hint != "" {
		return hint
	}
	return fmt.Sprintf("Another request form is already named %q; names are unique.", name)
}

func (r *requestFormResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state requestFormResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = logObject(ctx, kindRequestForm, state.ID.ValueString())
	// Set first: Terraform wants it even when the object has gone.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	f, err := readObject(ctx, r.client, req.Private, state.ID.ValueString(), r.client.GetRequestForm)
	if errors.Is(err, marketplace.ErrNotFound) {
		tflog.Warn(ctx, "Request form no longer exists; removing it from state")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Request Form",
			fmt.Sprintf("Reading request form %s", state.ID.ValueString()), err)
		return
	}
	resp.Diagnostics.Append(state.fromAPI(f, requestFormReadMode{priorJSON: state.PolicyJSON})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *requestFormResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan requestFormResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindRequestForm, plan.ID.ValueString())

	in, diags := plan.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A product's plan-time check reads the form afresh after this.
	productChecksFor(r.client).forgetForm(plan.ID.ValueString())
	f, err := r.client.UpdateRequestForm(ctx, plan.ID.ValueString(), in)
	if err != nil {
		var hint string
		if errors.Is(err, marketplace.ErrConflict) {
			hint = r.renameConflictHint(ctx, req, plan.Name.ValueString(), plan.ID.ValueString())
		}
		addAPIError(&resp.Diagnostics, "Unable to Update Request Form",
			fmt.Sprintf("Updating request form %s", plan.ID.ValueString()), err, hint)
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(f, requestFormReadMode{priorJSON: plan.PolicyJSON})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, f.ID)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

func (r *requestFormResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state requestFormResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindRequestForm, state.ID.ValueString())

	id := state.ID.ValueString()
	// A product's plan-time check reads the form afresh after this.
	productChecksFor(r.client).forgetForm(id)
	err := deleteObject(ctx, resp, journalFor(r.client), "request form", id, r.client.DeleteRequestForm)
	if err == nil {
		return
	}
	var hint string
	if errors.Is(err, marketplace.ErrConflict) {
		products, listErr := r.client.ListRequestFormDataProducts(ctx, id)
		hint = requestFormInUseHint(products, listErr)
	}
	addAPIError(&resp.Diagnostics, "Unable to Delete Request Form",
		fmt.Sprintf("Deleting request form %q (%s)", state.Name.ValueString(), id), err, hint)
}

// requestFormInUseHint names the data products that still use a form,
// as GET {id}/data-products answered (listErr when that failed).
func requestFormInUseHint(products []marketplace.LinkedDataProduct, listErr error) string {
	if listErr != nil || len(products) == 0 {
		return "The form is still used by a data product. Give those data products another data_access_request_form_id " +
			"or masking_exception_request_form_id first (Terraform orders this itself when they are in the same configuration)."
	}
	refs := make([]marketplace.ObjectRef, len(products))
	for i, p := range products {
		refs[i] = p.ObjectRef
	}
	kind := "data product"
	if len(products) > 1 {
		kind = "data products"
	}
	return fmt.Sprintf("The form is still used by %s %s. Give those data products another "+
		"data_access_request_form_id or masking_exception_request_form_id (or delete them) first.", kind, describeRefs(refs))
}

func (r *requestFormResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = logObject(ctx, kindRequestForm, "")
	id, diags := resolveImport(ctx, req, "request form", func(ctx context.Context, name string) ([]marketplace.ObjectRef, error) {
		return findRequestFormsByName(ctx, r.client, name)
	})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.isStandardRequestForm(ctx, id) {
		resp.Diagnostics.AddError("Cannot Import the Standard Request Form",
			fmt.Sprintf("Request form %s is the built-in %q, which the Marketplace does not let anyone change or delete, "+
				"so it cannot be managed as an immuta_request_form (a later change or destroy would fail). Remove this "+
				"import, and refer to the form with a data source instead:\n\n"+
				"  data \"immuta_request_form\" \"standard\" {\n    name = %q\n  }\n\n"+
				"and data_access_request_form_id = data.immuta_request_form.standard.id (or "+
				"masking_exception_request_form_id) in data products.",
				id, marketplace.StandardRequestFormName, marketplace.StandardRequestFormName))
		return
	}
	importByID(ctx, id, resp)
}

// isStandardRequestForm reports whether id is the built-in Standard
// Request Form's (its name is unique). A form that cannot be read is
// left to Read, which reports it.
func (r *requestFormResource) isStandardRequestForm(ctx context.Context, id string) bool {
	if r.client == nil {
		return false
	}
	f, err := r.client.GetRequestForm(ctx, id)
	return err == nil && f.Name == marketplace.StandardRequestFormName
}

// findRequestFormsByName returns the request forms named exactly name.
func findRequestFormsByName(ctx context.Context, client *marketplace.Client, name string) ([]marketplace.ObjectRef, error) {
	found, err := client.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: name, ExactMatch: true})
	if err != nil {
		return nil, err
	}
	var out []marketplace.ObjectRef
	for _, f := range found {
		if f.Name == name { // the filter is the service's; check it here too
			out = append(out, marketplace.ObjectRef{ID: f.ID, Name: f.Name})
		}
	}
	return out, nil
}
