package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/pcorder/terraform-provider-alicloud/internal/provider"
)

// version is set by goreleaser through -ldflags.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	for _, k := range sdkLogsToSilence(os.Environ()) {
		_ = os.Setenv(k, "off")
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         provider.Address,
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// sdkLogsToSilence returns the plugin SDK's log-level variables to set to
// "off" when no logging was asked for. Left unset, the framework logs at
// TRACE for every attribute, validator and plan modifier, and Terraform
// parses each line only to drop it: about half the provider's CPU in a
// plan of 1000 orders (make bench). Any TF_LOG* or TF_ACC_LOG* variable
// means someone reads the logs, and then nothing changes.
func sdkLogsToSilence(environ []string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return nil
		}
	}
	return []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER"}
}
