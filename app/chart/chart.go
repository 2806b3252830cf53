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
// views/partials/chart-line.html: the mean score per period as a line,
// the attempts of each period as bars under it, and the pass marks as
// dashed reference lines. A period with fewer than MinAttempts attempts is
// drawn as a hollow point off the line: one or two attempts would make the
// line swing.
type LineChart struct {
	ID            string // prefix of the element ids, unique on the page
	Title, Desc   string
	Width, Height int
	FontSize      int
	// Plot area.
	Left, Top, Right, Bottom float64
	Polyline                 string
	Points                   []Point
	Bars                     []Bar
	Refs                     []Tick // pass marks: Pos is the y of the line
	YTicks, XTicks           []Tick
	MaxAttempts              int // the tallest bar's count
	BarTop                   float64
}

// MinAttempts is the fewest attempts a period needs to be on the line.
const MinAttempts = 5

// Pass marks drawn as reference lines (SPEC: a quiz's passPercent defaults
// to 80, a sandbox attempt passes from 70).
const (
	QuizPassMark    = 80
	SandboxPassMark = 70
)

// Point is one plotted point, in SVG coordinates.
type Point struct {
	X, Y  float64
	Label string // shown on hover as the point's <title>
	Few   bool   // fewer than MinAttempts attempts: hollow, off the line
}

// Bar is one period's attempts, drawn under the line.
type Bar struct {
	X, Y, W, H float64
	Label      string
}

// Tick is one labelled position on an axis.
type Tick struct {
	Pos    float64
	Label  string
	Anchor string // text-anchor: start, middle or end
}

// Bucket is one point of the team's average: a week or a month.
type Bucket struct {
	Start       time.Time
	First, Last time.Time // the first and last day with attempts in it
	Label       string    // the days with attempts: "2024-05-06 – 2024-05-09"
	Tick        string    // the period's start, for the axis
	Attempts    int
	Mean        float64
}

// Few says whether the bucket has too few attempts to be on the line.
func (b Bucket) Few() bool { return b.Attempts < MinAttempts }

// Granularities of the trend: weeks, or months past two years.
const (
	trendWeek  = "week"
	trendMonth = "month"
)

// BucketDays merges the store's daily sums into weeks (starting on Monday)
// or, past two years, months. It works on aggregates, one row per day,
// never on attempts.
func BucketDays(days []supportlab.DayScore) (string, []Bucket) {
	if len(days) == 0 {
		return trendWeek, nil
	}
	span := days[len(days)-1].Day.Sub(days[0].Day)
	unit := trendWeek
	if span > 2*365*24*time.Hour {
		unit = trendMonth
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
			tick := start.Format("2006-01-02")
			if unit == trendMonth {
				tick = start.Format("2006-01")
			}
			out = append(out, Bucket{Start: start, First: d.Day, Tick: tick})
			sums = append(sums, 0)
		}
		b := &out[len(out)-1]
		b.Last = d.Day
		b.Attempts += d.Attempts
		sums[len(sums)-1] += d.SumScore
	}
	for i := range out {
		if out[i].Attempts > 0 {
			out[i].Mean = float64(sums[i]) / float64(out[i].Attempts)
		}
		out[i].Label = out[i].First.Format("2006-01-02")
		if !out[i].Last.Equal(out[i].First) {
			out[i].Label += " – " + out[i].Last.Format("2006-01-02")
		}
	}
	return unit, out
}

