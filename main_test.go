package main

import "testing"

func TestSDKLogsToSilence(t *testing.T) {
	if got := sdkLogsToSilence([]string{"HOME=/root", "PATH=/bin"}); len(got) != 4 {
		t.Fatalf("no logging asked for: got %v, want the four SDK variables", got)
	}
	for _, env := range []string{"TF_LOG=TRACE", "TF_LOG_PATH=/tmp/x", "TF_LOG_PROVIDER=DEBUG", "TF_ACC_LOG_PATH=/tmp/y", "TF_LOG_SDK_FRAMEWORK=INFO"} {
		if got := sdkLogsToSilence([]string{"HOME=/root", env}); got != nil {
			t.Errorf("with %s: got %v, want nothing silenced", env, got)
		}
	}
}
