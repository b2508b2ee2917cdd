package history

// migrations is the schema's history: migrations[i] takes a database from
// version i to version i+1 (PRAGMA user_version). Append only: a step that
// has shipped is never edited, since databases out there already ran it.
var migrations = []string{
	// v1: calls and their state timeline. num is the stable rowid (an
	// INTEGER PRIMARY KEY survives VACUUM) that the v4 search index keys on.
	`CREATE TABLE calls (
		num              INTEGER PRIMARY KEY,
		id               TEXT NOT NULL UNIQUE,
		account          TEXT NOT NULL DEFAULT '',
		platform         TEXT NOT NULL DEFAULT '',
		platform_call_id TEXT NOT NULL DEFAULT '',
		direction        TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
		remote_number    TEXT NOT NULL DEFAULT '',
		display_number   TEXT NOT NULL DEFAULT '',
		location         TEXT NOT NULL DEFAULT '',
		carrier          TEXT NOT NULL DEFAULT '',
		queue            TEXT NOT NULL DEFAULT '',
		state            TEXT NOT NULL,
		end_reason       TEXT NOT NULL DEFAULT '',
		started          INTEGER NOT NULL,
		answered         INTEGER,
		ended            INTEGER,
		user_data        TEXT,
		note             TEXT NOT NULL DEFAULT '',
		updated_at       INTEGER NOT NULL
	);
	CREATE TABLE call_events (
		seq     INTEGER PRIMARY KEY,
		call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
		at      INTEGER NOT NULL,
		state   TEXT NOT NULL,
		detail  TEXT NOT NULL DEFAULT ''
	);`,

	// v2: agent tags, a JSON array.
	`ALTER TABLE calls ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';`,

	// v3: indexes for the queries. (started, id) is the keyset order of
	// every listing; the partial indexes keep the missed list and the
	// recovery of open calls from scanning the table.
	`CREATE INDEX calls_by_started ON calls (started, id);
	CREATE INDEX calls_missed ON calls (started, id)
		WHERE direction = 'in' AND state = 'ended' AND answered IS NULL;
	CREATE INDEX calls_open ON calls (state) WHERE state <> 'ended';
	CREATE INDEX calls_by_remote ON calls (remote_number);
	CREATE INDEX calls_by_display ON calls (display_number);
	CREATE INDEX call_events_by_call ON call_events (call_id, seq);`,

	// v4: substring search over the numbers ("1380" anywhere in the
	// number) without reading every row: an FTS5 trigram index, kept in
	// step with calls by triggers. The trigger on UPDATE fires only when a
	// number really changed, since Update rewrites every column.
	`CREATE VIRTUAL TABLE calls_number_search USING fts5 (
		remote_number, display_number,
		content = 'calls', content_rowid = 'num', tokenize = 'trigram'
	);
	INSERT INTO calls_number_search (calls_number_search) VALUES ('rebuild');
	CREATE TRIGGER calls_number_search_insert AFTER INSERT ON calls BEGIN
		INSERT INTO calls_number_search (rowid, remote_number, display_number)
		VALUES (new.num, new.remote_number, new.display_number);
	END;
	CREATE TRIGGER calls_number_search_delete AFTER DELETE ON calls BEGIN
		INSERT INTO calls_number_search (calls_number_search, rowid, remote_number, display_number)
		VALUES ('delete', old.num, old.remote_number, old.display_number);
	END;
	CREATE TRIGGER calls_number_search_update AFTER UPDATE OF remote_number, display_number ON calls
	WHEN old.remote_number IS NOT new.remote_number OR old.display_number IS NOT new.display_number
	BEGIN
		INSERT INTO calls_number_search (calls_number_search, rowid, remote_number, display_number)
		VALUES ('delete', old.num, old.remote_number, old.display_number);
		INSERT INTO calls_number_search (rowid, remote_number, display_number)
		VALUES (new.num, new.remote_number, new.display_number);
	END;`,
}

// SchemaVersion is the newest schema version this build knows and writes.
func SchemaVersion() int { return len(migrations) }
