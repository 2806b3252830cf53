package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"supportlab/app/supportlab"
)

// TestScoresExportEncoding checks that the scores export's own encoders
// write exactly what encoding/csv and encoding/json write for the same
// rows, with names that need quoting, escaping or defusing.
func TestScoresExportEncoding(t *testing.T) {
	last := time.Date(2025, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600))
	names := []struct{ name, learner, email, uid string }{
		{"plain", "Lea Martin", "lea@example.com", "support-check-en"},
		{"comma and quote", `Martin, "Lea"`, "lea@example.com", "q,1"},
		{"line breaks", "Lea\r\nMartin\rX\nY", "a@b.c", "u"},
		{"leading space", " Lea", "\u00a0lea@example.com", " u"},
		{"formula", "=HYPERLINK(\"x\")", "+lea@example.com", "-u"},
		{"html and unicode", "<script>alert(1)</script> Léa & Zoë \u2028", "é@example.com", "u\\.x"},
		{"csv end marker", `\.`, "e@x.y", `\.`},
		{"empty", "", "", "u"},
	}
	var rows []supportlab.ItemScore
	for i, n := range names {
		for k, kind := range []string{supportlab.KindQuiz, supportlab.KindSandbox} {
			rows = append(rows, supportlab.ItemScore{UserID: int64(i + 1), Learner: n.learner, Email: n.email,
				Kind: kind, UID: n.uid, Best: 10 * k, Attempts: i + k, Passed: k == 1, Last: last.Add(time.Duration(i) * time.Hour)})
		}
	}

	var want bytes.Buffer
	w := csv.NewWriter(&want)
	_ = w.Write(scoreColumns)
	type apiScore struct {
		Learner  string `json:"learner"`
		Email    string `json:"email"`
		Kind     string `json:"kind"`
		UID      string `json:"uid"`
		Best     int    `json:"best"`
		Attempts int    `json:"attempts"`
		Last     string `json:"last"`
	}
	api := []apiScore{}
	for _, r := range rows {
		stamp := r.Last.UTC().Format(time.RFC3339)
		_ = w.Write([]string{csvSafe(r.Learner), csvSafe(r.Email), r.Kind, csvSafe(r.UID),
			strconv.Itoa(r.Best), strconv.Itoa(r.Attempts), stamp})
		api = append(api, apiScore{r.Learner, r.Email, r.Kind, r.UID, r.Best, r.Attempts, stamp})
	}
	w.Flush()
	if got := scoresCSV(rows); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("scores.csv differs from encoding/csv:\n got %q\nwant %q", got, want.Bytes())
	}
	wantJSON, err := json.Marshal(api)
	if err != nil {
		t.Fatal(err)
	}
	if got := scoresJSON(rows); !bytes.Equal(got, wantJSON) {
		t.Errorf("scores API differs from encoding/json:\n got %s\nwant %s", got, wantJSON)
	}
	if got := scoresJSON(nil); string(got) != "[]" {
		t.Errorf("no rows: %s, want []", got)
	}
}
