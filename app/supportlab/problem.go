package supportlab

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a content file, located so that a trainer
// can jump to it: it prints as "path:line: message".
type Problem struct {
	Path    string
	Line    int
	Message string
}

// String formats the problem the way compilers do. A problem with the
// whole file (or folder) has no line of its own and points at line 1, so
// that every problem has the same path:line: message shape for tools.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s", p.Path, max(p.Line, 1), p.Message)
}

// Problems is a list of problems that is also an error, so a loader can
// report everything it found at once instead of stopping at the first.
type Problems []Problem

// Error prints one problem per line, sorted by path and line.
func (ps Problems) Error() string {
	ps.Sort()
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by path, then line.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
}

// Add appends a problem built from a format string.
func (ps *Problems) Add(path string, line int, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Err returns ps as an error, or nil when there is no problem.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// MaxReported caps the problems reported for one file. Past it a trainer has
// plenty to fix first, and a crafted file (thousands of unknown keys) cannot
// turn into a report or a page many times its own size.
const MaxReported = 100

// Capped returns ps sorted and cut to max problems; when it cuts, the last
// problem says how many more there are, at the line of the first not shown.
func (ps Problems) Capped(max int) Problems {
	ps.Sort()
	if len(ps) <= max {
		return ps
	}
	more := ps[max-1]
	out := append(Problems(nil), ps[:max-1]...)
	out.Add(more.Path, more.Line, "%d more problems from this line on are not shown; fix the ones above first", len(ps)-max+1)
	return out
}
