package supportlab

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestQuizDetailEncoding checks that a quiz attempt's document, written
// without encoding/json's reflection, reads back as what encoding/json
// writes for the same attempt, and is the same JSON but for key order.
func TestQuizDetailEncoding(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    Attempt
	}{
		{"answers and marks", Attempt{Asked: []string{"q2", "q1", "q3"},
			Answers: map[string][]int{"q1": {0}, "q2": {1, 3}, "q3": {}}, Right: map[string]bool{"q1": true, "q2": false, "q3": true}}},
		{"nothing asked", Attempt{}},
		{"nothing answered", Attempt{Asked: []string{"a"}}},
		{"keys not asked, and asked twice", Attempt{Asked: []string{"b", "b"},
			Answers: map[string][]int{"b": {2}, "z": {1}, "a": nil}, Right: map[string]bool{"y": true, "b": true}}},
		{"ids to escape", Attempt{Asked: []string{`say "hi"`, `back\slash`, "<b>&amp;</b>", "Léa\u2028", "tab\there", "\xff"},
			Answers: map[string][]int{`say "hi"`: {1}, "<b>&amp;</b>": {0}, "\xff": {2}}, Right: map[string]bool{"Léa\u2028": true, "tab\there": false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Kind, a.Score = KindQuiz, 50
			got, err := a.Detail()
			if err != nil {
				t.Fatal(err)
			}
			d := attemptDetail{Asked: a.Asked, Answers: a.Answers, Right: a.Right}
			want, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var gotDoc, wantDoc any
			if err := json.Unmarshal(got, &gotDoc); err != nil {
				t.Fatalf("not JSON: %s: %v", got, err)
			}
			if err := json.Unmarshal(want, &wantDoc); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotDoc, wantDoc) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			// Read back, both give the same answers (invalid UTF-8 turns
			// into U+FFFD either way).
			var back, wantBack Attempt
			if err := back.SetDetail(got); err != nil {
				t.Fatal(err)
			}
			if err := wantBack.SetDetail(want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, wantBack) {
				t.Errorf("read back as %+v, want %+v", back, wantBack)
			}
		})
	}
}
