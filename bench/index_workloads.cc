// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index_workloads.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "agent/agent.h"
#include "baselines.h"
#include "nokv_ops.h"

namespace nokv::bench {
namespace {

using agent::json;

constexpr int kGroups = 100;

// Row i: a permutation of scores, 5 rows per tag, 100 groups, a loss.
int64_t ScoreOf(uint64_t i, uint64_t rows) { return int64_t((i * 7919) % rows); }
std::string TagOf(uint64_t i) { return "t" + std::to_string(i / 5); }
std::string GroupOf(uint64_t i) { return "g" + std::to_string(i % kGroups); }
double LossOf(uint64_t i) { return double((i * 31) % 1000) / 100.0; }

class Sqlite {
 public:
  explicit Sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Fail("sqlite open " + path);
  }
  ~Sqlite() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string e = err ? err : "?";
      sqlite3_free(err);
      Fail("sqlite: " + e + " in " + sql);
    }
  }
  // Runs a query and steps through every result row.
  uint64_t Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Fail("sqlite prepare " + sql);
    }
    uint64_t rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) sqlite3_column_text(stmt, c);
      ++rows;
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

struct Latencies {
  double p50 = 0, p99 = 0;
};

template <typename Fn>
Latencies Measure(int reps, Fn&& fn) {
  std::vector<double> s;
  for (int i = 0; i < reps; ++i) {
    Stopwatch w;
    fn();
    s.push_back(w.Seconds());
  }
  std::sort(s.begin(), s.end());
  return {s[s.size() / 2], s[std::min(s.size() - 1, s.size() * 99 / 100)]};
}

void AddLatencyRows(const std::string& shape, const Latencies& nokv, const Latencies& sqlite,
                    Report* report) {
  for (int which = 0; which < 2; ++which) {
    Workload w;
    w.name = shape + (which == 0 ? " p50" : " p99");
    w.unit = "us/query";
    w.metric = Metric::kLatency;
    const double n = which == 0 ? nokv.p50 : nokv.p99;
    const double b = which == 0 ? sqlite.p50 : sqlite.p99;
    w.nokv_result = Measurement{1, n};
    w.baselines.push_back({"SQLite, same rows and indexes", [b] { return Measurement{1, b}; }, {}});
    RunWorkload(w, report);
  }
}

json Call(agent::Agent& agent, const std::string& verb, const json& args) {
  agent::Outcome<json> r = agent.Call(verb, args);
  if (!r.ok()) Fail(verb + " failed: " + r.error().ToJson().dump());
  return r.value();
}

}  // namespace

