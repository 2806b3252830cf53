package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"supportlab/app/supportlab"
)

// The scores export (scores.csv and /api/v1/teams/<id>/scores) has one row
// per member and item: 175,000 rows for a team of 10,000 learners. Rows
// come grouped by learner, so each learner's name and email are encoded
// once and copied into every row of theirs, and each item's kind and uid
// once per export; the rest is numbers and a time appended in place. The
// output is what encoding/csv and encoding/json would write (scores_test.go
// checks both).

// scoreColumns are the columns of scores.csv and the keys of the scores
// API, in SPEC's order.
var scoreColumns = []string{"learner", "email", "kind", "uid", "best", "attempts", "last"}

// scoresCSV encodes rows as scores.csv, header first. Cells that a
// spreadsheet would run as a formula are prefixed with a quote (csvSafe).
func scoresCSV(rows []supportlab.ItemScore) []byte {
	buf := make([]byte, 0, 64+80*len(rows))
	for i, col := range scoreColumns {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendCSVField(buf, col)
	}
	buf = append(buf, '\n')
	var learner []byte
	lastUser := int64(-1)
	items := map[string][]byte{}
	for _, r := range rows {
		if r.UserID != lastUser || learner == nil {
			learner = appendCSVField(learner[:0], csvSafe(r.Learner))
			learner = append(learner, ',')
			learner = appendCSVField(learner, csvSafe(r.Email))
			learner = append(learner, ',')
			lastUser = r.UserID
		}
		buf = append(buf, learner...)
		buf = append(buf, cachedItem(items, r.Kind, r.UID, func(b []byte) []byte {
			b = appendCSVField(b, r.Kind)
			b = append(b, ',')
			b = appendCSVField(b, csvSafe(r.UID))
			return append(b, ',')
		})...)
		buf = strconv.AppendInt(buf, int64(r.Best), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.Attempts), 10)
		buf = append(buf, ',')
		buf = r.Last.UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, '\n')
	}
	return buf
}

// scoresJSON encodes rows as the scores API's array of objects, keys in
// scoreColumns' order, strings escaped as encoding/json escapes them.
func scoresJSON(rows []supportlab.ItemScore) []byte {
	buf := make([]byte, 0, 2+150*len(rows))
	buf = append(buf, '[')
	var learner []byte
	lastUser := int64(-1)
	items := map[string][]byte{}
	for i, r := range rows {
		if i > 0 {
			buf = append(buf, ',')
		}
		if r.UserID != lastUser || learner == nil {
			learner = append(learner[:0], `{"learner":`...)
			learner = appendJSONString(learner, r.Learner)
			learner = append(learner, `,"email":`...)
			learner = appendJSONString(learner, r.Email)
			lastUser = r.UserID
		}
		buf = append(buf, learner...)
		buf = append(buf, cachedItem(items, r.Kind, r.UID, func(b []byte) []byte {
			b = append(b, `,"kind":`...)
			b = appendJSONString(b, r.Kind)
			b = append(b, `,"uid":`...)
			return appendJSONString(b, r.UID)
		})...)
		buf = append(buf, `,"best":`...)
		buf = strconv.AppendInt(buf, int64(r.Best), 10)
		buf = append(buf, `,"attempts":`...)
		buf = strconv.AppendInt(buf, int64(r.Attempts), 10)
		buf = append(buf, `,"last":"`...)
		buf = r.Last.UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, `"}`...)
	}
	return append(buf, ']')
}

// cachedItem returns the encoding of item (kind, uid) from cache, making
// it with encode the first time.
func cachedItem(cache map[string][]byte, kind, uid string, encode func([]byte) []byte) []byte {
	key := kind + "\x00" + uid
	b, ok := cache[key]
	if !ok {
		b = encode(nil)
		cache[key] = b
	}
	return b
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// does (HTML-safe).
func appendJSONString(buf []byte, s string) []byte {
	b, err := json.Marshal(s)
	if err != nil { // a string always encodes
		panic(err)
	}
	return append(buf, b...)
}

// appendCSVField appends one field as encoding/csv's Writer does (with
// "\n" line ends): quoted when it holds a comma, a quote or a line break,
// or starts with a space, with quotes doubled.
func appendCSVField(buf []byte, field string) []byte {
	first, _ := utf8.DecodeRuneInString(field)
	if field == "" || field != `\.` && !strings.ContainsAny(field, ",\"\r\n") && !unicode.IsSpace(first) {
		return append(buf, field...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, field[i])
	}
	return append(buf, '"')
}

// csvSafe defuses CSV formula injection: a cell starting with = + - @ (or a
// tab or carriage return, which some spreadsheets skip before one) is
// prefixed with a single quote so that it shows as text.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
