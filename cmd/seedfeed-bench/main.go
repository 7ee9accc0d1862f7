package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("files", 100000, "")
	flag.Parse()
	d, err := corpusDir("/tmp/seedfeed-bench", *n, 1)
	fmt.Println(d, err)
	os.Exit(0)
}
