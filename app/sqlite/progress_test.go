package sqlite_test

import (
	"context"
	"reflect"
	"testing"
)

func TestUnitsRead(t *testing.T) {
	db, _ := openUsersTestDB(t)
	ctx := context.Background()
	ada := mustCreateUser(t, db, "ada@example.com", "Ada", "")
	bob := mustCreateUser(t, db, "bob@example.com", "Bob", "")
	for _, r := range []struct {
		user         int64
		module, unit string
	}{
		{ada.ID, "m1", "01-intro"},
		{ada.ID, "m1", "01-intro"}, // opened twice: still one unit
		{ada.ID, "m1", "02-more"},
		{ada.ID, "m2", "01-start"},
		{bob.ID, "m1", "03-end"},
	} {
		if err := db.MarkUnitRead(ctx, r.user, r.module, r.unit); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		user int64
		want map[string]map[string]bool
	}{
		{"ada", ada.ID, map[string]map[string]bool{"m1": {"01-intro": true, "02-more": true}, "m2": {"01-start": true}}},
		{"bob", bob.ID, map[string]map[string]bool{"m1": {"03-end": true}}},
		{"nobody", 999, map[string]map[string]bool{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.UnitsRead(ctx, tc.user)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
