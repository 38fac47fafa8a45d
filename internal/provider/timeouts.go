package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Timeouts: the timeouts attribute of the resources and the deadline it
// sets on a write.

// defaultWriteTimeout bounds create, update and delete unless the
// configuration's timeouts say otherwise.
const defaultWriteTimeout = 10 * time.Minute

// timeoutsAttribute is the timeouts attribute whose durations must also
// be positive (a zero or negative timeout would fail every operation
// before its first request) and whose descriptions state the default.
func timeoutsAttribute(ctx context.Context, opts timeouts.Opts) schema.Attribute {
	attr, ok := timeouts.Attributes(ctx, opts).(schema.SingleNestedAttribute)
	if !ok {
		return timeouts.Attributes(ctx, opts)
	}
	defaultText := fmt.Sprintf(" Defaults to %q.", strings.TrimSuffix(defaultWriteTimeout.String(), "0s"))
	for name, a := range attr.Attributes {
		if s, ok := a.(schema.StringAttribute); ok {
			s.Validators = append(s.Validators, durationValidator{})
			s.Description += defaultText
			if s.MarkdownDescription != "" {
				s.MarkdownDescription += defaultText
			}
			attr.Attributes[name] = s
		}
	}
	return attr
}

// writeContext bounds a write by the configured timeout (timeout is the
// model's Timeouts.Create, Update or Delete), or by defaultWriteTimeout.
// ok is false, with the diagnostics in diags, when the timeout cannot be
// read; cancel is never nil.
func writeContext(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics,
) (_ context.Context, cancel context.CancelFunc, ok bool) {
	d, problems := timeout(ctx, defaultWriteTimeout)
	diags.Append(problems...)
	if diags.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel = context.WithTimeout(ctx, d)
	return ctx, cancel, true
}
