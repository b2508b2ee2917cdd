package app

import (
	"context"
	"time"

	"agentbar/core/control"
	"agentbar/core/history"
)

// HistoryRow is one call as the control API and the GUI show it.
type HistoryRow struct {
	ID            string            `json:"id"`
	Account       string            `json:"account"`
	Platform      string            `json:"platform"`
	Direction     string            `json:"direction"`
	RemoteNumber  string            `json:"remote_number"`
	DisplayNumber string            `json:"display_number,omitempty"`
	Location      string            `json:"location,omitempty"`
	Carrier       string            `json:"carrier,omitempty"`
	Queue         string            `json:"queue,omitempty"`
	State         string            `json:"state"`
	EndReason     string            `json:"end_reason,omitempty"`
	Missed        bool              `json:"missed"`
	Started       time.Time         `json:"started"`
	Answered      *time.Time        `json:"answered,omitempty"`
	Ended         *time.Time        `json:"ended,omitempty"`
	DurationSec   int               `json:"duration_sec"`
	UserData      map[string]string `json:"user_data,omitempty"`
	Note          string            `json:"note,omitempty"`
	Tags          []string          `json:"tags,omitempty"`
}

// History implements control.Backend: the call history, newest first.
func (a *App) History(ctx context.Context, q control.HistoryQuery) (any, error) {
	recs, err := a.historyDB.Query(ctx, history.Filter{
		Direction: q.Direction, MissedOnly: q.Missed, Number: q.Number,
		Page: history.Page{Limit: q.Limit, Before: q.Before},
	})
	if err != nil {
		return nil, err
	}
	rows := make([]HistoryRow, 0, len(recs))
	for _, r := range recs {
		rows = append(rows, rowOf(r))
	}
	return rows, nil
}

func rowOf(r history.Record) HistoryRow {
	row := HistoryRow{
		ID: r.ID, Account: r.Account, Platform: r.Platform, Direction: r.Direction,
		RemoteNumber: r.RemoteNumber, DisplayNumber: r.DisplayNumber, Location: r.Location,
		Carrier: r.Carrier, Queue: r.Queue, State: r.State, EndReason: r.EndReason,
		Missed: r.Missed(), Started: r.Started, UserData: r.UserData, Note: r.Note, Tags: r.Tags,
	}
	if !r.Answered.IsZero() {
		t := r.Answered
		row.Answered = &t
		if !r.Ended.IsZero() {
			row.DurationSec = int(r.Ended.Sub(r.Answered).Seconds())
		}
	}
	if !r.Ended.IsZero() {
		t := r.Ended
		row.Ended = &t
	}
	return row
}

var _ control.Backend = (*App)(nil)
