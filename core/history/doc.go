// Package history keeps the agent's call history in a SQLite database
// (modernc.org/sqlite, pure Go, no cgo).
//
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL. In WAL mode a
// transaction is committed once its frames are appended to the -wal file;
// NORMAL skips the fsync at each commit and syncs only at checkpoints. The
// bytes are in the operating system's page cache when COMMIT returns, so a
// crash or SIGKILL of agentbar loses nothing that was committed (the kernel
// still writes the cache out), and the next open replays the WAL. Only a power
// loss or kernel panic may roll back the last transactions before the next
// checkpoint. For a call log that is the right trade: an fsync per call state
// change would cost milliseconds of disk latency for a record the platform
// keeps too (its CDRs), while the database itself never corrupts
// (synchronous=NORMAL in WAL mode is corruption-safe).
//
// # Shape
//
// Store is the database. Begin inserts a call when it starts, Update rewrites
// the whole row on each state change and appends to the call's event
// timeline, SetNote and SetTags keep the agent's annotations. Queries are
// newest first and paged by keyset (see Page). Writer is the front the engine
// uses: Submit never blocks, a single goroutine applies the records in order
// and retries failures.
//
// A call still open when the previous process died is closed by Open with
// EndReason "interrupted" (see Store.RecoveredInterrupted). Only one agentbar
// process may use a database file at a time: a second one would close the
// first one's live calls.
package history
