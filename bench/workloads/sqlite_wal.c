// SQLite in WAL mode under 4 threads, as a server keeping its state in one
// database file does: each thread opens its own connection (the amalgamation
// is built with SQLITE_THREADSAFE=1) and alternates write transactions of a
// few inserts with queries over what every thread wrote so far. Writers wait
// for each other through SQLite's busy handler; readers never block.
// argv[1] is the database path (recreated), argv[2] the rows each thread
// inserts (default 4,000).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite3.h"

enum { kThreads = 4, kBatch = 8 };

struct Worker {
  const char* path;
  int id;
  long rows;
  long checksum;  // written by the worker, read by main after the join
};

static void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite_wal: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void exec(sqlite3* db, const char* sql) { check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

static sqlite3* open_connection(const char* path) {
  sqlite3* db = NULL;
  check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), "open");
  check(db, sqlite3_busy_timeout(db, 60000), "busy_timeout");
  exec(db, "PRAGMA synchronous=NORMAL");
  return db;
}

static sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = NULL;
  check(db, sqlite3_prepare_v2(db, sql, -1, &statement, NULL), sql);
  return statement;
}

static void* work(void* argument) {
  struct Worker* worker = argument;
  sqlite3* db = open_connection(worker->path);
  sqlite3_stmt* insert = prepare(db, "INSERT INTO items(owner, seq, payload) VALUES (?1, ?2, ?3)");
  sqlite3_stmt* recent = prepare(db, "SELECT count(*), sum(length(payload)) FROM items WHERE seq >= ?1");
  sqlite3_stmt* lookup = prepare(db, "SELECT payload FROM items WHERE owner = ?1 AND seq = ?2");
  char payload[96];
  for (long seq = 0; seq < worker->rows; seq += kBatch) {
    exec(db, "BEGIN IMMEDIATE");
    for (long row = seq; row < seq + kBatch && row < worker->rows; ++row) {
      int length =
          snprintf(payload, sizeof payload, "thread %d row %ld %.*s", worker->id, row, (int)(row % 60),
                   "................................................................");
      sqlite3_bind_int(insert, 1, worker->id);
      sqlite3_bind_int64(insert, 2, row);
      sqlite3_bind_text(insert, 3, payload, length, SQLITE_STATIC);
      check(db, sqlite3_step(insert), "insert");
      sqlite3_reset(insert);
    }
    exec(db, "COMMIT");
    // Queries run outside any transaction, against a WAL snapshot, while
    // other threads keep committing.
    sqlite3_bind_int64(recent, 1, seq > 64 ? seq - 64 : 0);
    check(db, sqlite3_step(recent), "count");
    worker->checksum += sqlite3_column_int64(recent, 0) + sqlite3_column_int64(recent, 1);
    sqlite3_reset(recent);
    sqlite3_bind_int(lookup, 1, (worker->id + 1) % kThreads);
    sqlite3_bind_int64(lookup, 2, seq / 2);
    if (sqlite3_step(lookup) == SQLITE_ROW) worker->checksum += sqlite3_column_bytes(lookup, 0);
    sqlite3_reset(lookup);
  }
  sqlite3_finalize(insert);
  sqlite3_finalize(recent);
  sqlite3_finalize(lookup);
  sqlite3_close(db);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sqlite_wal DATABASE [ROWS-PER-THREAD]\n");
    return 2;
  }
  const char* path = argv[1];
  const long rows = argc > 2 ? atol(argv[2]) : 4000;
  char name[4096];
  const char* suffixes[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; ++i) {
    snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
    unlink(name);
  }
  sqlite3* db = open_connection(path);
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db,
       "CREATE TABLE items(id INTEGER PRIMARY KEY, owner INTEGER, seq INTEGER, payload TEXT);"
       "CREATE INDEX items_seq ON items(seq);"
       "CREATE UNIQUE INDEX items_owner_seq ON items(owner, seq)");

  struct Worker workers[kThreads];
  pthread_t threads[kThreads];
  for (int t = 0; t < kThreads; ++t) {
    workers[t] = (struct Worker){path, t, rows, 0};
    if (pthread_create(&threads[t], NULL, work, &workers[t]) != 0) return 1;
  }
  long checksum = 0;
  for (int t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    checksum += workers[t].checksum;
  }
  sqlite3_stmt* count = prepare(db, "SELECT count(*) FROM items");
  check(db, sqlite3_step(count), "final count");
  const long total = sqlite3_column_int64(count, 0);
  sqlite3_finalize(count);
  sqlite3_close(db);
  if (total != kThreads * rows) {
    fprintf(stderr, "sqlite_wal: %ld rows, expected %ld\n", total, kThreads * rows);
    return 1;
  }
  printf("%ld %ld\n", total, checksum);
  return 0;
}
