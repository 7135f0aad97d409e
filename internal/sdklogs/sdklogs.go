// Package sdklogs switches the provider's logs off when nobody asked for
// them. Left unset, the framework logs at TRACE for every attribute,
// validator and plan modifier, and Terraform parses each line only to drop
// it: about half the provider's CPU in a plan of 1000 orders (see bench/).
// The provider's own logger (tflog) is on at TRACE too unless
// TF_LOG_PROVIDER_<TYPE> says otherwise, so its lines are written, masked
// and parsed for nothing as well. The provider's main calls Silence, and so
// do the benchmark's floor providers, so that a floor logs exactly what the
// provider logs.
package sdklogs

import (
	"os"
	"strings"
	"sync/atomic"
)

// variables are the SDK's log-level variables that Silence sets to "off",
// besides the provider's own (providerVariable).
var variables = []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"}

// silenced records that Silence switched the logs off.
var silenced atomic.Bool

// providerVariable is the variable that sets the level of the logger of the
// provider served at address (such as registry.terraform.io/pcorder/alicloud):
// TF_LOG_PROVIDER_ and its type in upper case, dashes as underscores, as
// terraform-plugin-go names it.
func providerVariable(address string) string {
	typ := address[strings.LastIndex(address, "/")+1:]
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(typ, "-", "_"))
}

// ToSilence returns the log-level variables to set to "off" in environ
// (os.Environ's form) for the provider served at address: all of them when
// no logging was asked for, none when any TF_LOG* or TF_ACC_LOG* variable
// is set, since then someone reads the logs. (Without any, Terraform drops
// every line a provider writes.)
func ToSilence(environ []string, address string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return nil
		}
	}
	return append(append([]string(nil), variables...), providerVariable(address))
}

// Silence sets the variables ToSilence names for this process's environment
// to "off". Call it before providerserver.Serve, with its address.
func Silence(address string) {
	for _, k := range ToSilence(os.Environ(), address) {
		_ = os.Setenv(k, "off") // cannot fail for these names
		silenced.Store(true)
	}
}

// Silenced reports whether Silence switched the logs off: then nothing the
// provider logs is written, and it need not prepare what it would log
// (such as the masks of secrets, which tflog applies before it looks at
// the level).
func Silenced() bool { return silenced.Load() }
