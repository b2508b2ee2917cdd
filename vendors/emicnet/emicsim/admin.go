package emicsim

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"agentbar/vendors/emicnet/wire"
)

// The admin knobs of the platform (tests, the demo's curious user): in Go,
// and over HTTP on the account API's listener under /emicsim/ (loopback
// clients only, no web page origins):
//
//	POST /emicsim/kick        {"un":"8001","r":897}
//	POST /emicsim/account     {"un":"8001","disabled":true}
//	POST /emicsim/enterprise  {"switchnumber":"02566699734","disabled":false,"suspended":true,
//	                           "hours":{"from":"9h","to":"18h"},"daily_limit":3}
//	POST /emicsim/force       {"path":"/getUser","code":50000,"count":1}
//	GET  /emicsim/state

// SetAccountDisabled disables (or enables again) an extension: getUser
// answers 50005, REGISTER 403, and a signed-in seat is kicked with 898.
func (f *Front) SetAccountDisabled(un string, disabled bool) error {
	f.mu.Lock()
	if _, _, ok := f.enterpriseOf(un); !ok {
		f.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownAccount, un)
	}
	f.disabled[un] = disabled
	f.mu.Unlock()
	if disabled && f.sip.Registered(un) {
		return f.cc.Kick(un, kickReason(wire.KickInvalid))
	}
	return nil
}

// EnterpriseSettings are the knobs of an enterprise; nil fields stay.
type EnterpriseSettings struct {
	Disabled   *bool         `json:"disabled,omitempty"`
	Suspended  *bool         `json:"suspended,omitempty"`
	Hours      *HoursSetting `json:"hours,omitempty"`
	DailyLimit *int          `json:"daily_limit,omitempty"`
}

// HoursSetting sets or clears the working hours: Always clears them.
type HoursSetting struct {
	Always bool     `json:"always,omitempty"`
	From   Duration `json:"from"`
	To     Duration `json:"to"`
}

// Duration is a time.Duration written as "9h30m" in JSON.
type Duration time.Duration

// UnmarshalJSON reads "9h", "90s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes "9h0m0s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// SetEnterprise changes an enterprise's knobs. Disabling it kicks its
// signed-in seats with 898.
func (f *Front) SetEnterprise(switchnumber string, set EnterpriseSettings) error {
	f.mu.Lock()
	e := f.enterpriseBySwitch(switchnumber)
	if e == nil {
		f.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownEnterprise, switchnumber)
	}
	if set.Suspended != nil {
		e.Suspended = *set.Suspended
	}
	if set.DailyLimit != nil {
		e.DailyLimit = max(*set.DailyLimit, 0)
	}
	if h := set.Hours; h != nil {
		if h.Always {
			e.Hours = nil
		} else {
			e.Hours = &WorkingHours{From: time.Duration(h.From), To: time.Duration(h.To)}
		}
	}
	var kick []string
	if set.Disabled != nil {
		if *set.Disabled && !e.Disabled {
			for un, s := range f.seats {
				if s.sess != nil {
					if own, _, ok := f.enterpriseOf(un); ok && own == e {
						kick = append(kick, un)
					}
				}
			}
		}
		e.Disabled = *set.Disabled
	}
	f.mu.Unlock()
	slices.Sort(kick)
	for _, un := range kick {
		if err := f.cc.Kick(un, kickReason(wire.KickInvalid)); err != nil {
			return err
		}
	}
	return nil
}

// ForceAccountCode makes the account API answer code on path ("/getUser",
// "/getUser2", "/webApiHandler/getGroups" ...; "" = every path) count times
// (0: until ClearForced).
func (f *Front) ForceAccountCode(path string, code wire.AccountCode, count int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forced = append(f.forced, forcedCode{path: path, code: code, count: max(count, 0)})
}

// ClearForced drops every forced answer.
func (f *Front) ClearForced() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forced = nil
}

// SetProtected makes an extension callable by supervisors only (1000).
func (f *Front) SetProtected(un string, protected bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.protected[un] = protected
}

// State is the front's view for GET /admin/state (admin.Options.Fronts)
// and GET /emicsim/state.
type State struct {
	Seats       []SeatState       `json:"seats"`
	Enterprises []EnterpriseState `json:"enterprises"`
}

