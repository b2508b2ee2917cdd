package control

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Endpoint is <dir>/control.json: where the running instance listens.
type Endpoint struct {
	Addr    string `json:"addr"` // "127.0.0.1:PORT"
	PID     int    `json:"pid"`
	Version string `json:"version"`
}

// writeEndpoint publishes the endpoint atomically (temp file, rename), so a
// client never reads half a file.
func writeEndpoint(dir string, ep Endpoint) error {
	b, err := json.Marshal(ep)
	if err != nil {
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".control-*.json")
	if err != nil {
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, EndpointFile)); err != nil {
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	return nil
}

// removeEndpoint deletes the endpoint file if it is still ours: a second
// instance may have replaced it, and its clients must keep finding it.
func removeEndpoint(dir string, ours Endpoint) error {
	path := filepath.Join(dir, EndpointFile)
	cur, err := readEndpointFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && (cur.Addr != ours.Addr || cur.PID != ours.PID) {
		return nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("control: endpoint file: %w", err)
	}
	return nil
}

func readEndpointFile(path string) (Endpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Endpoint{}, err
	}
	var ep Endpoint
	if err := json.Unmarshal(b, &ep); err != nil {
		return Endpoint{}, fmt.Errorf("control: endpoint file %s: %w", path, err)
	}
	return ep, nil
}

// ReadEndpoint finds the running instance for a config directory. It
// returns a *NotRunningError when there is no endpoint file, the file is
// damaged, names a non-loopback address, or its process is gone. A live
// process may still have stopped listening: the first request tells.
func ReadEndpoint(dir string) (Endpoint, error) {
	ep, err := readEndpointFile(filepath.Join(dir, EndpointFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Endpoint{}, &NotRunningError{Reason: "no endpoint file in " + dir}
	case err != nil:
		return Endpoint{}, &NotRunningError{Reason: err.Error()}
	}
	if err := checkLoopback(ep.Addr); err != nil {
		return Endpoint{}, &NotRunningError{Reason: "endpoint file: " + err.Error()}
	}
	if ep.PID > 0 && !processAlive(ep.PID) {
		return Endpoint{}, &NotRunningError{Reason: fmt.Sprintf("process %d named in the endpoint file is gone", ep.PID)}
	}
	return ep, nil
}
