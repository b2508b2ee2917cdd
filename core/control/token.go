package control

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// tokenBytes is the token's entropy; the file holds it as 64 hex digits.
const tokenBytes = 32

// errMalformedToken: the token file exists but does not hold a token.
var errMalformedToken = errors.New("control: malformed token file")

// ensureDir creates the config directory private to the user.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("control: config directory: %w", err)
	}
	return nil
}

// loadOrCreateToken returns the token in <dir>/control-token, creating it
// once. The token survives restarts so that a CRM page configured with it
// keeps working. Two instances starting together agree on one token: the
// file appears atomically with its content (hard link of a finished temp
// file), and the loser reads the winner's.
func loadOrCreateToken(dir string) (string, error) {
	path := filepath.Join(dir, TokenFile)
	tok, err := readToken(path)
	switch {
	case err == nil:
		return tok, keepPrivate(path)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, errMalformedToken):
	default:
		return "", err
	}
	replace := errors.Is(err, errMalformedToken) // a damaged file is overwritten
	var raw [tokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("control: token: %w", err)
	}
	tok = hex.EncodeToString(raw[:])
	tmp, err := os.CreateTemp(dir, ".control-token-*")
	if err != nil {
		return "", fmt.Errorf("control: token: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return "", fmt.Errorf("control: token: %w", err)
	}
	if _, err := tmp.WriteString(tok + "\n"); err != nil {
		tmp.Close()
		return "", fmt.Errorf("control: token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("control: token: %w", err)
	}
	if replace {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return "", fmt.Errorf("control: token: %w", err)
		}
		return tok, nil
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readToken(path) // another instance won the race
		}
		return "", fmt.Errorf("control: token: %w", err)
	}
	return tok, nil
}

// readToken reads and checks a token file.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("control: token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) != 2*tokenBytes {
		return "", fmt.Errorf("%w: %s", errMalformedToken, path)
	}
	if _, err := hex.DecodeString(tok); err != nil {
		return "", fmt.Errorf("%w: %s", errMalformedToken, path)
	}
	return tok, nil
}

// keepPrivate narrows a token file that someone made readable to others.
func keepPrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil // ACLs, not mode bits; the profile directory is private
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("control: token: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return fmt.Errorf("control: token: %w", err)
		}
	}
	return nil
}

// tokenMatches compares in constant time, so the time a refusal takes says
// nothing about how much of a guess was right.
func tokenMatches(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
