package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ resource.Resource                = &dataUseAgreementResource{}
	_ resource.ResourceWithConfigure   = &dataUseAgreementResource{}
	_ resource.ResourceWithImportState = &dataUseAgreementResource{}
	_ resource.ResourceWithIdentity    = &dataUseAgreementResource{}
	_ resource.ResourceWithModifyPlan  = &dataUseAgreementResource{}
)

// Limits on agreements, the same as the emulator's (see marketplacetest).
const (
	maxAgreementNameLength = 255
	maxAgreementBodyLength = 100000
)

// NewDataUseAgreementResource returns the immuta_data_use_agreement resource.
func NewDataUseAgreementResource() resource.Resource {
	return &dataUseAgreementResource{}
}

type dataUseAgreementResource struct {
	client *marketplace.Client
}

type dataUseAgreementResourceModel struct {
	dataUseAgreementFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *dataUseAgreementResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_use_agreement"
}

func (r *dataUseAgreementResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Marketplace **data use agreement**: text a requester must accept before requesting access to a " +
			"data product. Request forms include agreements through `immuta_request_form.data_use_agreement_ids`.\n\n" +
			"Changing the name or the text updates the agreement in place; it keeps its id. A change made outside Terraform " +
			"shows up in the next plan. An agreement that a request form still uses cannot be deleted: remove it from the " +
			"forms first (Terraform orders this itself when the forms are in the same configuration).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The agreement's id, a UUID. The provider chooses it before creating the agreement, so a " +
					"create that is retried can never make a second agreement.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The agreement's name, unique in the Marketplace (case-sensitive), 1 to %d characters.", maxAgreementNameLength),
				Required:            true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxAgreementNameLength),
					notBlankValidator(),
				},
			},
			"body": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The text the requester must accept, 1 to %d characters. "+
					"Use a heredoc or `file()` for long text.", maxAgreementBodyLength),
				Required: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxAgreementBodyLength),
					notBlankValidator(),
				},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the agreement was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "The global user id of the user who created the agreement.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the agreement was last changed (RFC 3339).",
				Computed:            true,
			},
			"updated_by": schema.StringAttribute{
				MarkdownDescription: "The global user id of the user who last changed the agreement.",
				Computed:            true,
			},
			"timeouts": timeoutsAttribute(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *dataUseAgreementResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("data use agreement")
}

// ModifyPlan notes the agreement in state, and the name planned for it,
// so that a name conflict with it in this apply is explained rather than
// met with an import hint.
func (r *dataUseAgreementResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var id, name, planned types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &planned)...)
	if !resp.Diagnostics.HasError() && !planned.IsUnknown() {
		lookupsFor(r.client).recordManaged("data use agreement", id.ValueString(), name.ValueString(), planned.ValueString())
	}
}

