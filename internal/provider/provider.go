// Package provider implements the Immuta Marketplace Terraform provider on
// terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Environment variables read when the matching argument is not set.
const (
	EnvRegion         = "IMMUTA_MARKETPLACE_REGION"
	EnvEndpoint       = "IMMUTA_MARKETPLACE_ENDPOINT"
	EnvToken          = "IMMUTA_MARKETPLACE_TOKEN"
	EnvMaxRetries     = "IMMUTA_MARKETPLACE_MAX_RETRIES"
	EnvRequestTimeout = "IMMUTA_MARKETPLACE_REQUEST_TIMEOUT"
)

var (
	_ provider.Provider                  = &immutaProvider{}
	_ provider.ProviderWithListResources = &immutaProvider{}
)

// Option adjusts a provider instance; tests use it to shorten retry waits.
type Option func(*immutaProvider)

// WithRetryWait sets the backoff bounds used when the service sends no
// Retry-After header.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(p *immutaProvider) { p.retryWaitMin, p.retryWaitMax = minWait, maxWait }
}

// WithConsistencyWindow sets how long after its own write the provider
// waits out a 404 from the service (read-after-write lag); negative
// turns the wait off.
func WithConsistencyWindow(d time.Duration) Option {
	return func(p *immutaProvider) { p.consistencyWindow = d }
}

// WithCreateJournal sets the file of the create journal (see
// create_journal.go); "" turns it off. The default is in the Terraform
// data directory of the working directory.
func WithCreateJournal(path string) Option {
	return func(p *immutaProvider) { p.journalPath = &path }
}

type immutaProvider struct {
	version           string
	retryWaitMin      time.Duration
	retryWaitMax      time.Duration
	consistencyWindow time.Duration
	journalPath       *string
}

// New returns a constructor of the provider for providerserver.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &immutaProvider{version: version}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

type providerModel struct {
	Region         types.String `tfsdk:"region"`
	Endpoint       types.String `tfsdk:"endpoint"`
	Token          types.String `tfsdk:"token"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
}

func (p *immutaProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "immuta"
	resp.Version = p.version
}

func (p *immutaProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Immuta provider manages the Immuta **Marketplace**: data products, request forms and data use agreements, " +
			"through the Marketplace REST API. Authenticate with a Marketplace personal access token (PAT) and pick the " +
			"global segment (`region`) your tenant lives in, or give a full `endpoint` (for example the local `marketplace-emulator`).\n\n" +
			"Every argument can also come from an environment variable; an argument set in the configuration wins over its variable.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "The Immuta SaaS global segment of your tenant: `na`, `eu` or `ap`. The provider then calls " +
					"`https://<region>.api.immutacloud.com/marketplace`. Conflicts with `endpoint`. Environment variable: `" + EnvRegion + "`.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.OneOf("na", "eu", "ap"),
					stringvalidator.ConflictsWith(path.MatchRoot("endpoint")),
				},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "The full Marketplace API base URL, for example `https://na.api.immutacloud.com/marketplace` or the " +
					"URL `marketplace-emulator` prints. It must be `https`, except that plain `http` is accepted for loopback hosts " +
					"(`localhost`, `127.0.0.0/8`, `::1`). Conflicts with `region`. Environment variable: `" + EnvEndpoint + "`.",
				Optional:   true,
				Validators: []validator.String{baseURLValidator{}},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "A Marketplace personal access token, sent as a Bearer token. It is never logged or stored " +
					"in state. Environment variable: `" + EnvToken + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate limit (429), a server error (5xx) "+
					"or a network error, waiting as the service's `Retry-After` asks or with exponential backoff. Default `%d`. "+
					"Environment variable: `%s`.", marketplace.DefaultMaxRetries, EnvMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one attempt of a request may take, as a Go duration such as `30s` or `2m`. "+
					"Default `%s`. Environment variable: `%s`.", marketplace.DefaultRequestTimeout, EnvRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
		},
	}
}

