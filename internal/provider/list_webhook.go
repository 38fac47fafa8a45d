package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ list.ListResource              = &webhookListResource{}
	_ list.ListResourceWithConfigure = &webhookListResource{}
)

// NewWebhookListResource returns the immuta_webhook list resource, for
// terraform query.
func NewWebhookListResource() list.ListResource {
	return &webhookListResource{}
}

type webhookListResource struct {
	client *marketplace.Client
}

type webhookListModel struct {
	URLContains types.String `tfsdk:"url_contains"`
}

func (l *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (l *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Marketplace's webhooks, all of them unless filtered, for `terraform query` " +
			"(Terraform 1.14 and later; managing webhooks needs an application admin's token). Each result's identity " +
			"is its `id`, and its name its URL. The signing key is write-only: an adopted webhook's generated " +
			"configuration has none, and keeps the key it has until `signing_key_wo` is set.",
		Attributes: map[string]schema.Attribute{
			"url_contains": schema.StringAttribute{
				MarkdownDescription: "Only the webhooks whose URL contains this text (case-sensitive).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (l *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := configuredList[webhookListModel](ctx, req, stream)
	if !ok {
		return
	}
	found, err := l.client.ListWebhooks(ctx)
	if err != nil {
		listFailed(stream, "Unable to List Webhooks", "Listing webhooks", err)
		return
	}
	// The service has no filter: it is applied here.
	part := cfg.URLContains.ValueString()
	var objects []listedObject
	for _, h := range found {
		if strings.Contains(h.URL, part) {
			objects = append(objects, listedObject{ID: h.ID, Name: h.URL})
		}
	}
	res := &webhookResource{client: l.client}
	streamListed(ctx, req, stream, objects, res.Read)
}
