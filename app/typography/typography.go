// Package typography sets French punctuation spacing in text that is already
// written, so that authors type ordinary spaces (or none) and readers still
// get lines that never break before a colon, a question mark or a closing
// guillemet. French puts a space before ; ! ? : and inside « », and a browser
// wraps at an ordinary space: left alone, "Qui fixe la gravité ?" can end a
// line with "gravité" and start the next with a lone "?". The rules live in
// code, in one place, because a rule applied by hand in hundreds of strings
// is a rule that is broken somewhere.
//
// The transformation runs once, when content and catalogues are loaded, never
// per request: pages are cached, and the functions here allocate.
package typography

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The two no-break spaces French typography asks for. NarrowNoBreakSpace
// (U+202F) goes before ; ! ? and NoBreakSpace (U+00A0) before : and inside
// « », as the Imprimerie nationale's rules and most French publishers do.
const (
	NarrowNoBreakSpace = '\u202F'
	NoBreakSpace       = '\u00A0'
)

// French returns plain text s with French punctuation spacing: an ordinary
// space (or run of spaces and line breaks) before ; ! ? becomes one narrow
// no-break space, before : and » and after « one no-break space, and the space
// is added where there was none ("Quoi?" becomes "Quoi ?" with U+202F). A
// no-break space typed by hand before ; ! ? becomes the narrow one.
// Text that is already right is returned unchanged, so French is idempotent.
//
// Punctuation that is not sentence punctuation is left alone: a colon or
// question mark followed by a letter or digit (times such as 10:30, "C:\",
// "a::b", a query string), anything inside a URL (http://, https://, ftp://,
// mailto:, www.), and punctuation at the very start of the text.
func French(s string) string {
	if !mayNeedWork(s) {
		return s
	}
	f := fixer{}
	f.text(s, false)
	return f.b.String()
}

// FrenchHTML is French for a fragment of HTML: only text nodes change. Tags
// and everything inside them (attribute values, URLs in href), comments,
// character references, and the whole content of code, pre, kbd, samp, var,
// script, style and textarea elements are copied unchanged. State carries
// across inline tags, so "<strong>Attention</strong>:" still gets its space,
// and is reset by block tags, so a paragraph never borrows the last letter
// of the one before it.
func FrenchHTML(s string) string {
	if !mayNeedWork(s) {
		return s
	}
	f := fixer{}
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			f.text(s[i:], true)
			break
		}
		f.text(s[i:i+lt], true)
		i += lt
		i = f.markup(s, i)
	}
	return f.b.String()
}

// For returns s with the typography of lang: French for "fr", s unchanged
// for any other language. Loaders call it on the plain-text fields they
// show outside rendered markdown (titles, summaries) so that the language
// rule lives here and not in every caller.
func For(lang, s string) string {
	if lang == "fr" {
		return French(s)
	}
	return s
}

// mayNeedWork reports whether s holds any character the rules act on; most
// interface strings do not, and are returned without a copy.
func mayNeedWork(s string) bool {
	return strings.ContainsAny(s, ";:!?«»")
}

// fixer holds the state of one transformation: the output, the last rune of
// text written (0 at the start of a block), and whether a « is waiting for
// its no-break space.
type fixer struct {
	b         strings.Builder
	prev      rune
	afterOpen bool
}

// rawElements are the elements whose content is never text to typeset.
var rawElements = map[string]bool{
	"code": true, "pre": true, "kbd": true, "samp": true, "var": true,
	"script": true, "style": true, "textarea": true,
}

// inlineElements keep the text state across them: punctuation right after
// </strong> belongs to the same sentence as the strong text.
var inlineElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true,
	"del": true, "dfn": true, "em": true, "i": true, "ins": true, "mark": true,
	"q": true, "s": true, "small": true, "span": true, "strong": true, "sub": true,
	"sup": true, "time": true, "u": true,
}

