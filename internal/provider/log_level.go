package provider

import (
	"os"
	"strings"
)

// Environment variables that set log levels, as Terraform and
// terraform-plugin-log read them.
const (
	envLog                = "TF_LOG"
	envLogProvider        = "TF_LOG_PROVIDER"
	envLogProviderImmuta  = "TF_LOG_PROVIDER_IMMUTA"
	envLogSDK             = "TF_LOG_SDK"
	envLogSDKProto        = "TF_LOG_SDK_PROTO"
	envLogSDKFramework    = "TF_LOG_SDK_FRAMEWORK"
	envAccLog             = "TF_ACC_LOG"
	levelOff              = "OFF"
	levelDebug, levelJSON = "DEBUG", "JSON"
	levelTrace            = "TRACE"
)

// debugLogsWanted reports whether anyone reads the provider's debug lines.
// Terraform keeps a provider's lines at the level of TF_LOG_PROVIDER, or
// else TF_LOG, and drops them all when neither is set; the provider's own
// TF_LOG_PROVIDER_IMMUTA can only lower that. In-process acceptance tests
// log at TF_LOG or TF_ACC_LOG.
func debugLogsWanted() bool {
	if v := os.Getenv(envLogProviderImmuta); v != "" && !allowsDebug(v) {
		return false
	}
	for _, env := range []string{envLogProvider, envLog, envAccLog} {
		if v := os.Getenv(env); v != "" {
			return allowsDebug(v)
		}
	}
	return false
}

func allowsDebug(level string) bool {
	switch strings.ToUpper(strings.TrimSpace(level)) {
	case levelDebug, levelTrace, levelJSON:
		return true
	}
	return false
}

// QuietLogsWhenUnread turns the provider's and the SDKs' loggers off when
// Terraform would drop every line they write (no log level is set at
// all). Left alone, they log at TRACE and encode each line as JSON for
// Terraform to throw away, which costs more than the API calls of a large
// refresh. A level set anywhere leaves every logger as it is.
func QuietLogsWhenUnread() {
	for _, env := range []string{envLog, envLogProvider, envLogProviderImmuta, envLogSDK, envLogSDKProto, envLogSDKFramework, envAccLog} {
		if os.Getenv(env) != "" {
			return
		}
	}
	for _, env := range []string{envLogProviderImmuta, envLogSDK, envLogSDKProto, envLogSDKFramework} {
		_ = os.Setenv(env, levelOff)
	}
}
