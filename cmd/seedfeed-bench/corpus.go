//go:build linux

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// The corpus is wire copy like the sample seeds: one long line that opens
// with a dateline, runs 2.5 to 3.5 KB of sentences with quotes,
// abbreviations and numbers, and closes with initials and a credit line.
// It is a pure function of the seed and the file count, so every run
// measures the same bytes.

var (
	places = []string{"TEHRAN", "LONDON", "WASHINGTON", "NEW YORK", "BEIRUT", "CAIRO", "PARIS", "BERLIN",
		"MOSCOW", "BEIJING", "ST. LOUIS", "NEW DELHI"}
	agencies = []string{"", "", " (Reuters)", " (AP)", " (AFP)"}
	dashes   = []string{"–", "—", "-"}
	subjects = []string{"The minister", "Gen. Ali Rezaei", "Lt. Col. Sarah Jones", "The U.S. envoy", "Parliament",
		"The central bank", "Officials", "The company", "Acme Inc.", "Dr. Maria Lopez", "Protesters",
		"The committee", "J. R. Smith", "The Pentagon", "Regional leaders"}
	verbs = []string{"said", "warned", "announced", "told reporters", "insisted", "denied", "confirmed",
		"predicted", "argued", "reported"}
	objects = []string{"that the talks would resume on Jan. 5", "that growth slowed to 3.5 percent",
		"the U.S. withdrawal from the region", "new sanctions on energy exports", "a budget of $1.2 billion",
		"that the vote was delayed until next month", "the closure of two border crossings",
		"the results of the inquiry", "plans for a new airport", "a ceasefire in the north",
		"that prices rose 0.4 percent in March", "the appointment of a new envoy"}
	tails = []string{"on Wednesday", "after a closed session", "in a statement", "during a visit to the capital",
		"according to state media", "despite objections from the opposition", "late on Tuesday", ""}
	credits = []string{"All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.",
		"(Reporting by Jane Doe; Editing by John Roe)", "Copyright 2026 The Associated Press. All rights reserved."}
	initialsList = []string{"PA/PA", "MH/PA", "AB/CD", "RT/JS"}
)

// article returns the text of article i.
func article(seed uint64, i int) []byte {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	target := 2500 + r.IntN(1000)
	var b strings.Builder
	b.Grow(target + 300)
	fmt.Fprintf(&b, "%s%s %s ", pick(places), pick(agencies), pick(dashes))
	credit := pick(initialsList) + "  " + pick(credits)
	for b.Len() < target-len(credit) {
		s := pick(subjects) + " " + pick(verbs) + " " + pick(objects)
		if t := pick(tails); t != "" {
			s += " " + t
		}
		switch r.IntN(5) {
		case 0:
			fmt.Fprintf(&b, "“%s,” %s said. ", capitalise(pick(objects)), pick(subjects))
		default:
			b.WriteString(s + ". ")
		}
	}
	b.WriteString(credit)
	return []byte(b.String())
}

func capitalise(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// corpusDir returns the folder of a corpus of n files, generating it when
// it is missing or incomplete. Files are spread over folders of 1,000.
func corpusDir(root string, n int, seed uint64) (string, error) {
	dir := filepath.Join(root, fmt.Sprintf("corpus-%d-%d", n, seed))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				p := corpusPath(dir, i)
				if i%1000 == 0 {
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						select {
						case errs <- err:
						default:
						}
					}
				}
				if err := os.WriteFile(p, article(seed, i), 0o644); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := 0; i < n; i += 1000 { // folders first, so workers never race to make them
		if err := os.MkdirAll(filepath.Dir(corpusPath(dir, i)), 0o755); err != nil {
			return "", err
		}
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return "", err
	default:
	}
	return dir, os.WriteFile(done, []byte(strconv.Itoa(n)), 0o644)
}

func corpusPath(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("d%03d", i/1000), fmt.Sprintf("%06d.txt", i))
}