func (r *dataUseAgreementResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *dataUseAgreementResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dataUseAgreementResourceModel
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
	ctx = logObject(ctx, kindDataUseAgreement, "")
	journal := journalFor(r.client)
	id, _ := journal.idFor(ctx, "data use agreement", name)
	ctx = logObject(ctx, kindDataUseAgreement, id)
	plan.ID = types.StringValue(id)
	result, ok := runCreate(ctx, createSpec[marketplace.DataUseAgreement]{
		Kind: "data use agreement", ResourceType: "immuta_data_use_agreement", ID: id, Name: name, Made: "made",
		Create: func(ctx context.Context) (*marketplace.DataUseAgreement, error) {
			return r.client.CreateDataUseAgreement(ctx, plan.toInput())
		},
		Get: r.client.GetDataUseAgreement,
		Adopt: func(ctx context.Context) (*marketplace.DataUseAgreement, error) {
			return r.client.UpdateDataUseAgreement(ctx, id, plan.toInput())
		},
		IDsByName: func(ctx context.Context) ([]string, error) {
			return refIDs(findDataUseAgreementsByName(ctx, r.client, name))
		},
		Window:  r.client.ConsistencyWindow(),
		Journal: journal,
		Lookups: lookupsFor(r.client),
	}, resp, "Unable to Create Data Use Agreement", fmt.Sprintf("Creating data use agreement %q", name))
	if !ok {
		return
	}
	plan.fromAPI(result.Object)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

// renameConflictHint explains a 409 to a rename ("There is already a data
// use agreement with this name."): names are unique, and which agreement
// holds the name, when the list says.
func (r *dataUseAgreementResource) renameConflictHint(ctx context.Context, name, id, oldName string) string {
	refs, err := findDataUseAgreementsByName(ctx, r.client, name)
	var others []string
	for _, ref := range refs {
		if err == nil && ref.ID != id {
			others = append(others, ref.ID)
		}
	}
	if hint := managedConflictHint(lookupsFor(r.client), "data use agreement", name, id, oldName, others); hint != "" {
		return hint
	}
	if len(others) == 0 {
		return fmt.Sprintf("Another data use agreement is already named %q; names are unique. Choose another name.", name)
	}
	return fmt.Sprintf("Data use agreement %s is already named %q; names are unique. Choose another name, or rename "+
		"or delete that agreement first.", strings.Join(others, ", "), name)
}

func (r *dataUseAgreementResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dataUseAgreementResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = logObject(ctx, kindDataUseAgreement, state.ID.ValueString())
	// Set first: Terraform wants it even when the object has gone.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	a, err := readObject(ctx, r.client, req.Private, state.ID.ValueString(), r.client.GetDataUseAgreement)
	if errors.Is(err, marketplace.ErrNotFound) {
		tflog.Warn(ctx, "Data use agreement no longer exists; removing it from state")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Data Use Agreement",
			fmt.Sprintf("Reading data use agreement %s", state.ID.ValueString()), err)
		return
	}
	state.fromAPI(a)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *dataUseAgreementResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan dataUseAgreementResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var oldName types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &oldName)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindDataUseAgreement, plan.ID.ValueString())

	a, err := r.client.UpdateDataUseAgreement(ctx, plan.ID.ValueString(), plan.toInput())
	if err != nil {
		var hint string
		if errors.Is(err, marketplace.ErrConflict) {
			hint = r.renameConflictHint(ctx, plan.Name.ValueString(), plan.ID.ValueString(), oldName.ValueString())
		}
		addAPIError(&resp.Diagnostics, "Unable to Update Data Use Agreement",
			fmt.Sprintf("Updating data use agreement %s", plan.ID.ValueString()), err, hint)
		return
	}
	plan.fromAPI(a)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, a.ID)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

func (r *dataUseAgreementResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dataUseAgreementResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindDataUseAgreement, state.ID.ValueString())

	id := state.ID.ValueString()
	err := deleteObject(ctx, resp, journalFor(r.client), "data use agreement", id, r.client.DeleteDataUseAgreement)
	if err == nil {
		return
	}
	var hint string
	if errors.Is(err, marketplace.ErrConflict) {
		hint = r.inUseHint(ctx, id)
	}
	addAPIError(&resp.Diagnostics, "Unable to Delete Data Use Agreement",
		fmt.Sprintf("Deleting data use agreement %q (%s)", state.Name.ValueString(), id), err, hint)
}

// inUseHint names the request forms that still use an agreement.
func (r *dataUseAgreementResource) inUseHint(ctx context.Context, id string) string {
	forms, err := r.client.ListDataUseAgreementRequestForms(ctx, id)
	if err != nil || len(forms) == 0 {
		return "The agreement is still in use by a request form. Remove it from every form's data_use_agreement_ids first."
	}
	return fmt.Sprintf("The agreement is still in use by request form %s. Remove it from those forms' "+
		"data_use_agreement_ids (or delete the forms) first.", describeRefs(forms))
}

func (r *dataUseAgreementResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = logObject(ctx, kindDataUseAgreement, "")
	id, diags := resolveImport(ctx, req, "data use agreement", r.findByName)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	importByID(ctx, id, resp)
}

// findByName returns the agreements named exactly name.
func (r *dataUseAgreementResource) findByName(ctx context.Context, name string) ([]marketplace.ObjectRef, error) {
	return findDataUseAgreementsByName(ctx, r.client, name)
}

// findDataUseAgreementsByName returns the agreements named exactly name.
func findDataUseAgreementsByName(ctx context.Context, client *marketplace.Client, name string) ([]marketplace.ObjectRef, error) {
	found, err := client.ListDataUseAgreements(ctx, marketplace.ListDataUseAgreementsOptions{NameFilter: name, ExactMatch: true})
	if err != nil {
		return nil, err
	}
	var out []marketplace.ObjectRef
	for _, a := range found {
		if a.Name == name { // the filter is the service's; check it here too
			out = append(out, marketplace.ObjectRef{ID: a.ID, Name: a.Name})
		}
	}
	return out, nil
}