// markup copies the tag, comment or raw element that starts at s[i] ('<')
// and returns the index after it. A '<' that starts no tag is text.
func (f *fixer) markup(s string, i int) int {
	if strings.HasPrefix(s[i:], "<!--") {
		end := strings.Index(s[i+4:], "-->")
		if end < 0 {
			f.b.WriteString(s[i:])
			return len(s)
		}
		f.b.WriteString(s[i : i+4+end+3])
		return i + 4 + end + 3
	}
	end := tagEnd(s, i)
	if end < 0 {
		// Not a tag: a lone '<' in text (escaped HTML never has one, but
		// plain strings may).
		f.text(s[i:i+1], true)
		return i + 1
	}
	tag := s[i:end]
	f.b.WriteString(tag)
	name, closing := tagName(tag)
	switch {
	case rawElements[name] && !closing:
		closeTag := "</" + name
		rest := strings.Index(strings.ToLower(s[end:]), closeTag)
		if rest < 0 {
			f.b.WriteString(s[end:])
			return len(s)
		}
		f.b.WriteString(s[end : end+rest])
		// Text right after inline code continues the sentence: "`x`?"
		// reads as a word followed by a question mark.
		f.prev, f.afterOpen = 'x', false
		return end + rest
	case rawElements[name] && closing, inlineElements[name]:
		// Keep the state: the sentence goes on after the tag.
	default:
		f.prev, f.afterOpen = 0, false
	}
	return end
}

// tagEnd returns the index after the '>' closing the tag at s[i], skipping
// quoted attribute values, or -1 when s[i] does not start a tag.
func tagEnd(s string, i int) int {
	if i+1 >= len(s) {
		return -1
	}
	c := s[i+1]
	if !(c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return -1
	}
	var quote byte
	for j := i + 1; j < len(s); j++ {
		switch {
		case quote != 0:
			if s[j] == quote {
				quote = 0
			}
		case s[j] == '"' || s[j] == '\'':
			quote = s[j]
		case s[j] == '>':
			return j + 1
		}
	}
	return -1
}

// tagName returns the lower-case element name of a tag and whether it is a
// closing tag.
func tagName(tag string) (string, bool) {
	t := strings.TrimPrefix(tag, "<")
	closing := strings.HasPrefix(t, "/")
	t = strings.TrimPrefix(t, "/")
	n := 0
	for n < len(t) && (t[n] >= 'a' && t[n] <= 'z' || t[n] >= 'A' && t[n] <= 'Z' || t[n] >= '0' && t[n] <= '9') {
		n++
	}
	return strings.ToLower(t[:n]), closing
}

