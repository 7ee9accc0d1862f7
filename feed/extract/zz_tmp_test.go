package extract

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkCorpus(b *testing.B) {
	files, _ := filepath.Glob("/tmp/seedfeed-bench/corpus-100000-1/d000/0000*.txt")
	var data [][]byte
	n := 0
	for _, f := range files[:50] {
		d, _ := os.ReadFile(f)
		data = append(data, d)
		n += len(d)
	}
	b.SetBytes(int64(n / len(data)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := (Options{Brief: true}).Extract("d000/a.txt", data[i%len(data)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
