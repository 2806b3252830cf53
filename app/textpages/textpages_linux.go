// Package textpages hands back to the system the pages of the program's
// code and read-only data that start-up used and serving does not.
//
// Loading the library (parsing lessons, quizzes and templates, migrating
// the database) runs code that serving never runs again, and recent Linux
// kernels map an executable's pages in large blocks: after start-up nearly
// all of the 19 MB of code and read-only data is resident, two thirds of
// the idle server's memory. Release marks those mappings "no huge pages"
// and asks the kernel to page them out; what serving uses comes back on
// its first use, 4 KB at a time, read again from the executable (it takes
// a millisecond more on the first requests). Only the
// read-only mappings of the executable file are touched: their contents
// are the file's, so nothing is lost.
package textpages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// madvPageout is MADV_PAGEOUT (Linux 5.4), which package syscall lacks.
const madvPageout = 21

// Release pages out the running executable's read-only mappings and
// returns how many bytes of mappings it advised. An error leaves the
// program as it was, only larger.
func Release() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	// The kernel pages out only what is on disk: a binary just built (go
	// run, a deploy) is still in the page cache, waiting to be written.
	if f, err := os.Open(exe); err == nil {
		_ = f.Sync()
		f.Close()
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var regions [][2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != exe || strings.Contains(fields[1], "w") {
			continue
		}
		start, end, ok := strings.Cut(fields[0], "-")
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if !ok || err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		regions = append(regions, [2]uintptr{uintptr(lo), uintptr(hi)})
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, r := range regions {
		for _, advice := range []uintptr{syscall.MADV_NOHUGEPAGE, madvPageout} {
			if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, r[0], r[1]-r[0], advice); errno != 0 {
				return total, errno
			}
		}
		total += int(r[1] - r[0])
	}
	return total, nil
}
