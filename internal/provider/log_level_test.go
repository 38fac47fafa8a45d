package provider

import (
	"os"
	"testing"
)

var logEnv = []string{envLog, envLogProvider, envLogProviderImmuta, envLogSDK, envLogSDKProto, envLogSDKFramework, envAccLog}

// clearLogEnv unsets every log level variable for the test.
func clearLogEnv(t *testing.T) {
	t.Helper()
	for _, env := range logEnv {
		t.Setenv(env, "")
		if err := os.Unsetenv(env); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDebugLogsWanted(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, false},
		{"TF_LOG=DEBUG", map[string]string{envLog: "DEBUG"}, true},
		{"TF_LOG=json", map[string]string{envLog: "json"}, true},
		{"TF_LOG=INFO", map[string]string{envLog: "INFO"}, false},
		{"provider level wins", map[string]string{envLog: "TRACE", envLogProvider: "WARN"}, false},
		{"TF_LOG_PROVIDER=TRACE", map[string]string{envLogProvider: "TRACE"}, true},
		{"own level lowers", map[string]string{envLog: "TRACE", envLogProviderImmuta: "ERROR"}, false},
		{"acceptance test log", map[string]string{envAccLog: "DEBUG"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearLogEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if got := debugLogsWanted(); got != tc.want {
				t.Errorf("debugLogsWanted() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQuietLogsWhenUnread(t *testing.T) {
	clearLogEnv(t)
	QuietLogsWhenUnread()
	for _, env := range []string{envLogProviderImmuta, envLogSDK, envLogSDKProto, envLogSDKFramework} {
		if got := os.Getenv(env); got != levelOff {
			t.Errorf("%s = %q, want %s", env, got, levelOff)
		}
	}

	clearLogEnv(t)
	t.Setenv(envLog, "WARN")
	QuietLogsWhenUnread()
	for _, env := range []string{envLogProviderImmuta, envLogSDK, envLogSDKProto, envLogSDKFramework} {
		if got, set := os.LookupEnv(env); set {
			t.Errorf("with TF_LOG set, %s = %q, want it unset", env, got)
		}
	}
}
