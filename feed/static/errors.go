package static

import "fmt"

// firstOf returns the first of errs, counting the others: a full disk
// fails every write after the first, and one line is what a user reads.
func firstOf(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return fmt.Errorf("%w (and %d more writes failed)", errs[0], len(errs)-1)
}