// SeatState is one seat as the platform sees it.
type SeatState struct {
	Un         string            `json:"un"`
	Registered bool              `json:"registered"`
	Gid        string            `json:"gid,omitempty"`
	Callintype wire.CallInType   `json:"callintype,omitempty"`
	Supervisor bool              `json:"supervisor,omitempty"`
	Monitor    wire.MonitorState `json:"monitor"`
	Calls      []string          `json:"calls,omitempty"` // ccNumbers
	Disabled   bool              `json:"disabled,omitempty"`
	Status     *wire.SeatStatus  `json:"status,omitempty"` // the last statusChanged
}

// EnterpriseState is one enterprise's knobs.
type EnterpriseState struct {
	Switchnumber string        `json:"switchnumber"`
	Eid          string        `json:"eid"`
	Disabled     bool          `json:"disabled,omitempty"`
	Suspended    bool          `json:"suspended,omitempty"`
	Hours        *WorkingHours `json:"hours,omitempty"`
	DailyLimit   int           `json:"daily_limit,omitempty"`
}

// State returns the platform's view of its seats and enterprises.
func (f *Front) State() State {
	f.mu.Lock()
	defer f.mu.Unlock()
	var st State
	for _, un := range slicesSortedKeys(f.seats) {
		s := f.seats[un]
		ss := SeatState{Un: un, Registered: s.sess != nil, Monitor: wire.MonitorState{Status: s.mon.status, CcNumber: s.mon.c}, Disabled: f.disabled[un]}
		if s.sess != nil {
			ss.Gid, ss.Callintype, ss.Supervisor = s.sess.gid, s.sess.callintype, s.sess.supervisor
		}
		if s.lastStatus >= 0 {
			v := s.lastStatus
			ss.Status = &v
		}
		for _, v := range s.views {
			ss.Calls = append(ss.Calls, v.c)
		}
		slices.Sort(ss.Calls)
		st.Seats = append(st.Seats, ss)
	}
	for _, e := range f.ents {
		st.Enterprises = append(st.Enterprises, EnterpriseState{Switchnumber: e.Switchnumber, Eid: e.Eid,
			Disabled: e.Disabled, Suspended: e.Suspended, Hours: e.Hours, DailyLimit: e.DailyLimit})
	}
	return st
}

func slicesSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// adminRoutes adds the /emicsim/ knobs to the account API's mux.
func (f *Front) adminRoutes(mux *http.ServeMux) {
	handle := func(pattern string, h func(json.RawMessage) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !loopbackOnly(r) {
				http.Error(w, `{"error":"loopback only"}`, http.StatusForbidden)
				return
			}
			body, err := wire.ReadBody(r.Body, 64<<10)
			if err != nil {
				http.Error(w, `{"error":"body too large"}`, http.StatusBadRequest)
				return
			}
			out, err := h(body)
			w.Header().Set("Content-Type", wire.ContentTypeJSON)
			if err != nil {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write(wire.MustJSON(map[string]string{"error": err.Error()}))
				return
			}
			if out == nil {
				out = map[string]bool{"ok": true}
			}
			_, _ = w.Write(wire.MustJSON(out))
		})
	}
	handle("GET /emicsim/state", func(json.RawMessage) (any, error) { return f.State(), nil })
	handle("POST /emicsim/kick", func(b json.RawMessage) (any, error) {
		var req struct {
			Un string          `json:"un"`
			R  wire.KickReason `json:"r"`
		}
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		return nil, f.Kick(req.Un, req.R)
	})
	handle("POST /emicsim/account", func(b json.RawMessage) (any, error) {
		var req struct {
			Un       string `json:"un"`
			Disabled bool   `json:"disabled"`
		}
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		return nil, f.SetAccountDisabled(req.Un, req.Disabled)
	})
	handle("POST /emicsim/enterprise", func(b json.RawMessage) (any, error) {
		var req struct {
			Switchnumber string `json:"switchnumber"`
			EnterpriseSettings
		}
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		return nil, f.SetEnterprise(req.Switchnumber, req.EnterpriseSettings)
	})
	handle("POST /emicsim/force", func(b json.RawMessage) (any, error) {
		var req struct {
			Path  string           `json:"path"`
			Code  wire.AccountCode `json:"code"`
			Count int              `json:"count"`
		}
		if err := json.Unmarshal(b, &req); err != nil {
			return nil, err
		}
		if req.Code == 0 {
			f.ClearForced()
			return nil, nil
		}
		f.ForceAccountCode(req.Path, req.Code, req.Count)
		return nil, nil
	})
}

// loopbackOnly admits loopback clients without a foreign web origin.
func loopbackOnly(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil {
			return false
		}
		ip := net.ParseIP(u.Hostname())
		return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
	}
	return true
}
