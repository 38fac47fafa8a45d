package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ resource.Resource                = &webhookResource{}
	_ resource.ResourceWithConfigure   = &webhookResource{}
	_ resource.ResourceWithImportState = &webhookResource{}
	_ resource.ResourceWithModifyPlan  = &webhookResource{}
	_ resource.ResourceWithIdentity    = &webhookResource{}
)

// maxWebhookSigningKeyLength is the emulator's limit (see marketplacetest).
const maxWebhookSigningKeyLength = 1024

// importURLPrefix forces an import by URL.
const importURLPrefix = "url:"

// NewWebhookResource returns the immuta_webhook resource.
func NewWebhookResource() resource.Resource {
	return &webhookResource{}
}

type webhookResource struct {
	client *marketplace.Client
}

type webhookResourceModel struct {
	webhookFields
	SigningKeyWO        types.String   `tfsdk:"signing_key_wo"`
	SigningKeyWOVersion types.Int64    `tfsdk:"signing_key_wo_version"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Marketplace **webhook**: an endpoint the Marketplace posts notifications to (for example to " +
			"mirror data products into a catalog). Only an Immuta application admin (`APPLICATION_ADMIN`) may manage " +
			"webhooks.\n\n" +
			"The signing key is write-only: it is sent to the Marketplace and never stored in the plan or the state, and " +
			"the Marketplace never returns it. Set `signing_key_wo_version` with it, and change the version to send a " +
			"new key (rotation, in place). Write-only attributes need Terraform 1.11 or later.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The webhook's id, a UUID the Marketplace assigns.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The URL notifications are posted to. It must use https; plain http is allowed only " +
					"for a loopback host (localhost, 127.0.0.0/8, ::1).",
				Required:   true,
				Validators: []validator.String{webhookURLValidator{}},
			},
			"verify_tls": schema.BoolAttribute{
				MarkdownDescription: "Whether the Marketplace checks the endpoint's TLS certificate. Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"signing_key_wo": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The key the Marketplace signs deliveries with, 1 to %d characters. "+
					"Write-only: never stored in the plan or state. It is sent when the webhook is created, when "+
					"`signing_key_wo_version` changes, and when the Marketplace reports that no key is set. To remove "+
					"the key, remove this attribute and change `signing_key_wo_version`.", maxWebhookSigningKeyLength),
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxWebhookSigningKeyLength),
					notBlankValidator(),
					stringvalidator.AlsoRequires(path.MatchRoot("signing_key_wo_version")),
				},
			},
			"signing_key_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; changing it sends `signing_key_wo` again (or removes the key when " +
					"`signing_key_wo` is not set), in place.",
				Optional: true,
			},
			"signing_key_set": schema.BoolAttribute{
				MarkdownDescription: "Whether the Marketplace holds a signing key for the webhook.",
				Computed:            true,
			},
			"suppressed": schema.BoolAttribute{
				MarkdownDescription: "Whether the Marketplace has suspended deliveries to the webhook (read-only).",
				Computed:            true,
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

// sendsKey reports whether a change from state to plan sends the signing
// key: its version changed, or the Marketplace reports no key while the
// configuration has one (someone removed it).
func sendsKey(state, plan webhookResourceModel, key types.String) bool {
	if !plan.SigningKeyWOVersion.Equal(state.SigningKeyWOVersion) {
		return true
	}
	return !key.IsNull() && !state.SigningKeySet.IsNull() && !state.SigningKeySet.ValueBool()
}

// ModifyPlan predicts signing_key_set, which only a sent key changes.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var key types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("signing_key_wo"), &key)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planned := types.BoolUnknown()
	if !key.IsUnknown() {
		planned = types.BoolValue(!key.IsNull())
	}
	if !req.State.Raw.IsNull() {
		var state webhookResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !sendsKey(state, plan, key) {
			planned = state.SigningKeySet
		}
	}
	plan.SigningKeySet = planned
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("webhook")
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = logObject(ctx, kindWebhook, "") // the service chooses the id
	var plan webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var key types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("signing_key_wo"), &key)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var send *string
	if !key.IsNull() {
		k := key.ValueString()
		send = &k
	}
	h, err := r.client.CreateWebhook(ctx, plan.toInput(send))
	if err != nil {
		var hint string
		if outcomeUnknown(err) {
			hint = "The webhook may have been created all the same. The Marketplace chooses webhook ids, so the " +
				"provider cannot look it up by id: check the webhooks for this URL and import the one that was made " +
				"(terraform import with \"" + importURLPrefix + "<url>\") before applying again."
		}
		addAPIError(&resp.Diagnostics, "Unable to Create Webhook",
			fmt.Sprintf("Creating the webhook for %s", plan.URL.ValueString()), err, hint)
		return
	}
	ctx = logObject(ctx, kindWebhook, h.ID)
	r.setState(ctx, &resp.State, &resp.Diagnostics, plan, h)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, h.ID)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

// setState stores the service's answer, with the write-only key null.
func (r *webhookResource) setState(ctx context.Context, st *tfsdk.State, diags *diag.Diagnostics, m webhookResourceModel, h *marketplace.Webhook) {
	m.fromAPI(h)
	m.SigningKeyWO = types.StringNull()
	diags.Append(st.Set(ctx, &m)...)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx = logObject(ctx, kindWebhook, state.ID.ValueString())
	// Set first: Terraform wants it even when the object has gone.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	h, err := readObject(ctx, r.client, req.Private, state.ID.ValueString(), r.client.GetWebhook)
	if errors.Is(err, marketplace.ErrNotFound) {
		tflog.Warn(ctx, "Webhook no longer exists; removing it from state")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Webhook", fmt.Sprintf("Reading webhook %s", state.ID.ValueString()), err)
		return
	}
	r.setState(ctx, &resp.State, &resp.Diagnostics, state, h)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	var key types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("signing_key_wo"), &key)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindWebhook, state.ID.ValueString())

	var send *string
	if sendsKey(state, plan, key) {
		k := key.ValueString() // "" (no key in the configuration) removes the key
		send = &k
	}
	h, err := r.client.UpdateWebhook(ctx, state.ID.ValueString(), plan.toInput(send))
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Update Webhook", fmt.Sprintf("Updating webhook %s", state.ID.ValueString()), err)
		return
	}
	r.setState(ctx, &resp.State, &resp.Diagnostics, plan, h)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, h.ID)...)
	resp.Diagnostics.Append(markWritten(ctx, resp.Private)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := writeContext(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	ctx = logObject(ctx, kindWebhook, state.ID.ValueString())

	id := state.ID.ValueString()
	// Webhook ids are the service's, so no create of one is journaled.
	err := deleteObject(ctx, resp, nil, "webhook", id, r.client.DeleteWebhook)
	if err == nil {
		return
	}
	addAPIError(&resp.Diagnostics, "Unable to Delete Webhook", fmt.Sprintf("Deleting webhook %s (%s)", id, state.URL.ValueString()), err)
}

// ImportState takes the webhook's id, or its exact URL (optionally as
// "url:<url>").
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ctx = logObject(ctx, kindWebhook, "")
	if req.ID == "" && req.Identity != nil {
		id, diags := resolveImport(ctx, req, "webhook", nil)
		resp.Diagnostics.Append(diags...)
		if !diags.HasError() {
			importByID(ctx, id, resp)
		}
		return
	}
	raw := strings.TrimSpace(req.ID)
	rawURL, byURL := strings.CutPrefix(raw, importURLPrefix)
	if !byURL && isUUID(raw) {
		importByID(ctx, strings.ToLower(raw), resp)
		return
	}
	if rawURL == "" {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import a webhook by its id (a UUID) or by its exact URL, as %q or %q.", "<id>", importURLPrefix+"<url>"))
		return
	}
	found, err := findWebhooksByURL(ctx, r.client, rawURL)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Import Webhook", fmt.Sprintf("Looking up the webhook for %s", rawURL), err)
		return
	}
	switch len(found) {
	case 1:
		importByID(ctx, found[0].ID, resp)
	case 0:
		resp.Diagnostics.AddError("Cannot Import Non-Existent Object",
			fmt.Sprintf("No webhook has exactly the URL %q; import by id (a UUID) if the URL is unknown.", rawURL))
	default:
		resp.Diagnostics.AddError("Ambiguous Import URL",
			fmt.Sprintf("%d webhooks have the URL %q (ids %s). Import one of them by id.", len(found), rawURL, strings.Join(webhookIDs(found), ", ")))
	}
}

// findWebhooksByURL returns the webhooks whose URL is exactly rawURL.
func findWebhooksByURL(ctx context.Context, client *marketplace.Client, rawURL string) ([]marketplace.Webhook, error) {
	all, err := client.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	var out []marketplace.Webhook
	for _, h := range all {
		if h.URL == rawURL {
			out = append(out, h)
		}
	}
	return out, nil
}

func webhookIDs(hs []marketplace.Webhook) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}
