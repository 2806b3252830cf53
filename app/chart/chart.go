// Package chart lays out the dashboard's figures (the trend line and the
// confusion heat map) as numbers a template can draw as SVG or a table: no
// JavaScript library, and the same data in a table for screen readers. It
// knows nothing of HTTP; the web adapter hands it the store's figures.
package chart

import (
	"math"
	"strconv"
	"strings"
	"time"

	"supportlab/app/supportlab"
)

// Charts are drawn on the server as inline SVG: no script, nothing to load,
// and they print. Each comes with a data table holding the same figures, so
// that screen-reader users and anyone who wants exact values get them. The
// SVG itself only uses attributes (fill, stroke), never style="", which the
// Content-Security-Policy forbids.

// LineChart is a line of scores (0–100) over time, ready for
// views/partials/chart-line.html.
type LineChart struct {
	ID            string // prefix of the element ids, unique on the page
	Title, Desc   string
	Width, Height int
	// Plot area.
	Left, Top, Right, Bottom float64
	Polyline                 string
	Points                   []Point
	YTicks, XTicks           []Tick
}

// Point is one plotted point, in SVG coordinates.
type Point struct {
	X, Y  float64
	Label string // shown on hover as the point's <title>
}

// Tick is one labelled position on an axis.
type Tick struct {
	Pos   float64
	Label string
}

// Bucket is one point of the team's average: a day, a week or a month.
type Bucket struct {
	Start    time.Time
	Label    string
	Attempts int
	Mean     float64
}

// Granularities of the trend, chosen so the chart keeps a readable number
// of points whatever the period the team's attempts span.
const (
	trendDay   = "day"
	trendWeek  = "week"
	trendMonth = "month"
)

// BucketDays merges the store's daily sums into days, weeks (starting on
// Monday) or months, whichever keeps the line under about a hundred points.
// It works on aggregates, one row per day, never on attempts.
func BucketDays(days []supportlab.DayScore) (string, []Bucket) {
	if len(days) == 0 {
		return trendDay, nil
	}
	span := days[len(days)-1].Day.Sub(days[0].Day)
	unit := trendDay
	switch {
	case span > 2*365*24*time.Hour:
		unit = trendMonth
	case span > 92*24*time.Hour:
		unit = trendWeek
	}
	var out []Bucket
	sums := []int{}
	for _, d := range days {
		start := d.Day
		switch unit {
		case trendWeek:
			start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
		case trendMonth:
			start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		}
		if len(out) == 0 || !out[len(out)-1].Start.Equal(start) {
			label := start.Format("2006-01-02")
			if unit == trendMonth {
				label = start.Format("2006-01")
			}
			out = append(out, Bucket{Start: start, Label: label})
			sums = append(sums, 0)
		}
		b := &out[len(out)-1]
		b.Attempts += d.Attempts
		sums[len(sums)-1] += d.SumScore
	}
	for i := range out {
		if out[i].Attempts > 0 {
			out[i].Mean = float64(sums[i]) / float64(out[i].Attempts)
		}
	}
	return unit, out
}

// NewLineChart lays out buckets on a time axis (x proportional to time, so
// that a quiet month shows as a gap) against scores from 0 to 100.
func NewLineChart(id, title, desc string, buckets []Bucket) LineChart {
	ch := LineChart{ID: id, Title: title, Desc: desc, Width: 640, Height: 260,
		Left: 44, Top: 14, Right: 624, Bottom: 226}
	for _, v := range []int{0, 25, 50, 75, 100} {
		ch.YTicks = append(ch.YTicks, Tick{Pos: ch.y(float64(v)), Label: strconv.Itoa(v)})
	}
	if len(buckets) == 0 {
		return ch
	}
	first, last := buckets[0].Start, buckets[len(buckets)-1].Start
	span := last.Sub(first).Seconds()
	x := func(t time.Time) float64 {
		if span == 0 {
			return (ch.Left + ch.Right) / 2
		}
		return ch.Left + (ch.Right-ch.Left)*t.Sub(first).Seconds()/span
	}
	var pts []string
	for _, b := range buckets {
		p := Point{X: round1(x(b.Start)), Y: round1(ch.y(b.Mean)), Label: b.Label + ": " + strconv.Itoa(int(math.Round(b.Mean)))}
		ch.Points = append(ch.Points, p)
		pts = append(pts, strconv.FormatFloat(p.X, 'f', 1, 64)+","+strconv.FormatFloat(p.Y, 'f', 1, 64))
	}
	ch.Polyline = strings.Join(pts, " ")
	// At most five labels on the time axis: the ends and evenly between.
	n := len(buckets)
	step := 1
	if n > 5 {
		step = (n - 1 + 3) / 4
	}
	for i := 0; i < n; i += step {
		ch.XTicks = append(ch.XTicks, Tick{Pos: ch.Points[i].X, Label: buckets[i].Label})
	}
	if lastTick := ch.XTicks[len(ch.XTicks)-1]; lastTick.Pos != ch.Points[n-1].X {
		if ch.Points[n-1].X-lastTick.Pos < 80 {
			ch.XTicks = ch.XTicks[:len(ch.XTicks)-1]
		}
		ch.XTicks = append(ch.XTicks, Tick{Pos: ch.Points[n-1].X, Label: buckets[n-1].Label})
	}
	return ch
}

func (ch LineChart) y(score float64) float64 {
	return ch.Bottom - (ch.Bottom-ch.Top)*score/100
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Heatmap is the confusion matrix as a shaded table: each row is what a
// scenario expected, each column what learners chose, and a cell's shade
// (heat-0 to heat-5, see teams.css) its share of the row.
type Heatmap struct {
	Classes []string
	Rows    []HeatRow
	Total   int
}

// HeatRow is one expected class: its attempts and how they were triaged.
type HeatRow struct {
	Class string
	Total int
	Cells []HeatCell
}

// HeatCell is the attempts of one expected class triaged as one chosen
// class; Diagonal marks the right triage.
type HeatCell struct {
	Count    int
	Percent  int // of the row
	Heat     int // 0..5
	Diagonal bool
}

// NewHeatmap shades a confusion matrix; label names a triage class in the
// reader's language.
func NewHeatmap(m supportlab.ConfusionMatrix, label func(class string) string) Heatmap {
	h := Heatmap{Total: m.Total()}
	for _, c := range supportlab.TriageClasses {
		h.Classes = append(h.Classes, label(c))
	}
	for i, row := range m.Counts {
		r := HeatRow{Class: h.Classes[i]}
		for _, n := range row {
			r.Total += n
		}
		for j, n := range row {
			cell := HeatCell{Count: n, Diagonal: i == j}
			if r.Total > 0 && n > 0 {
				cell.Percent = int(math.Round(100 * float64(n) / float64(r.Total)))
				cell.Heat = int(math.Ceil(5 * float64(n) / float64(r.Total)))
			}
			r.Cells = append(r.Cells, cell)
		}
		h.Rows = append(h.Rows, r)
	}
	return h
}
