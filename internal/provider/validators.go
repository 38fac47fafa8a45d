package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// The id rules. uuidExpr is the one UUID rule: the canonical
// 36-character form, in the lower case the service stores and returns.
// The patterns below derive from it and cuidExpr.
const (
	uuidExpr = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	// cuidExpr is a cuid: a request form's version, and the id of a form
	// made in the Marketplace app.
	cuidExpr = `c[a-z0-9]{24}`
)

var (
	// uuidPattern matches a UUID in either case (an import ID, a lookup).
	uuidPattern = regexp.MustCompile(`(?i)^` + uuidExpr + `$`)
	// lowerCaseUUIDPattern matches a UUID as the service writes it, for
	// values that are compared with what is read back.
	lowerCaseUUIDPattern = regexp.MustCompile(`^` + uuidExpr + `$`)
	// cuidPattern matches a cuid.
	cuidPattern = regexp.MustCompile(`^` + cuidExpr + `$`)
	// requestFormIDPattern matches a request form's id: a UUID, or a cuid.
	requestFormIDPattern = regexp.MustCompile(`^(` + uuidExpr + `|` + cuidExpr + `)$`)
	// positiveIntegerPattern is a data source id written as a string.
	positiveIntegerPattern = regexp.MustCompile(`^[1-9][0-9]*$`)
)

// isUUID reports whether s is a UUID (either case) in its canonical
// 36-character form.
func isUUID(s string) bool { return uuidPattern.MatchString(s) }

// uuidValidator checks that a string is a UUID.
func uuidValidator() validator.String {
	return stringvalidator.RegexMatches(uuidPattern, "must be a UUID such as 123e4567-e89b-12d3-a456-426614174000")
}

// notBlankPattern matches any string with a character that is not white space.
var notBlankPattern = regexp.MustCompile(`\S`)

// notBlankValidator rejects a string made only of white space.
func notBlankValidator() validator.String {
	return stringvalidator.RegexMatches(notBlankPattern, "must not be blank")
}

// baseURLValidator checks an endpoint URL with the client's own rules.
type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL on a loopback host"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := marketplace.ValidateBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Marketplace Endpoint", err.Error())
	}
}

// durationValidator checks a positive Go duration such as "30s".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("Attribute %s: %q is not a positive duration such as \"30s\" or \"2m\".", req.Path, req.ConfigValue.ValueString()))
	}
}

// webhookURLValidator checks a webhook URL with the client's own rules.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL on a loopback host"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := marketplace.ValidateWebhookURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Webhook URL", err.Error())
	}
}