// NewLineChart lays out buckets on a time axis (x proportional to time, so
// that a quiet month shows as a gap) against scores from 0 to 100, in a
// box width units wide: the dashboard draws it at 640 for screens and at
// 360 for phones, so that its 12-unit labels stay about 12 px.
func NewLineChart(id, title, desc string, buckets []Bucket, width int) LineChart {
	ch := LineChart{ID: id, Title: title, Desc: desc, Width: width, Height: 260, FontSize: 12,
		Left: 34, Top: 14, Right: float64(width) - 12, Bottom: 226}
	if width < 480 {
		ch.Height = 240
		ch.Bottom = 206
	}
	for _, v := range []int{0, 25, 50, 75, 100} {
		ch.YTicks = append(ch.YTicks, Tick{Pos: ch.y(float64(v)), Label: strconv.Itoa(v), Anchor: "end"})
	}
	ch.Refs = []Tick{
		{Pos: ch.y(QuizPassMark), Label: strconv.Itoa(QuizPassMark), Anchor: "end"},
		{Pos: ch.y(SandboxPassMark), Label: strconv.Itoa(SandboxPassMark), Anchor: "end"},
	}
	if len(buckets) == 0 {
		return ch
	}
	// Points are inset by half a bar so that the end bars fit.
	n := len(buckets)
	inset := 10.0
	if n > 1 {
		inset = math.Min(24, (ch.Right-ch.Left)/float64(n)/2)
	}
	first, last := buckets[0].Start, buckets[n-1].Start
	span := last.Sub(first).Seconds()
	x := func(t time.Time) float64 {
		if span == 0 {
			return (ch.Left + ch.Right) / 2
		}
		return ch.Left + inset + (ch.Right-ch.Left-2*inset)*t.Sub(first).Seconds()/span
	}
	for _, b := range buckets {
		if b.Attempts > ch.MaxAttempts {
			ch.MaxAttempts = b.Attempts
		}
	}
	// Bars use the bottom third of the plot, the tallest one its top.
	barMax := (ch.Bottom - ch.Top) / 3
	ch.BarTop = ch.Bottom - barMax
	barW := math.Max(2, math.Min(28, 1.4*inset))
	var pts []string
	for _, b := range buckets {
		px := round1(x(b.Start))
		p := Point{X: px, Y: round1(ch.y(b.Mean)), Few: b.Few(), Label: b.Label + ": " + strconv.Itoa(int(math.Round(b.Mean)))}
		ch.Points = append(ch.Points, p)
		if !p.Few {
			pts = append(pts, strconv.FormatFloat(p.X, 'f', 1, 64)+","+strconv.FormatFloat(p.Y, 'f', 1, 64))
		}
		h := round1(barMax * float64(b.Attempts) / float64(max(ch.MaxAttempts, 1)))
		ch.Bars = append(ch.Bars, Bar{X: round1(px - barW/2), Y: round1(ch.Bottom - h), W: round1(barW), H: h, Label: b.Label + ": " + strconv.Itoa(b.Attempts)})
	}
	if len(pts) > 1 {
		ch.Polyline = strings.Join(pts, " ")
	}
	// Time axis: labels about 80 units wide, at least 90 apart, the last
	// period always labelled, the ends anchored inside the box.
	for i := 0; i < n; i++ {
		px := ch.Points[i].X
		if len(ch.XTicks) > 0 && px-ch.XTicks[len(ch.XTicks)-1].Pos < 90 {
			if i < n-1 {
				continue
			}
			ch.XTicks = ch.XTicks[:len(ch.XTicks)-1]
		}
		ch.XTicks = append(ch.XTicks, Tick{Pos: px, Label: buckets[i].Tick})
	}
	for i := range ch.XTicks {
		ch.XTicks[i].Anchor = "middle"
		if ch.XTicks[i].Pos-ch.Left < 40 {
			ch.XTicks[i].Anchor, ch.XTicks[i].Pos = "start", math.Max(ch.Left, ch.XTicks[i].Pos-8)
		} else if ch.Right-ch.XTicks[i].Pos < 40 {
			ch.XTicks[i].Anchor, ch.XTicks[i].Pos = "end", math.Min(ch.Right, ch.XTicks[i].Pos+8)
		}
	}
	if len(ch.XTicks) == 1 && n == 1 {
		ch.XTicks[0].Anchor = "middle"
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
