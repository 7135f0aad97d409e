// Package sdklogs switches the plugin SDK's logs off the way the alicloud
// provider's main does (sdkLogsToSilence in the module root), so that the
// benchmark's floor providers log what it logs. Left on, the framework logs
// at TRACE for every attribute, validator and plan modifier, and Terraform
// parses each line only to drop it: a floor that logs would be slower than
// the provider it is the floor of, by more the larger its schema.
package sdklogs

import (
	"os"
	"strings"
)

// Silence sets the SDK's log-level variables to "off" unless a TF_LOG* or
// TF_ACC_LOG* variable asks for logs. Call it before providerserver.Serve.
func Silence() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return
		}
	}
	for _, k := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(k, "off") // cannot fail for these names
	}
}
