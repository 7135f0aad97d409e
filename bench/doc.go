// Command bench measures what alicloud_pc_occupancy_order costs on top of
// Terraform, against three floors: Terraform alone (built-in terraform_data
// resources), the bare plugin framework (floorprovider, one state-only
// resource of two attributes) and the same-schema floor (schemafloor:
// alicloud's provider and resource schema and identity, sending nothing). Its ratios are
// alicloud ÷ the same-schema floor. It is a module of its own, so that
// nothing of it ships with the provider; run it from bench/ (`make bench`
// in the repository root does, and passes BENCHFLAGS on):
//
//	go run .                # everything, 11 to 13 minutes on 2 cores
//	go run . -quick         # N = 1,100, one repetition, a storm of 100, a fleet of 4 × 30
//
// It builds the alicloud provider (in the provider's module, with its
// go.sum, as it ships), the two floor providers and rsswrap into a
// temporary directory, starts the fake Alibaba Cloud API
// (internal/fakealicloud) in-process on 127.0.0.1 for each alicloud run,
// and points Terraform at the providers with a CLI configuration of its own
// (dev_overrides, so no `terraform init` and no network). Every run gets a
// fresh working directory.
//
// Every alicloud run has the real shape: the fake's region holds -circuits
// circuits waiting for payment (Complete), each resource orders a circuit
// of its own (a circuit takes one order, and the provider's plan refuses
// two orders for one circuit), the rest just exist; the fake's life cycle
// is on (a paid order turns its circuit Enabled -enable-lag after payment,
// an Enabled circuit refuses another order); and the provider runs with its
// defaults: the plan-time circuit check, the payment check after each
// auto-paid order (QueryOrders shared by the waiting creates, GetOrderDetail
// for an order a list leaves out) and the follow-up of its circuit to Enabled
// (DescribePhysicalConnections, through the process's shared circuit
// watcher). The lag is 0 by default: the floors have no cloud behind them,
// and a lag L adds at least L × N ÷ 10 (Terraform's parallelism) of the
// cloud's own time that no provider can remove.
//
// The fake records every request with its action and the access key that
// signed it; each working directory of a run signs with a key of its own
// (fleetKey), so that requests are counted per Terraform process, and orders
// per the circuits of a working directory. The measures (-measures), with
// interleaved repetitions and their median:
//
//   - apply: `terraform apply -auto-approve` of N resources of each kind:
//     wall time, the ratio to the same-schema floor, the peak RSS of the
//     provider processes (rsswrap stands in for each provider and records
//     wait4's ru_maxrss of the real one; the max over a run's processes is
//     kept), the CPU of Terraform, of the providers and, for alicloud, of
//     the fake (this process's own during the run, on the same cores), and
//     for alicloud the requests per order by action
//     (CreatePhysicalConnectionOccupancyOrder, QueryOrders, GetOrderDetail,
//     DescribePhysicalConnections, and the reads before the first create:
//     the plan's lookups);
//   - plan: `terraform plan` of the unchanged configuration of the largest
//     N, asserting that it plans no change and sends no request to the API;
//   - storm: an apply of -storm orders while the fake's token bucket
//     throttles creates to -storm-rate per second after a burst of
//     -storm-burst, reporting for each run the requests (of every action,
//     and the creates alone) and the throttled requests per order placed,
//     and the create phase (first create request to the last create
//     answered with an order) against the rate's floor, (N - burst) ÷ rate;
//     and counting failed resources, duplicate orders and retries;
//   - unlimited: the same apply without the rate limit, in turn with the
//     storm, as its other reference;
//   - fleet: -fleet Terraform processes started at once, in working
//     directories of their own, each applying -fleet-orders orders on
//     circuits of its own against one fake that throttles creates to
//     -fleet-rate per second after a burst of -fleet-burst: throttled
//     requests per order and the create phase over every process (first
//     create of any to the last order of any) against (N - burst) ÷ rate,
//     N the fleet's orders, with each process's requests; and, in turn with
//     it, one such process alone against the same limit ("alone");
//   - startup: the start-up cost of each provider binary, the sum of the
//     init times GODEBUG=inittrace=1 reports.
//
// Flags:
//
//	-n 1,100,1000      the resource counts to apply; the largest is also planned ('' for none)
//	-kinds LIST        the kinds that apply and plan: terraform_data, floor, schemafloor, alicloud
//	-measures LIST     apply, plan, storm, unlimited, fleet, startup (default all)
//	-reps 3            interleaved repetitions of every measure; the median is reported
//	-circuits 1000     circuits waiting for payment in the fake's region (at least as many as a run orders)
//	-enable-lag 0s     how long after payment the fake turns a circuit Enabled
//	-storm 250         orders in the storm (0 skips the storm and its reference)
//	-storm-rate 25     creates per second the fake allows during the storm
//	-storm-burst 2     the burst of its token bucket
//	-fleet 4           Terraform processes of the fleet (0 skips the fleet)
//	-fleet-orders 60   orders of each process of the fleet
//	-fleet-rate 25     creates per second the fake allows the whole fleet
//	-fleet-burst 25    the burst of its token bucket
//	-fleet-reps 5      repetitions of the fleet and of its process alone (the first -reps interleaved
//	                   with the other measures, the rest after them): one run's create phase spreads
//	                   wider than its target's margin
//	-init-runs 5       starts of each binary for the startup measure
//	-quick             -n 1,100 -reps 1 -storm 100 -fleet-orders 30 -fleet-reps 1
//	-out FILE          where the report goes (default results.md, beside bench/go.mod)
//	-provider-pkg PKG  the package built as the alicloud provider, relative to the provider's module root
//	                   (another build, to compare)
//	-terraform PATH    the Terraform CLI (default: what scripts/ensure-terraform.sh prints)
//	-keep              keep the temporary directory: binaries, logs, working directories
//	-cpuprofile FILE   a CPU profile of the benchmark's own process: the in-process fake, mostly
//
// To check one number in under two minutes, narrow the run; a run narrowed
// by -quick, -kinds or -measures prints its report and writes it only to an
// -out given explicitly, so that results.md keeps the full run:
//
//	go run . -measures apply -n 1000 -kinds schemafloor,alicloud -reps 1   # the 1000-order ratio
//	go run . -measures storm -reps 1                                       # the storm's per-order costs
//	go run . -measures storm -storm 50 -storm-rate 25 -reps 1               # a smaller storm
//	go run . -measures plan -n 1000 -kinds schemafloor,alicloud -reps 1     # the plan (its apply is not recorded)
//	go run . -measures fleet -fleet-reps 1                                 # the fleet and one process alone
//
// It prints one Markdown table with a line naming the machine (CPU, cores,
// Go, Terraform, the load average at the start and the end) and the
// method, then the performance targets the run measured, each marked met or
// missed (reported, not enforced); writes the same to -out; and exits 1 if
// an assertion failed (a failed apply, a duplicate order, a plan with
// changes or requests).
//
// The files: doc.go (this), main.go (the flags, and run from setup to report), setup.go
// (finding both modules, building the binaries, Terraform's version and CLI configuration),
// runs.go (the order of the measured runs), storm.go (the storm's runs and
// its row), fleet.go (the fleet's runs and its rows), configuration.go (each
// kind's main.tf), workspace.go (the fake, a working directory and one
// measured Terraform command: its RSS log, the fake's requests by action,
// the state), startup.go (the init cost of a binary), report.go
// (the Markdown, medians and formatting), targets.go (the targets). The
// floors and the wrapper are commands of their own: floorprovider,
// schemafloor and rsswrap. README.md says how to read results.md.
package main
