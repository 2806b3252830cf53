package textpages

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// rssFile is the process's resident file-backed memory, in kB.
func rssFile(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "RssFile:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// TestRelease pages the test binary's code out and checks that less of it
// is resident, and that the program goes on running: its code comes back
// from the file.
func TestRelease(t *testing.T) {
	before := rssFile(t)
	n, err := Release()
	if errors.Is(err, syscall.EINVAL) {
		t.Skip("this kernel has no MADV_PAGEOUT (Linux 5.4)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no read-only mapping of the executable found")
	}
	after := rssFile(t)
	if after >= before {
		t.Errorf("resident file pages %d kB before, %d kB after", before, after)
	}
	// Code paged out runs again (and the test framework with it).
	if s := strconv.Itoa(12345); s != "12345" {
		t.Fatal(s)
	}
	t.Logf("advised %d MB; resident file pages %d kB → %d kB", n>>20, before, after)
}
