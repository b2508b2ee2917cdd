package emicnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"time"

	"agentbar/core"
	"agentbar/core/phone"
	"agentbar/vendors/emicnet/wire"
)

// command sends one command as a MESSAGE to sip:pbx@{switchnumber} and
// returns the result its 200 OK carries (§4). A refused command (result
// code not 200) returns the result and its *wire.CommandError.
func (a *Adapter) command(ctx context.Context, cmd string, data any) (wire.Result, error) {
	a.mu.Lock()
	ph, closing := a.ph, a.closing
	a.seq++
	seq := a.seq
	a.mu.Unlock()
	switch {
	case ph == nil && (closing || a.sink == nil):
		return wire.Result{}, core.ErrNotLoggedIn
	case ph == nil:
		return wire.Result{}, fmt.Errorf("%w: the softphone is not running", core.ErrNotConnected)
	}
	body, err := json.Marshal(wire.NewCommand(cmd, seq, data))
	if err != nil {
		return wire.Result{}, err
	}
	timeout := a.opts.RequestTimeout
	if cmd == wire.CmdTransferPBXCall {
		timeout *= 3 // the platform answers once the target took the call or did not
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	started := time.Now()
	res, err := ph.SendMessage(cctx, wire.CommandURI(a.acct.switchnumber), wire.ContentTypeCommand, body)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return wire.Result{}, ctx.Err()
		case errors.Is(err, phone.ErrNoConnection):
			return wire.Result{}, fmt.Errorf("%w: %w", core.ErrNotConnected, err)
		case errors.Is(err, phone.ErrNoResponse) || errors.Is(err, context.DeadlineExceeded):
			return wire.Result{}, &TimeoutError{Cmd: cmd, After: time.Since(started)}
		case errors.Is(err, phone.ErrClosed) || errors.Is(err, phone.ErrNotStarted):
			return wire.Result{}, fmt.Errorf("%w: %w", core.ErrNotConnected, err)
		}
		return wire.Result{}, err
	}
	switch {
	case res.Code == 403:
		// The server does not know this socket as a registered seat.
		return wire.Result{}, fmt.Errorf("%w: %s answered %d %s", core.ErrNotConnected, cmd, res.Code, res.Reason)
	case res.Code < 200 || res.Code > 299:
		return wire.Result{}, &wire.CommandError{Cmd: cmd, Code: res.Code, Info: res.Reason}
	}
	if mt, _, err := mime.ParseMediaType(res.ContentType); err != nil || mt != wire.ContentTypeResult {
		return wire.Result{}, fmt.Errorf("%w: %s: content type %q", ErrBadResult, cmd, res.ContentType)
	}
	r, err := wire.DecodeResult(res.Body)
	if err != nil {
		return wire.Result{}, fmt.Errorf("%w: %s: %w", ErrBadResult, cmd, err)
	}
	if r.Seq != seq {
		return wire.Result{}, fmt.Errorf("%w: %s: seq %d answered with %d", ErrBadResult, cmd, seq, r.Seq)
	}
	if err := r.Err(cmd); err != nil {
		a.log.Info("emicnet: command refused", "cmd", cmd, "code", r.Code, "info", r.Info)
		return r, err
	}
	return r, nil
}

// do sends a command and keeps only the error.
func (a *Adapter) do(ctx context.Context, cmd string, data any) error {
	_, err := a.command(ctx, cmd, data)
	return err
}

// cc is the data of the commands that name only a call.
func cc(id string) wire.CcData { return wire.CcData{C: wire.FlexString(id)} }
