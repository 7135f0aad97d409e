package sdklogs

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestToSilence(t *testing.T) {
	if got := ToSilence([]string{"HOME=/root", "PATH=/bin"}); !slices.Equal(got, variables) {
		t.Fatalf("no logging asked for: got %v, want %v", got, variables)
	}
	for _, env := range []string{"TF_LOG=TRACE", "TF_LOG_PATH=/tmp/x", "TF_LOG_PROVIDER=DEBUG", "TF_ACC_LOG_PATH=/tmp/y", "TF_LOG_SDK_FRAMEWORK=INFO"} {
		if got := ToSilence([]string{"HOME=/root", env}); got != nil {
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

func TestSilence_noLogsAsked(t *testing.T) {
	unsetLogVariables(t)
	for _, k := range variables {
		t.Setenv(k, "") // restored after the test
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	Silence()
	for _, k := range variables {
		if got := os.Getenv(k); got != "off" {
			t.Errorf("%s = %q, want off", k, got)
		}
	}
}

func TestSilence_logsAsked(t *testing.T) {
	unsetLogVariables(t)
	t.Setenv("TF_LOG", "DEBUG")
	Silence()
	for _, k := range variables {
		if v, ok := os.LookupEnv(k); ok {
			t.Errorf("%s = %q, want it left unset", k, v)
		}
	}
}
