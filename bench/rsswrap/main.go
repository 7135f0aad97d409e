// Command rsswrap measures the peak memory of a Terraform provider process.
// The benchmark installs a copy of it, under the provider's executable
// name, in the directory a dev_overrides entry points Terraform at. Terraform then
// starts rsswrap as the provider; rsswrap starts the real provider
// ($RSSWRAP_REAL_DIR/<its own base name>) as its child, with the same
// arguments, environment, standard streams (so the go-plugin handshake
// passes through untouched), waits for it with wait4, and appends
//
//	<name> <pid> <maxrss KiB> <user+system CPU µs> <wall ms> <exit code>
//
// to $RSSWRAP_LOG. It exits with the child's exit code.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	name := filepath.Base(os.Args[0])
	cmd := exec.Command(filepath.Join(os.Getenv("RSSWRAP_REAL_DIR"), name), os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// If Terraform kills the wrapper, the provider goes with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	// Providers ignore SIGINT (Terraform tells them to stop over gRPC);
	// pass SIGTERM on.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)

	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			if s == syscall.SIGTERM {
				cmd.Process.Signal(s) //nolint:errcheck // It may have exited.
			}
		}
	}()
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
	code := cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		line := fmt.Sprintf("%s %d %d %d %d %d\n", name, cmd.Process.Pid, ru.Maxrss, cpu.Microseconds(), time.Since(start).Milliseconds(), code)
		if err := appendLine(os.Getenv("RSSWRAP_LOG"), line); err != nil {
			fmt.Fprintln(os.Stderr, "rsswrap: recording the usage:", err)
		}
	}
	if code < 0 {
		code = 1 // killed by a signal
	}
	os.Exit(code)
}

// appendLine appends line to the file at path in one write, so that the
// lines of concurrent wrappers do not interleave.
func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
