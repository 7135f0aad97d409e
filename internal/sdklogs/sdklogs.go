// Package sdklogs switches the plugin SDK's logs off when nobody asked for
// them. Left unset, the framework logs at TRACE for every attribute,
// validator and plan modifier, and Terraform parses each line only to drop
// it: about half the provider's CPU in a plan of 1000 orders (see bench/).
// The provider's main calls Silence, and so do the benchmark's floor
// providers, so that a floor logs exactly what the provider logs.
package sdklogs

import (
	"os"
	"strings"
)

// variables are the SDK's log-level variables that Silence sets to "off".
var variables = []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"}

// ToSilence returns the log-level variables to set to "off" in environ
// (os.Environ's form): all of them when no logging was asked for, none when
// any TF_LOG* or TF_ACC_LOG* variable is set, since then someone reads the
// logs.
func ToSilence(environ []string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return nil
		}
	}
	return append([]string(nil), variables...)
}

// Silence sets the variables ToSilence names for this process's environment
// to "off". Call it before providerserver.Serve.
func Silence() {
	for _, k := range ToSilence(os.Environ()) {
		_ = os.Setenv(k, "off") // cannot fail for these names
	}
}
