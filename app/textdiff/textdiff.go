// Package textdiff compares two texts line by line, the way a trainer reads
// a change to a quiz file: which lines were removed, which were added, and
// a few unchanged lines around each change for context. It exists so that
// the version history of a quiz can show what an edit changed without a
// dependency for a few dozen lines of code.
//
// The comparison keeps the longest common subsequence of lines between the
// parts that differ (after the common start and end are set aside). Past
// MaxCells of comparison work it stops looking for common lines inside
// the differing middle and shows it as removed, then added: still a true
// diff, only a longer one, and a page never costs more than that.
package textdiff

import "strings"

// Op says what happened to a line.
type Op int

// The operations of a line of a diff.
const (
	Same Op = iota
	Removed
	Added
)

// Line is one line of a diff with its number in the old text (Old) and in
// the new one (New); a removed line has no New number and an added line
// no Old number (0).
type Line struct {
	Op       Op
	Text     string
	Old, New int
}

// Hunk is a run of changed lines with their context.
type Hunk struct {
	Lines []Line
}

// MaxCells bounds the comparison table of the differing middle (rows times
// columns): 4 million cells is a few milliseconds and 16 MB at most.
const MaxCells = 4 << 20

// Lines splits a text into lines, accepting \n and \r\n endings; a final
// line ending does not make an empty last line.
func Lines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// Diff compares old and new line by line and returns every line of both,
// in order.
func Diff(oldText, newText string) []Line {
	a, b := Lines(oldText), Lines(newText)
	var out []Line
	// The common start and end cost nothing to find.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, Line{Op: Same, Text: a[pre], Old: pre + 1, New: pre + 1})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	out = append(out, middle(ma, mb, pre)...)
	for i := 0; i < suf; i++ {
		oi, ni := len(a)-suf+i, len(b)-suf+i
		out = append(out, Line{Op: Same, Text: a[oi], Old: oi + 1, New: ni + 1})
	}
	return out
}

// middle diffs the differing parts a and b, which start after offset
// common lines, by the longest common subsequence.
func middle(a, b []string, offset int) []Line {
	var out []Line
	removed := func(i int) { out = append(out, Line{Op: Removed, Text: a[i], Old: offset + i + 1}) }
	added := func(j int) { out = append(out, Line{Op: Added, Text: b[j], New: offset + j + 1}) }
	if len(a) == 0 || len(b) == 0 || len(a)*len(b) > MaxCells {
		for i := range a {
			removed(i)
		}
		for j := range b {
			added(j)
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:], in one slice.
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{Op: Same, Text: a[i], Old: offset + i + 1, New: offset + j + 1})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			removed(i)
			i++
		default:
			added(j)
			j++
		}
	}
	for ; i < len(a); i++ {
		removed(i)
	}
	for ; j < len(b); j++ {
		added(j)
	}
	return out
}

// Hunks groups the changed lines of a diff with up to context unchanged
// lines before and after each change; changes closer than twice that share
// a hunk. Identical texts give no hunk.
func Hunks(lines []Line, context int) []Hunk {
	var hunks []Hunk
	n := len(lines)
	for i := 0; i < n; {
		if lines[i].Op == Same {
			i++
			continue
		}
		start := max(i-context, 0)
		// Extend while the next change is within 2×context unchanged lines.
		end := i
		for end < n {
			if lines[end].Op != Same {
				end++
				continue
			}
			run := end
			for run < n && lines[run].Op == Same {
				run++
			}
			if run < n && run-end <= 2*context {
				end = run
				continue
			}
			end = min(end+context, n)
			break
		}
		hunks = append(hunks, Hunk{Lines: lines[start:end]})
		i = end
	}
	return hunks
}

// Counts returns how many lines a diff removes and adds.
func Counts(lines []Line) (removed, added int) {
	for _, l := range lines {
		switch l.Op {
		case Removed:
			removed++
		case Added:
			added++
		}
	}
	return removed, added
}
