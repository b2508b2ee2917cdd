package control

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Server is the running control API.
type Server struct {
	o        Options
	log      *slog.Logger
	tune     tuning
	token    string
	origins  originPolicy
	routes   map[string]route
	upgrader websocket.Upgrader
	ln       net.Listener
	hs       *http.Server
	ep       Endpoint
	served   chan struct{} // closed when hs.Serve has returned

	mu      sync.Mutex // guards closed and streams
	closed  bool
	streams map[*stream]struct{}
	wg      sync.WaitGroup // one per stream
}

// Start listens on a loopback address, writes <Dir>/control.json and
// serves until Close. ctx bounds only the start.
func Start(ctx context.Context, o Options) (*Server, error) {
	return start(ctx, o, defaultTuning())
}

func start(ctx context.Context, o Options, tune tuning) (*Server, error) {
	if o.Backend == nil || o.Backend.Engine() == nil {
		return nil, ErrNoBackend
	}
	if o.Dir == "" {
		return nil, ErrNoDir
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	addr, err := listenAddr(o.Addr)
	if err != nil {
		return nil, err
	}
	origins, err := parseOrigins(o.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	if err := ensureDir(o.Dir); err != nil {
		return nil, err
	}
	token, err := loadOrCreateToken(o.Dir)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("control: listen: %w", err)
	}
	// Belt and braces: whatever the address said, serve only if the kernel
	// bound us to loopback.
	if err := checkLoopback(ln.Addr().String()); err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{
		o:       o,
		log:     o.Logger.With("component", "control"),
		tune:    tune,
		token:   token,
		origins: origins,
		routes:  newRoutes(),
		ln:      ln,
		ep:      Endpoint{Addr: ln.Addr().String(), PID: os.Getpid(), Version: o.Version},
		served:  make(chan struct{}),
		streams: map[*stream]struct{}{},
	}
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: tune.writeTimeout,
		// The Origin has been checked against the user's list already.
		CheckOrigin: func(*http.Request) bool { return true },
		Error:       s.upgradeError,
	}
	s.hs = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	go func() {
		defer close(s.served)
		if err := s.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("control: serve", "err", err)
		}
	}()
	if err := writeEndpoint(o.Dir, s.ep); err != nil {
		_ = s.hs.Close()
		<-s.served
		return nil, err
	}
	s.log.Info("control API listening", "addr", s.ep.Addr)
	return s, nil
}

// Addr is the address the server listens on ("127.0.0.1:PORT").
func (s *Server) Addr() string { return s.ep.Addr }

// Close stops serving: it removes the endpoint file, closes every event
// stream with a close frame (1001 going away), and waits for commands in
// flight until ctx ends (then cuts them off). It is safe to call twice.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	streams := make([]*stream, 0, len(s.streams))
	for st := range s.streams {
		streams = append(streams, st)
	}
	s.mu.Unlock()

	err := removeEndpoint(s.o.Dir, s.ep)
	for _, st := range streams {
		st.stop()
	}
	if shutErr := s.hs.Shutdown(ctx); shutErr != nil {
		err = errors.Join(err, fmt.Errorf("control: shutdown: %w", shutErr))
		_ = s.hs.Close()
	}
	<-s.served
	streamsDone := make(chan struct{})
	go func() { s.wg.Wait(); close(streamsDone) }()
	select {
	case <-streamsDone:
	case <-ctx.Done():
		// A client that never answers the close: cut the connections.
		for _, st := range streams {
			st.kill()
		}
		<-streamsDone
	}
	s.log.Info("control API closed")
	return err
}

// addStream registers a stream unless the server is closing.
func (s *Server) addStream(st *stream) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.streams[st] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) removeStream(st *stream) {
	s.mu.Lock()
	delete(s.streams, st)
	s.mu.Unlock()
	s.wg.Done()
}