// text typesets one run of text. In HTML, character references are atoms:
// they are copied whole and stand for the character they encode.
func (f *fixer) text(s string, isHTML bool) {
	for i := 0; i < len(s); {
		if isHTML && s[i] == '&' {
			if n, r := entity(s[i:]); n > 0 {
				f.openSpace(r)
				f.b.WriteString(s[i : i+n])
				f.prev = r
				i += n
				continue
			}
		}
		if n := urlLen(s[i:], f.prev, isHTML); n > 0 {
			f.openSpace('h')
			f.b.WriteString(s[i : i+n])
			r, _ := utf8.DecodeLastRuneInString(s[i : i+n])
			f.prev = r
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isBreakingSpace(r) || r == NoBreakSpace {
			j := i
			for j < len(s) {
				c, n := utf8.DecodeRuneInString(s[j:])
				if !isBreakingSpace(c) && c != NoBreakSpace {
					break
				}
				j += n
			}
			f.spaces(s[i:j], s[j:], isHTML)
			i = j
			continue
		}
		f.openSpace(r)
		switch {
		case (r == ';' || r == '!' || r == '?') && wordish(f.prev) && endsSentence(s[i+size:], isHTML):
			f.b.WriteRune(NarrowNoBreakSpace)
		case r == ':' && wordish(f.prev) && endsSentence(s[i+size:], isHTML):
			f.b.WriteRune(NoBreakSpace)
		case r == '»' && f.prev != 0 && !isAnySpace(f.prev):
			f.b.WriteRune(NoBreakSpace)
		}
		f.b.WriteRune(r)
		f.prev = r
		f.afterOpen = r == '«'
		i += size
	}
}

// openSpace writes the no-break space a « is waiting for, unless r is a
// space itself.
func (f *fixer) openSpace(r rune) {
	if f.afterOpen && !isAnySpace(r) {
		f.b.WriteRune(NoBreakSpace)
		f.prev = NoBreakSpace
	}
	f.afterOpen = false
}

// spaces writes a run of ordinary and no-break spaces that rest follows: as
// one no-break space when it sits after « or before : », as one narrow
// no-break space before ; ! ? (a full no-break space typed there by hand
// becomes the narrow one too, so that every page looks the same), and
// unchanged otherwise: a no-break space an author put in "8 h 30" stays.
func (f *fixer) spaces(run, rest string, isHTML bool) {
	next, size := nextRune(rest, isHTML)
	after := rest[min(size, len(rest)):]
	switch {
	case f.afterOpen || f.prev == '«':
		f.b.WriteRune(NoBreakSpace)
		f.prev = NoBreakSpace
	case next == '»':
		f.b.WriteRune(NoBreakSpace)
		f.prev = NoBreakSpace
	case f.prev != 0 && (next == ';' || next == '!' || next == '?') && endsSentence(after, isHTML):
		f.b.WriteRune(NarrowNoBreakSpace)
		f.prev = NarrowNoBreakSpace
	case f.prev != 0 && next == ':' && endsSentence(after, isHTML):
		f.b.WriteRune(NoBreakSpace)
		f.prev = NoBreakSpace
	default:
		f.b.WriteString(run)
		f.prev, _ = utf8.DecodeLastRuneInString(run)
	}
	f.afterOpen = false
}

// nextRune decodes the first character of s, a character reference counting
// as the character it encodes in HTML; size is how many bytes it takes.
func nextRune(s string, isHTML bool) (rune, int) {
	if s == "" {
		return 0, 0
	}
	if isHTML && s[0] == '&' {
		if n, r := entity(s); n > 0 {
			return r, n
		}
	}
	return utf8.DecodeRuneInString(s)
}

// endsSentence reports whether what follows a ; : ! ? makes it sentence
// punctuation: the end of the text, a space, or closing punctuation. "10:30",
// "a::b", "?lang=fr" and "!=" are not.
func endsSentence(rest string, isHTML bool) bool {
	r, _ := nextRune(rest, isHTML)
	if r == 0 || isAnySpace(r) {
		return true
	}
	if isHTML && r == '<' {
		return true // the text node ends: a tag follows
	}
	return strings.ContainsRune("»)]\"'’”.,!?…*_", r)
}

// wordish reports whether punctuation right after r needs a space added: r
// ends a word, a number or a closing quote or bracket. After 0 (the start of
// a block), a space, or other punctuation ("?!"), nothing is added.
func wordish(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(")]\"'’”»%…*_", r)
}

// isBreakingSpace reports the spaces a browser may wrap at.
func isBreakingSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// isAnySpace reports any space, breaking or not.
func isAnySpace(r rune) bool {
	return isBreakingSpace(r) || r == NoBreakSpace || r == NarrowNoBreakSpace || r == '\u2009' || r == '\u2007'
}

// entity returns the length of the character reference at the start of s
// and the character it stands for, or 0 when s starts with none.
func entity(s string) (int, rune) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 12 {
		return 0, 0
	}
	for _, c := range s[1:end] {
		if !(c == '#' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return 0, 0
		}
	}
	dec := html.UnescapeString(s[:end+1])
	if dec == s[:end+1] {
		return 0, 0
	}
	r, _ := utf8.DecodeRuneInString(dec)
	return end + 1, r
}

// urlSchemes start the URLs whose punctuation is left alone.
var urlSchemes = []string{"https://", "http://", "ftp://", "mailto:", "file://", "www."}

// urlLen returns the length of the URL that starts s, or 0. A URL starts
// after a non-letter (so "xhttp://" is no URL) and runs to the next space,
// quote or tag; trailing sentence punctuation is not part of it, as GFM's
// autolinks decide.
func urlLen(s string, prev rune, isHTML bool) int {
	if unicode.IsLetter(prev) || unicode.IsDigit(prev) {
		return 0
	}
	found := false
	for _, p := range urlSchemes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			found = true
			break
		}
	}
	if !found {
		return 0
	}
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if isAnySpace(r) || r == '"' || r == '<' || r == '>' || r == '«' || r == '»' || (isHTML && r == '&' && strings.HasPrefix(s[n:], "&quot;")) {
			break
		}
		n += size
	}
	for n > 0 && strings.ContainsRune(".,;:!?)", rune(s[n-1])) {
		n--
	}
	return n
}
