package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &webhookDataSource{}
	_ datasource.DataSourceWithConfigure        = &webhookDataSource{}
	_ datasource.DataSourceWithConfigValidators = &webhookDataSource{}
)

// NewWebhookDataSource returns the immuta_webhook data source.
func NewWebhookDataSource() datasource.DataSource {
	return &webhookDataSource{}
}

type webhookDataSource struct {
	client *marketplace.Client
}

func (d *webhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (d *webhookDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing Marketplace webhook by `id` or by exact `url`. Only an Immuta " +
			"application admin may read webhooks. The signing key is never readable; `signing_key_set` says whether " +
			"one is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The webhook's id. Exactly one of `id` and `url` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The webhook's exact URL. Exactly one of `id` and `url` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"verify_tls":      schema.BoolAttribute{MarkdownDescription: "Whether the Marketplace checks the endpoint's TLS certificate.", Computed: true},
			"signing_key_set": schema.BoolAttribute{MarkdownDescription: "Whether the Marketplace holds a signing key for the webhook.", Computed: true},
			"suppressed":      schema.BoolAttribute{MarkdownDescription: "Whether the Marketplace has suspended deliveries to the webhook.", Computed: true},
		},
	}
}

func (d *webhookDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("url")),
	}
}

func (d *webhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg webhookFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Looked up by name, the id is known only from the answer.
	ctx = logObject(ctx, kindWebhook, cfg.ID.ValueString())
	if id := cfg.ID.ValueString(); id != "" {
		h, err := d.client.GetWebhook(ctx, id)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to Read Webhook", fmt.Sprintf("Reading webhook %s", id), err)
			return
		}
		cfg.fromAPI(h)
		resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
		return
	}
	rawURL := cfg.URL.ValueString()
	found, err := findWebhooksByURL(ctx, d.client, rawURL)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Find Webhook", fmt.Sprintf("Looking up the webhook for %s", rawURL), err)
		return
	}
	switch len(found) {
	case 1:
		cfg.fromAPI(&found[0])
		resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
	case 0:
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Webhook Not Found",
			fmt.Sprintf("No webhook has exactly the URL %q.", rawURL))
	default:
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Several Webhooks Match",
			fmt.Sprintf("%d webhooks have the URL %q (ids %s). Look one up by id.", len(found), rawURL, strings.Join(webhookIDs(found), ", ")))
	}
}
