package daemon

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// Profile starts the profiles of a run that -cpuprofile and -memprofile
// ask for (each a file, or "" for none): a CPU profile of the whole run,
// and a heap profile at its end. The returned func ends them and writes
// them out.
func Profile(cpuFile, memFile string) (stop func(), err error) {
	var cpu *os.File
	if cpuFile != "" {
		if cpu, err = os.Create(cpuFile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, err
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memFile != "" {
			if f, err := os.Create(memFile); err == nil {
				runtime.GC()
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}, nil
}