void IndexQueries(const Params& p, WorkRoot& root, Report* report) {
  const uint64_t rows = p.index_rows;
  std::unique_ptr<Namespace> ns = OpenFresh(root.Fresh("index-nokv"), /*sync=*/false);
  Check(ns->Mkdir("/items", false, {}).status(), "mkdir");
  Check(ns->DefineIndex("/items",
                        "rows: {files: \"*.json\"}\nfields:\n  score: {at: score}\n"
                        "  tag: {at: tag}\n  group: {at: group}\n  loss: {at: loss}\n",
                        {})
            .status(),
        "define index");
  Stopwatch load;
  for (uint64_t start = 0; start < rows; start += kSetupBatch) {
    std::vector<PublishItem> items;
    for (uint64_t i = start; i < std::min(rows, start + kSetupBatch); ++i) {
      char name[64];
      std::snprintf(name, sizeof(name), "/items/%08llu.json", static_cast<unsigned long long>(i));
      json body = {{"score", ScoreOf(i, rows)},
                   {"tag", TagOf(i)},
                   {"group", GroupOf(i)},
                   {"loss", LossOf(i)}};
      items.push_back({name, StringSource(body.dump()), "application/json", {}});
    }
    Check(ns->Publish(std::move(items), {}).status(), "publish rows");
  }
  const double nokv_load = load.Seconds();

  Sqlite sql(root.Fresh("index-sqlite") + "/rows.db");
  sql.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
  sql.Exec(
      "CREATE TABLE items(path TEXT PRIMARY KEY, score INTEGER, tag TEXT, grp TEXT, "
      "loss REAL)");
  Stopwatch sqlite_load;
  sql.Exec("BEGIN");
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(sql.db(), "INSERT INTO items VALUES(?,?,?,?,?)", -1, &ins, nullptr);
  for (uint64_t i = 0; i < rows; ++i) {
    char name[64];
    std::snprintf(name, sizeof(name), "/items/%08llu.json", static_cast<unsigned long long>(i));
    const std::string tag = TagOf(i), group = GroupOf(i);
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 2, ScoreOf(i, rows));
    sqlite3_bind_text(ins, 3, tag.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 4, group.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 5, LossOf(i));
    if (sqlite3_step(ins) != SQLITE_DONE) Fail("sqlite insert");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sql.Exec("COMMIT");
  sql.Exec(
      "CREATE INDEX by_score ON items(score); CREATE INDEX by_tag ON items(tag); "
      "CREATE INDEX by_grp ON items(grp); ANALYZE");
  char note[160];
  std::snprintf(
      note, sizeof(note),
      "%llu rows: nokv publish + index maintenance %.1f s; SQLite insert + indexes %.1f s",
      static_cast<unsigned long long>(rows), nokv_load, sqlite_load.Seconds());
  report->AddNote("index load", note);

  agent::Agent agent(ns.get());
  const int reps = p.index_reps;
  uint64_t q = 0;
  AddLatencyRows(
      "find top-5 by indexed field",
      Measure(reps,
              [&] {
                Call(agent, "find",
                     {{"path", "/items"},
                      {"sort", {{{"field", "score"}, {"direction", "desc"}}}},
                      {"fields", {"path", "score"}},
                      {"limit", 5}});
              }),
      Measure(reps,
              [&] { sql.Query("SELECT path, score FROM items ORDER BY score DESC LIMIT 5"); }),
      report);
  AddLatencyRows(
      "find eq on indexed field (5 rows)",
      Measure(
          reps,
          [&] {
            Call(agent, "find",
                 {{"path", "/items"},
                  {"where", {{{"field", "tag"}, {"op", "eq"}, {"value", TagOf(q++ * 97 % rows)}}}},
                  {"fields", {"path", "tag", "score"}}});
          }),
      Measure(reps,
              [&] {
                sql.Query("SELECT path, tag, score FROM items WHERE tag = '" +
                          TagOf(q++ * 97 % rows) + "' ORDER BY path");
              }),
      report);
  const int agg_reps = std::max(3, reps / 20);
  AddLatencyRows(
      "aggregate count+avg group by (all rows)",
      Measure(agg_reps,
              [&] {
                Call(agent, "aggregate",
                     {{"path", "/items"},
                      {"measures", {{{"op", "count"}}, {{"op", "avg"}, {"field", "loss"}}}},
                      {"group_by", {"group"}},
                      {"limit", 100}});
              }),
      Measure(agg_reps,
              [&] { sql.Query("SELECT grp, count(*), avg(loss) FROM items GROUP BY grp"); }),
      report);
}

void GrepThroughput(const Params& p, WorkRoot& root, Report* report) {
  const std::string local = root.Fresh("grep-local");
  std::unique_ptr<Namespace> ns = OpenFresh(root.Fresh("grep-nokv"), /*sync=*/false);
  uint64_t bytes = 0;
  std::vector<PublishItem> items;
  for (uint64_t f = 0; f < p.grep_files; ++f) {
    std::string text;
    for (uint64_t line = 0; text.size() < (1 << 20); ++line) {
      text += "step " + std::to_string(line) + " loss " + std::to_string(line % 977) +
              (line % 5000 == 4999 ? " ERROR code 4242 in worker\n" : " lr 0.0003 ok\n");
    }
    const std::string name = "run" + std::to_string(f) + ".log";
    std::ofstream(local + "/" + name) << text;
    bytes += text.size();
    items.push_back({"/logs/" + name, StringSource(text), "text/plain", {}});
  }
  Check(ns->Publish(std::move(items), {}).status(), "publish logs");
  agent::Agent agent(ns.get());
  const double mib = double(bytes) / kMiB;
  Workload w;
  w.name = "grep a literal over " + std::to_string(p.grep_files) + " x 1 MiB logs";
  w.unit = "MiB/s";
  w.reps = 3;
  w.nokv = [&] {
    return Time(mib, [&] {
      json args = {
          {"path", "/logs"}, {"pattern", "ERROR code 4242"}, {"mode", "count"}, {"limit", 100}};
      for (;;) {
        json r = Call(agent, "grep", args);
        if (!r.contains("next_cursor")) break;
        args["cursor"] = r["next_cursor"];
      }
    });
  };
  w.baselines.push_back(
      {"grep -rn (local files, page cache warm)",
       [&] {
         return TimeProgram(mib, {"/bin/grep", "-rn", "ERROR code 4242", local}, "/dev/null");
       },
       {}});
  RunWorkload(w, report);
}

}  // namespace nokv::bench
