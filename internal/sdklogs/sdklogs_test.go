package sdklogs

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestToSilence(t *testing.T) {
	want := append(append([]string(nil), variables...), "TF_LOG_PROVIDER_PC_ALICLOUD")
	if got := ToSilence([]string{"HOME=/root", "PATH=/bin"}, "registry.terraform.io/example/pc-alicloud"); !slices.Equal(got, want) {
		t.Fatalf("no logging asked for: got %v, want %v", got, want)
	}
	for _, env := range []string{"TF_LOG=TRACE", "TF_LOG_PATH=/tmp/x", "TF_LOG_PROVIDER=DEBUG", "TF_ACC_LOG_PATH=/tmp/y", "TF_LOG_SDK_FRAMEWORK=INFO"} {
		if got := ToSilence([]string{"HOME=/root", env}, testAddress); got != nil {
			t.Errorf("with %s: got %v, want nothing silenced", env, got)
		}
	}
}

// unsetLogVariables removes every TF_LOG* and TF_ACC_LOG* variable for the
// test; t.Setenv restores them afterwards.
func unsetLogVariables(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC_LOG") {
			t.Setenv(name, "")
			if err := os.Unsetenv(name); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// testAddress is the address the tests silence.
const testAddress = "registry.terraform.io/pcorder/alicloud"

func TestSilence_noLogsAsked(t *testing.T) {
	unsetLogVariables(t)
	t.Cleanup(func() { silenced.Store(false) })
	all := append(append([]string(nil), variables...), "TF_LOG_PROVIDER_ALICLOUD")
	for _, k := range all {
		t.Setenv(k, "") // restored after the test
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	Silence(testAddress)
	for _, k := range all {
		if got := os.Getenv(k); got != "off" {
			t.Errorf("%s = %q, want off", k, got)
		}
	}
	if !Silenced() {
		t.Error("Silenced() = false after silencing")
	}
}

func TestSilence_logsAsked(t *testing.T) {
	unsetLogVariables(t)
	t.Setenv("TF_LOG", "DEBUG")
	Silence(testAddress)
	for _, k := range append(variables, "TF_LOG_PROVIDER_ALICLOUD") {
		if v, ok := os.LookupEnv(k); ok {
			t.Errorf("%s = %q, want it left unset", k, v)
		}
	}
	if Silenced() {
		t.Error("Silenced() = true with TF_LOG set")
	}
}