func (p *immutaProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkArgumentsKnown(cfg, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	baseURL, ok := p.resolveBaseURL(cfg, resp)
	if !ok {
		return
	}
	token := stringOrEnv(cfg.Token, EnvToken)
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing Marketplace Token",
			"The provider needs a Marketplace personal access token. Set the provider argument \"token\" or the "+
				"environment variable "+EnvToken+". Create the token in the Immuta Marketplace app under your profile.")
		return
	}
	ctx = tflog.MaskMessageStrings(ctx, token)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)

	clientCfg, ok := p.clientConfig(cfg, baseURL, token, req.TerraformVersion, resp)
	if !ok {
		return
	}
	client, err := marketplace.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Provider Configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "Configured the Immuta Marketplace client", map[string]any{"base_url": client.BaseURL()})
	journalPath := defaultJournalPath()
	if p.journalPath != nil {
		journalPath = *p.journalPath
	}
	registerJournal(client, journalAt(journalPath))
	registerLookupCache(client)
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
}

// checkArgumentsKnown refuses provider arguments that are only known
// after apply.
func checkArgumentsKnown(cfg providerModel, diags *diag.Diagnostics) {
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"region": cfg.Region, "endpoint": cfg.Endpoint, "token": cfg.Token,
		"max_retries": cfg.MaxRetries, "request_timeout": cfg.RequestTimeout,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Unknown Provider Argument",
				fmt.Sprintf("The provider argument %q depends on a value that is only known after apply. "+
					"Set it from a literal, a variable or an environment variable instead.", name))
		}
	}
}

// clientConfig is the client's configuration: the arguments (or their
// environment variables) over the client's defaults.
func (p *immutaProvider) clientConfig(cfg providerModel, baseURL, token, terraformVersion string,
	resp *provider.ConfigureResponse,
) (_ marketplace.Config, ok bool) {
	clientCfg := marketplace.Config{
		BaseURL:      baseURL,
		Token:        token,
		UserAgent:    fmt.Sprintf("terraform-provider-immuta/%s (+https://registry.terraform.io/providers/immuta/immuta) Terraform/%s", p.version, terraformVersion),
		RetryWaitMin: p.retryWaitMin,
		RetryWaitMax: p.retryWaitMax,
		Logger:       tflogLogger{secret: token, debug: debugLogsWanted()},

		ConsistencyWindow: p.consistencyWindow,
	}
	maxRetries, ok := int64OrEnv(cfg.MaxRetries, EnvMaxRetries, resp)
	if !ok {
		return clientCfg, false
	}
	if maxRetries != nil {
		clientCfg.MaxRetries = int(*maxRetries)
		if clientCfg.MaxRetries == 0 {
			clientCfg.MaxRetries = -1 // 0 means "no retries" here, not "the default"
		}
	}
	if raw := stringOrEnv(cfg.RequestTimeout, EnvRequestTimeout); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				fmt.Sprintf("%q is not a positive duration such as \"30s\" (from the argument or %s).", raw, EnvRequestTimeout))
			return clientCfg, false
		}
		clientCfg.RequestTimeout = d
	}
	return clientCfg, true
}

