package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"agentbar/vendors/callcenter"
)

// Options configure the server.
type Options struct {
	// Addr is where to listen; "127.0.0.1:0" picks a free port. It must be
	// a loopback address.
	Addr string
	// Fronts adds the front-ends' own state to GET /admin/state, under
	// "fronts" (bindings, legs ...). Optional.
	Fronts func() any
	Logger *slog.Logger
}

// Server is a running admin endpoint.
type Server struct {
	cc   *callcenter.Center
	opts Options
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
}

// Start listens and serves until Close.
func Start(cc *callcenter.Center, opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("admin: address %q: %w", opts.Addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%w: %s", ErrNotLoopback, opts.Addr)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("admin: listen: %w", err)
	}
	s := &Server{cc: cc, opts: opts, ln: ln, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/state", s.state)
	mux.HandleFunc("GET /admin/cdrs", s.cdrs)
	mux.HandleFunc("POST /admin/customer", s.customer)
	mux.HandleFunc("POST /admin/fault", s.setFault)
	mux.HandleFunc("DELETE /admin/fault", s.clearFault)
	mux.HandleFunc("POST /admin/arrivals", s.arrivals)
	mux.HandleFunc("POST /admin/agent", s.agentState)
	mux.HandleFunc("POST /admin/monitor", s.monitor)
	s.srv = &http.Server{Handler: s.guard(mux), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(opts.Logger.Handler(), slog.LevelDebug)}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			opts.Logger.Warn("admin: serve", "err", err)
		}
	}()
	return s, nil
}

// URL is the server's base address, e.g. http://127.0.0.1:38211.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

// guard refuses requests a web page could send (a non-loopback Origin).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			ip := net.ParseIP(u.Hostname())
			if err != nil || (u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback())) {
				writeError(w, http.StatusForbidden, errors.New("admin: cross-origin requests are refused"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

// statusOf maps the center's errors to HTTP.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest), errors.Is(err, callcenter.ErrInvalidFault),
		errors.Is(err, callcenter.ErrInvalidScript), errors.Is(err, callcenter.ErrInvalidConfig),
		errors.Is(err, callcenter.ErrUnknownBreak):
		return http.StatusBadRequest
	case errors.Is(err, callcenter.ErrUnknownAgent), errors.Is(err, callcenter.ErrUnknownCall),
		errors.Is(err, callcenter.ErrUnknownQueue):
		return http.StatusNotFound
	case errors.Is(err, callcenter.ErrWrongState), errors.Is(err, callcenter.ErrAgentBusy),
		errors.Is(err, callcenter.ErrAgentOffline), errors.Is(err, callcenter.ErrNotSupervisor):
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("%w: %v", ErrBadRequest, err))
		return nil, false
	}
	return body, true
}

func (s *Server) state(w http.ResponseWriter, _ *http.Request) {
	out := struct {
		callcenter.Snapshot
		Fronts any `json:"fronts,omitempty"`
	}{Snapshot: s.cc.Snapshot()}
	if s.opts.Fronts != nil {
		out.Fronts = s.opts.Fronts()
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) cdrs(w http.ResponseWriter, _ *http.Request) {
	cdrs := s.cc.CDRs()
	if cdrs == nil {
		cdrs = []callcenter.CDR{}
	}
	writeJSON(w, http.StatusOK, cdrs)
}

func (s *Server) customer(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	req, err := decodeCustomer(body)
	if err == nil {
		var id callcenter.CallID
		if id, err = s.cc.CustomerCall(req.Customer, req.Trunk); err == nil {
			writeJSON(w, http.StatusCreated, map[string]string{"call_id": string(id)})
			return
		}
	}
	writeError(w, statusOf(err), err)
}

func (s *Server) setFault(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req faultRequest
	err := decode(body, &req)
	if err == nil {
		var f callcenter.Fault
		if f, err = callcenter.DecodeFault(req.Kind, req.Args); err == nil {
			if err = s.cc.Faults().Set(f); err == nil {
				s.opts.Logger.Info("admin: fault set", "kind", req.Kind)
				writeJSON(w, http.StatusOK, map[string]any{"kind": f.Kind(), "args": f})
				return
			}
		}
	}
	writeError(w, statusOf(err), err)
}

func (s *Server) clearFault(w http.ResponseWriter, r *http.Request) {
	s.cc.Faults().Clear(callcenter.FaultKind(r.URL.Query().Get("kind")))
	writeJSON(w, http.StatusOK, map[string]any{"active": s.cc.Faults().Active()})
}

func (s *Server) arrivals(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req arrivalsRequest
	err := decode(body, &req)
	if err == nil && req.PerMinute == nil {
		err = fmt.Errorf("%w: per_minute is required", ErrBadRequest)
	}
	if err == nil {
		if err = s.cc.SetArrivalRate(*req.PerMinute); err == nil {
			writeJSON(w, http.StatusOK, map[string]float64{"per_minute": *req.PerMinute})
			return
		}
	}
	writeError(w, statusOf(err), err)
}

func (s *Server) agentState(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req agentRequest
	err := decode(body, &req)
	if err == nil {
		var st callcenter.AgentState
		if st, err = parseState(req.State, req.BreakCode); err == nil {
			if err = s.cc.SetAgentState(req.Agent, st); err == nil {
				a, _ := s.cc.Agent(req.Agent)
				writeJSON(w, http.StatusOK, a)
				return
			}
		}
	}
	writeError(w, statusOf(err), err)
}

func (s *Server) monitor(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req monitorRequest
	err := decode(body, &req)
	if err == nil {
		if err = s.cc.Monitor(req.Supervisor, req.Agent, callcenter.MonitorMode(req.Mode)); err == nil {
			writeJSON(w, http.StatusOK, map[string]string{"mode": req.Mode})
			return
		}
	}
	writeError(w, statusOf(err), err)
}
