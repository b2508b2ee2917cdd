// Package logging opens agentbar's log: a rotating JSON (or text) file in the
// user's cache directory, optionally teed to stderr for --debug, with every
// record passed through a redaction layer first.
//
// # The file
//
// Open writes to <dir>/agentbar.log, dir defaulting to
// os.UserCacheDir()/agentbar/logs (on Linux $XDG_CACHE_HOME/agentbar/logs or
// ~/.cache/agentbar/logs). Directories it creates, and the default directory
// always, are 0700; the file is 0600: logs hold customers' phone numbers. gopkg.in/natefinch/lumberjack.v2 rotates it
// at 10 MB and keeps 5 gzip-compressed old files.
//
// lumberjack starts one goroutine per log file on the first write and never
// stops it (v2.2.1 has no way to). Tests that check for leaked goroutines
// with go.uber.org/goleak should ignore it:
// goleak.IgnoreTopFunction(logging.RotatorGoroutine).
//
// # Redaction
//
// Handler wraps any slog.Handler and rewrites each record before it is
// written. Three rules apply, in this order of strength:
//
//  1. Attribute keys. An attribute (or group) whose key, lower-cased and with
//     "_", "-", "." and spaces removed, contains one of password, passwd,
//     pwd, passphrase, secret, token, authorization, authenticate,
//     credential, digest, response (the SIP digest response), apikey,
//     accesskey, privatekey, cookie, signature — or is exactly auth, pass,
//     pin, sig, sign or key — has its whole value replaced by Mask. Note
//     that "response" catches keys like "sip_response" too: log a status as
//     "status", not "response_code". A group opened with WithGroup under
//     such a name masks everything logged inside it.
//  2. Patterns in text. Every string (the message, string values, []byte
//     values, errors' Error(), Stringers, and the JSON of other values) is
//     scanned for key=value and key: value pairs under the same keys (query
//     strings, form bodies, JSON "password":"…", Go's %+v "Password:…",
//     SIP digest response="…"), header lines (Authorization,
//     Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate, Cookie, and
//     any header named like a secret), "Bearer <token>" and passwords in
//     URLs (scheme://user:password@host, sip:user:password@host). A Digest
//     header keeps only its username, realm, uri, algorithm, qop, nc, stale
//     and domain parameters (what one needs to debug a 401 loop); nonce,
//     cnonce, opaque and response are masked. Any other scheme (Basic,
//     Bearer, …) keeps only the scheme's name.
//  3. Registered secrets. Redactor.AddSecret registers a literal (the
//     password or token the engine signs in with); any occurrence of it, or
//     of its URL-, JSON- or Go-quoted forms, is masked wherever it appears,
//     whatever the key. If masking leaves a registered secret in a string
//     (possible only when the secret overlaps the mask text), the whole
//     string becomes Mask. Registered secrets are masked in attribute and
//     group names too.
//
// What none of the rules can see is an unlabelled secret in prose before it
// is registered: "the password is hunter22" is written as is until
// AddSecret("hunter22"). Register secrets before logging anything about a
// login.
//
// The Redactor is safe for concurrent use; adding a secret is rare and
// copy-on-write, so scrubbing takes no lock. Attributes attached with
// Logger.With before a secret was registered are scrubbed again after it is.
package logging