// resolveBaseURL applies the precedence: an argument beats an environment
// variable, and an endpoint beats a region at the same level.
func (p *immutaProvider) resolveBaseURL(cfg providerModel, resp *provider.ConfigureResponse) (string, bool) {
	var raw, source string
	switch {
	case cfg.Endpoint.ValueString() != "":
		raw, source = cfg.Endpoint.ValueString(), "the provider argument \"endpoint\""
	case cfg.Region.ValueString() != "":
		raw, source = marketplace.Regions[cfg.Region.ValueString()], "the provider argument \"region\""
		if env := os.Getenv(EnvEndpoint); env != "" {
			resp.Diagnostics.AddAttributeWarning(path.Root("region"), "Region Argument Overrides the Endpoint Variable",
				fmt.Sprintf("The provider calls %s, from region = %q, and ignores %s=%s: a provider argument beats an "+
					"environment variable. To call that endpoint (for example a local emulator), remove region from the "+
					"provider block, or set endpoint instead.", raw, cfg.Region.ValueString(), EnvEndpoint, env))
		}
	case os.Getenv(EnvEndpoint) != "":
		raw, source = os.Getenv(EnvEndpoint), "the environment variable "+EnvEndpoint
	case os.Getenv(EnvRegion) != "":
		region := strings.ToLower(strings.TrimSpace(os.Getenv(EnvRegion)))
		var known bool
		if raw, known = marketplace.Regions[region]; !known {
			resp.Diagnostics.AddAttributeError(path.Root("region"), "Invalid Marketplace Region",
				fmt.Sprintf("The environment variable %s is %q; it must be one of na, eu or ap.", EnvRegion, os.Getenv(EnvRegion)))
			return "", false
		}
		source = "the environment variable " + EnvRegion
	default:
		resp.Diagnostics.AddAttributeError(path.Root("region"), "Missing Marketplace Region",
			"The provider needs to know which Marketplace to call. Set the provider argument \"region\" (na, eu or ap) "+
				"or \"endpoint\", or the environment variable "+EnvRegion+" or "+EnvEndpoint+".")
		return "", false
	}
	u, err := marketplace.ValidateBaseURL(raw)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid Marketplace Endpoint",
			fmt.Sprintf("%s: %v", source, err))
		return "", false
	}
	if !strings.Contains(u.Path, "/marketplace") {
		resp.Diagnostics.AddAttributeWarning(path.Root("endpoint"), "Endpoint Without /marketplace",
			fmt.Sprintf("The endpoint %s (from %s) has no /marketplace in its path, where the Marketplace API lives: "+
				"requests will likely fail with 404 \"Cannot GET /api/...\". Use the base URL with its path, such as "+
				"https://na.api.immutacloud.com/marketplace, or http://127.0.0.1:<port>/marketplace for the emulator.", raw, source))
	}
	return raw, true
}

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	return strings.TrimSpace(os.Getenv(env))
}

func int64OrEnv(v types.Int64, env string, resp *provider.ConfigureResponse) (*int64, bool) {
	if !v.IsNull() {
		n := v.ValueInt64()
		return &n, true
	}
	raw := strings.TrimSpace(os.Getenv(env))
	if raw == "" {
		return nil, true
	}
	var n int64
	if _, err := fmt.Sscanf(raw, "%d", &n); err != nil || fmt.Sprint(n) != raw || n < 0 || n > 20 {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid Max Retries",
			fmt.Sprintf("The environment variable %s is %q; it must be a whole number from 0 to 20.", env, raw))
		return nil, false
	}
	return &n, true
}

func (p *immutaProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewDataUseAgreementResource,
		NewRequestFormResource,
		NewDataProductResource,
		NewWebhookResource,
	}
}

// ListResources are the types terraform query lists (Terraform 1.14 and
// later), to adopt what already exists.
func (p *immutaProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewDataUseAgreementListResource,
		NewRequestFormListResource,
		NewDataProductListResource,
		NewWebhookListResource,
	}
}

func (p *immutaProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewDataUseAgreementDataSource,
		NewWebhookDataSource,
		NewRequestFormDataSource,
		NewDomainDataSource,
		NewDomainsDataSource,
		NewDomainDataSourcesDataSource,
		NewUserDataSource,
		NewUsersDataSource,
		NewGroupsDataSource,
		NewDomainStewardsDataSource,
		NewDataProductDataSource,
	}
}

// tflogLogger sends the client's log lines to tflog, masking the token in
// case it ever reached a message or a field. debug says whether anyone
// reads debug lines (see debugLogsWanted).
type tflogLogger struct {
	secret string
	debug  bool
}

// DebugEnabled lets the client skip building debug lines no one reads.
func (l tflogLogger) DebugEnabled(context.Context) bool { return l.debug }

func (l tflogLogger) mask(ctx context.Context) context.Context {
	ctx = tflog.MaskMessageStrings(ctx, l.secret)
	return tflog.MaskAllFieldValuesStrings(ctx, l.secret)
}

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	if !l.debug {
		return
	}
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.mask(ctx), msg, fields)
}

// clientFromProviderData takes the client the provider configured. It is
// nil before the provider is configured (during validation).
func clientFromProviderData(data any, diags *diag.Diagnostics) *marketplace.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*marketplace.Client)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *marketplace.Client, got %T. This is a bug in the provider, please report it.", data))
		return nil
	}
	return c
}
