package main

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// report prints the table: the three kinds' times, the ratios that say
// where the time goes (immuta/floor: the provider's own work;
// floor/terraform_data: the plugin protocol and the framework), the API
// calls per product and both plugins' peak RSS.
func report(out io.Writer, o options, results map[string]map[string]result) {
	imm, floor, data := results[kindImmuta], results[kindFloor], results[kindData]
	fmt.Fprintf(out, "\nN = %d data products (+ %d request forms, %d data use agreements; %d terraform_data), -parallelism=%d\n",
		o.n, groups(o.n), groups(o.n), o.n+2*groups(o.n), o.parallelism)
	if o.settle > 0 {
		fmt.Fprintf(out, "immuta's operations after a write waited %s from it, as a later plan would (-settle).\n", o.settle)
	} else {
		fmt.Fprintf(out, "immuta's operations ran back to back: the products written in the %s before a refresh are read one request at a time.\n",
			marketplace.DefaultConsistencyWindow)
	}
	if o.profileDir != "" {
		fmt.Fprintf(out, "immuta and floor ran with CPU and heap profiling (profiles in %s); their times include that.\n", o.profileDir)
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\timmuta\tfloor\tterraform_data\timmuta/data\tfloor/data\timmuta/floor\tcalls/product\timmuta RSS\tfloor RSS\t")
	for _, op := range operations(o.parallelism) {
		a, f, d := imm[op.name], floor[op.name], data[op.name]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t\n", op.name,
			round(a.elapsed), round(f.elapsed), round(d.elapsed),
			ratio(a.elapsed, d.elapsed), ratio(f.elapsed, d.elapsed), ratio(a.elapsed, f.elapsed),
			float64(a.calls)/float64(o.n), mib(a.peakRSS), mib(f.peakRSS))
	}
	_ = w.Flush()
	cpuTable(out, o, results)
	if floorCalls := totalCalls(floor); floorCalls != 0 {
		fmt.Fprintf(out, "\nThe floor made %d API calls; it should make none.\n", floorCalls)
	}
	if o.routes {
		printRoutes(out, imm)
	}
}

// cpuTable splits each operation's CPU time between Terraform and the
// plugins: the wall times above include waiting, for the API and for a
// shared machine's cores. The plugins' CPU is sampled every 50 ms, so it
// may fall short by as much per process.
func cpuTable(out io.Writer, o options, results map[string]map[string]result) {
	imm, floor, data := results[kindImmuta], results[kindFloor], results[kindData]
	fmt.Fprintf(out, "\nCPU time (terraform + its plugins; plugin processes seen, sampled every 50 ms)\n\n")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "operation\timmuta: terraform\tprovider\tfloor: terraform\tprovider\tterraform_data\t"+
		"provider/floor provider\tprocesses\t")
	for _, op := range operations(o.parallelism) {
		a, f, d := imm[op.name], floor[op.name], data[op.name]
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d / %d\t\n", op.name,
			round(max(0, a.cpu-a.pluginCPU)), round(a.pluginCPU), round(max(0, f.cpu-f.pluginCPU)), round(f.pluginCPU),
			round(d.cpu), ratio(a.pluginCPU, f.pluginCPU), a.plugins, f.plugins)
	}
	_ = w.Flush()
}

// printRoutes lists the provider's calls of each route per operation.
func printRoutes(out io.Writer, imm map[string]result) {
	for _, op := range operations(0) {
		fmt.Fprintf(out, "\n%s:\n", op.name)
		routes := imm[op.name].routes
		keys := make([]string, 0, len(routes))
		for k := range routes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(out, "  %6d  %s\n", routes[k], k)
		}
	}
}

func totalCalls(results map[string]result) int64 {
	var n int64
	for _, r := range results {
		n += r.calls
	}
	return n
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
