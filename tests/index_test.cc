// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Declarative indexes: spec checking, maintenance in the commits that change
// the data (checked against values recomputed by the test from what it
// wrote), reads at older versions, and the cost of top-k and equality
// queries at scale through the index entry counter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "agent/agent.h"
#include "agent/fields.h"
#include "index/index_records.h"
#include "index/index_spec.h"
#include "test_util.h"

namespace nokv::test {
namespace {

using agent::json;

constexpr char kRunsSpec[] = R"(
rows: dirs
fields:
  status: {from: metadata.json, at: status}
  dirty: {from: metadata.json, at: /git/dirty}
  min_loss: {from: metrics.json, reduce: min, value: loss}
  last_loss: {from: metrics.json, reduce: latest, value: loss, step: step}
  det: {from: metrics.jsonl, reduce: latest, value: value, step: step, where: {key: det}}
  steps: {from: metrics.json, reduce: count}
  acc: {from: results.csv, column: acc, reduce: max}
  log_bytes: {from: out.txt, size: true}
  has_patch: {from: diff.patch, exists: true}
flatten:
  - {from: params.yaml, prefix: "p."}
)";

// What the test wrote into one run, and the index values that follow.
struct RunModel {
  std::string status = "running";
  bool dirty = false;
  std::vector<double> losses;  // step i+1; NaN entries are written as NaN
  double lr = 0.1;
  std::string log;

  std::string MetadataJson() const {
    return json{{"status", status}, {"git", {{"dirty", dirty}}}}.dump();
  }
  std::string MetricsJson() const {
    std::string out = "[";
    for (size_t i = 0; i < losses.size(); ++i) {
      out += (i ? "," : "") + std::string("{\"step\":") + std::to_string(i + 1) +
             ",\"loss\":" + (std::isnan(losses[i]) ? std::string("NaN") : json(losses[i]).dump()) +
             "}";
    }
    return out + "]";
  }
  json Expected() const {
    json e = {{"status", status},        {"dirty", dirty},     {"p.opt.lr", lr},
              {"log_bytes", log.size()}, {"has_patch", false}, {"steps", losses.size()}};
    std::optional<double> lo, last;
    for (double l : losses) {
      if (std::isnan(l)) continue;
      lo = lo ? std::min(*lo, l) : l;
      last = l;
    }
    if (lo) e["min_loss"] = *lo;
    if (last) e["last_loss"] = *last;
    return e;
  }
};

std::vector<PublishItem> RunItems(const std::string& dir, const RunModel& m) {
  std::vector<PublishItem> items;
  items.push_back(MakeItem(dir + "/metadata.json", m.MetadataJson()));
  items.push_back(MakeItem(dir + "/metrics.json", m.MetricsJson()));
  items.push_back(MakeItem(dir + "/params.yaml", "opt:\n  lr: " + json(m.lr).dump() + "\n"));
  items.push_back(MakeItem(dir + "/out.txt", m.log));
  return items;
}

json RowJson(const IndexRow& row) {
  json j = json::object();
  for (const auto& [k, v] : row.values) j[k] = IndexValueToJson(v);
  return j;
}

// Every indexed value equal to the model (numbers within 1e-12).
void ExpectRowsMatch(Namespace& ns, const std::map<std::string, RunModel>& model, uint64_t version,
                     const std::string& context) {
  std::map<std::string, json> got;
  ASSERT_OK(ns.ScanIndexRows("runs", "", version, [&](const IndexRow& r) {
    got[r.path] = RowJson(r);
    return true;
  }));
  ASSERT_EQ(got.size(), model.size()) << context;
  for (const auto& [name, m] : model) {
    const std::string path = "/runs/" + name;
    ASSERT_TRUE(got.count(path)) << context << ": no row " << path;
    EXPECT_EQ(got[path], m.Expected()) << context << " " << path;
  }
}

TEST(IndexSpecTest, RejectsBadSpecsWithTheReason) {
  struct Case {
    const char* yaml;
    const char* says;
  };
  const Case cases[] = {
      {"rows: dirs\nfields: {a: {from: x.json, at: a, colour: red}}", "unknown key `colour`"},
      {"rows: dirs\nfields: {a: {from: x.json, at: a, type: decimal}}", "type `decimal`"},
      {"rows: dirs\nfields: {size: {from: x.json, at: a}}", "built-in"},
      {"rows: dirs\nfields: {a: {from: ../x.json, at: a}}", "from"},
      {"rows: dirs\nfields: {a: {from: x.json}}", "exactly one"},
      {"rows: dirs\nfields: {a: {from: x.json, reduce: median, value: v}}", "reduce `median`"},
      {"rows: tables\nfields: {a: {from: x.json, at: a}}", "rows must be"},
      {"rows: dirs\n", "declares no fields"},
      {"[1, 2", "YAML"},
  };
  for (const Case& c : cases) {
    Result<IndexSpec> spec = ParseIndexSpec(c.yaml, "/runs");
    ASSERT_FALSE(spec.ok()) << c.yaml;
    EXPECT_EQ(spec.status().code(), Code::kInvalidArgument);
    EXPECT_NE(spec.status().message().find(c.says), std::string::npos)
        << c.yaml << " -> " << spec.status().message();
  }
  ASSERT_OK_AND_ASSIGN(IndexSpec ok, ParseIndexSpec(kRunsSpec, "/runs"));
  EXPECT_EQ(ok.name, "runs");
  EXPECT_EQ(ok.fields.size(), 9u);
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  TempDir dir_;
  std::unique_ptr<Namespace> ns_;
};

TEST_F(IndexTest, DefineBuildsFromExistingDataAndRefusesBadInput) {
  RunModel a;
  a.losses = {3, NAN, 1.5, 2};
  a.log = "hello\n";
  ASSERT_OK(ns_->Publish(RunItems("/runs/a", a), {}));
  ASSERT_OK(PublishString(*ns_, "/runs/a/metrics.jsonl",
                          "{\"key\":\"det\",\"value\":0.5,\"step\":1}\n"
                          "{\"key\":\"det\",\"value\":0.7,\"step\":3}\n"
                          "{\"key\":\"util\",\"value\":9,\"step\":4}\n"));
  ASSERT_OK(PublishString(*ns_, "/runs/a/results.csv", "epoch,acc\n1,0.5\n2,0.75\n3,nan\n"));
  ASSERT_OK(PublishString(*ns_, "/notes.txt", "x"));

  EXPECT_EQ(ns_->DefineIndex("/missing", kRunsSpec, {}).status().code(), Code::kNotFound);
  EXPECT_EQ(
      ns_->DefineIndex("/notes.txt", std::string("name: n\n") + kRunsSpec, {}).status().code(),
      Code::kNotDirectory);
  EXPECT_EQ(ns_->DefineIndex("/runs", "rows: dirs\nfields: 3", {}).status().code(),
            Code::kInvalidArgument);
  ASSERT_OK_AND_ASSIGN(IndexInfo info, ns_->DefineIndex("/runs", kRunsSpec, {}));
  EXPECT_EQ(info.row_count, 1u);
  EXPECT_EQ(ns_->DefineIndex("/runs", kRunsSpec, {}).status().code(), Code::kAlreadyExists);

  ASSERT_OK_AND_ASSIGN(std::optional<IndexRow> row, ns_->GetIndexRow("runs", "/runs/a", 0));
  ASSERT_TRUE(row.has_value());
  json want = a.Expected();
  want["det"] = 0.7;   // latest by step among key == det
  want["acc"] = 0.75;  // nan skipped
  EXPECT_EQ(RowJson(*row), want);
  ASSERT_OK_AND_ASSIGN(IndexInfo shown, ns_->GetIndex("runs"));
  for (const IndexFieldInfo& f : shown.fields) {
    if (f.name == "min_loss") {
      EXPECT_EQ(f.type, "float");
      EXPECT_EQ(f.nonfinite_skipped, 1u);
    }
    if (f.name == "acc") {
      EXPECT_EQ(f.nonfinite_skipped, 1u);
    }
  }
  Result<IndexInfo> missing = ns_->GetIndex("nope");
  ASSERT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("runs"), std::string::npos);

  // A malformed source leaves its fields absent and is counted, never fatal.
  ASSERT_OK(PublishString(*ns_, "/runs/a/metrics.json", "{not json"));
  ASSERT_OK_AND_ASSIGN(row, ns_->GetIndexRow("runs", "/runs/a", 0));
  EXPECT_FALSE(row->values.count("min_loss"));
  ASSERT_OK_AND_ASSIGN(shown, ns_->GetIndex("runs"));
  EXPECT_EQ(shown.extraction_errors, 1u);
  EXPECT_NE(shown.last_error.find("metrics.json"), std::string::npos);

  ASSERT_OK(ns_->DropIndex("runs", {}));
  EXPECT_EQ(ns_->GetIndex("runs").status().code(), Code::kNotFound);
  EXPECT_EQ(ns_->DropIndex("runs", {}).status().code(), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::vector<IndexInfo> none, ns_->ListIndexes());
  EXPECT_TRUE(none.empty());
}

// GetIndexRows answers a batch in the order asked, nullopt for paths that
// are not rows, at the newest version and at an older one.
TEST_F(IndexTest, GetIndexRowsReadsABatchInOrderAtAnyVersion) {
  for (const char* run : {"a", "b", "c"}) {
    ASSERT_OK(PublishString(*ns_, std::string("/runs/") + run + "/metadata.json",
                            json{{"status", std::string("s-") + run}}.dump()));
  }
  ASSERT_OK_AND_ASSIGN(
      IndexInfo defined,
      ns_->DefineIndex("/runs",
                       "rows: dirs\nfields:\n  status: {from: metadata.json, at: status}\n", {}));
  EXPECT_EQ(defined.row_count, 3u);
  const uint64_t v1 = ns_->LastVersion();
  ASSERT_OK(PublishString(*ns_, "/runs/a/metadata.json", json{{"status", "done"}}.dump()));
  ASSERT_OK(ns_->Remove("/runs/b", true, Precondition::None(), {}));
  // The info cached when the index was defined follows the commits since.
  ASSERT_OK_AND_ASSIGN(std::vector<IndexInfo> listed, ns_->ListIndexes());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].row_count, 2u);
  EXPECT_GT(listed[0].changed_version, v1);
  ASSERT_OK_AND_ASSIGN(IndexInfo shown, ns_->GetIndex("runs"));
  EXPECT_EQ(shown.row_count, 2u);
  ASSERT_EQ(shown.fields.size(), 1u);
  EXPECT_EQ(shown.fields[0].rows, 2u);

  auto statuses = [&](uint64_t version) -> std::vector<std::string> {
    Result<std::vector<std::optional<IndexRow>>> rows = ns_->GetIndexRows(
        "runs", {"/runs/c", "/runs/missing", "/runs", "/runs/b", "/runs/a"}, version);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    if (!rows.ok()) return out;
    for (const std::optional<IndexRow>& r : *rows) {
      out.push_back(r ? r->path + "=" + r->values.at("status").s : "-");
    }
    return out;
  };
  EXPECT_EQ(statuses(0), (std::vector<std::string>{"/runs/c=s-c", "-", "-", "-", "/runs/a=done"}));
  EXPECT_EQ(statuses(v1),
            (std::vector<std::string>{"/runs/c=s-c", "-", "-", "/runs/b=s-b", "/runs/a=s-a"}));
  ASSERT_OK_AND_ASSIGN(std::optional<IndexRow> one, ns_->GetIndexRow("runs", "/runs/b", v1));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->values.at("status").s, "s-b");

  ASSERT_OK_AND_ASSIGN(auto none, ns_->GetIndexRows("runs", {}, 0));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(ns_->GetIndexRows("nope", {"/runs/a"}, 0).status().code(), Code::kNotFound);
}

// Random publishes, replaces, removes and renames of runs and of files in
// runs; after every commit the index equals the model, the agent's
// find/aggregate answers equal answers computed from the model, and reads
// at earlier versions still see their own state.
TEST_F(IndexTest, MaintenanceMatchesRecomputationAfterEveryChange) {
  ASSERT_OK(ns_->Mkdir("/runs", false, {}));
  ASSERT_OK(ns_->DefineIndex("/runs", kRunsSpec, {}));
  agent::Agent agent(ns_.get());
  std::mt19937_64 rng(7);
  std::map<std::string, RunModel> model;
  std::vector<std::pair<uint64_t, std::map<std::string, RunModel>>> past;
  const char* statuses[] = {"completed", "failed", "running"};
  int next_id = 0;
  for (int step = 0; step < 120; ++step) {
    const int op = model.size() < 3 ? 0 : int(rng() % 6);
    std::string context = "step " + std::to_string(step) + " op " + std::to_string(op);
    if (op == 0 || op == 1) {  // new run, or replace one wholesale
      std::string name = op == 0 || model.empty()
                             ? "r" + std::to_string(next_id++)
                             : std::next(model.begin(), rng() % model.size())->first;
      RunModel m;
      m.status = statuses[rng() % 3];
      m.dirty = rng() % 2;
      m.lr = double(rng() % 100) / 1000;
      m.log = std::string(rng() % 50, 'x');
      for (int i = 0, n = int(rng() % 6); i < n; ++i) {
        m.losses.push_back(rng() % 5 == 0 ? NAN : double(int64_t(rng() % 200) - 20) / 8);
      }
      ASSERT_OK(ns_->Publish(RunItems("/runs/" + name, m), {}));
      model[name] = m;
    } else if (op == 2) {  // remove a run
      auto it = std::next(model.begin(), rng() % model.size());
      ASSERT_OK(ns_->Remove("/runs/" + it->first, true, Precondition::None(), {}));
      model.erase(it);
    } else if (op == 3) {  // rename a run
      auto it = std::next(model.begin(), rng() % model.size());
      const std::string to = "m" + std::to_string(next_id++);
      ASSERT_OK(ns_->Rename("/runs/" + it->first, "/runs/" + to, false, {}));
      model[to] = it->second;
      model.erase(it);
    } else if (op == 4) {  // change one source file
      auto it = std::next(model.begin(), rng() % model.size());
      it->second.status = statuses[rng() % 3];
      ASSERT_OK(
          PublishString(*ns_, "/runs/" + it->first + "/metadata.json", it->second.MetadataJson()));
    } else {  // move a source file out of a run and back: values vanish, then return
      auto it = std::next(model.begin(), rng() % model.size());
      const std::string p = "/runs/" + it->first + "/metrics.json";
      ASSERT_OK(ns_->Rename(p, "/parked.json", false, {}));
      RunModel without = it->second;
      without.losses.clear();
      std::map<std::string, RunModel> m2 = model;
      m2[it->first] = without;
      ASSERT_OK_AND_ASSIGN(std::optional<IndexRow> row,
                           ns_->GetIndexRow("runs", "/runs/" + it->first, 0));
      json want = without.Expected();
      want.erase("steps");  // no metrics file: no count either
      EXPECT_EQ(RowJson(*row), want) << context;
      ASSERT_OK(ns_->Rename("/parked.json", p, false, {}));
    }
    ExpectRowsMatch(*ns_, model, 0, context);
    if (step % 10 == 0) past.emplace_back(ns_->LastVersion(), model);

    // find: top 3 by min_loss ascending (ties by path), rows without it last.
    std::vector<std::pair<double, std::string>> ranked;
    std::map<std::string, int> per_status;
    for (const auto& [name, m] : model) {
      json e = m.Expected();
      if (e.contains("min_loss")) ranked.emplace_back(e["min_loss"].get<double>(), "/runs/" + name);
      ++per_status[m.status];
    }
    std::sort(ranked.begin(), ranked.end());
    agent::Outcome<json> found = agent.Call("find", {{"path", "/runs"},
                                                     {"sort", {{{"field", "min_loss"}}}},
                                                     {"fields", {"path"}},
                                                     {"limit", 3}});
    ASSERT_TRUE(found.ok()) << context;
    for (size_t i = 0; i < std::min<size_t>(3, ranked.size()); ++i) {
      EXPECT_EQ(found.value()["rows"][i][0], ranked[i].second) << context << " rank " << i;
    }
    agent::Outcome<json> agg = agent.Call(
        "aggregate",
        {{"path", "/runs"}, {"measures", {{{"op", "count"}}}}, {"group_by", {"status"}}});
    ASSERT_TRUE(agg.ok()) << context;
    std::map<std::string, int> got;
    for (const json& r : agg.value()["rows"]) got[r[0].get<std::string>()] = r[1].get<int>();
    EXPECT_EQ(got, per_status) << context;
  }
  for (const auto& [version, state] : past) {
    ExpectRowsMatch(*ns_, state, version, "at version " + std::to_string(version));
  }
  // A rebuild from the files changes nothing.
  ASSERT_OK(ns_->RebuildIndex("runs", {}));
  ExpectRowsMatch(*ns_, model, 0, "after rebuild");
}

// 100k rows (files matching a glob), maintained by publishes in batches.
// A top-5 by an indexed field and a selective equality read O(result)
// index entries, checked through the engine's counter.
TEST_F(IndexTest, TopKAndEqualityReadOnlyWhatTheyReturn) {
  const int rows = int(EnvU64("NOKV_INDEX_SCALE_ROWS", 100000));
  ASSERT_OK(ns_->Mkdir("/items", false, {}));
  ASSERT_OK(ns_->DefineIndex("/items",
                             "rows: {files: \"*.json\"}\n"
                             "fields:\n  score: {at: score}\n  tag: {at: tag}\n",
                             {}));
  const int kBatch = 10000;
  for (int start = 0; start < rows; start += kBatch) {
    std::vector<PublishItem> items;
    for (int i = start; i < std::min(rows, start + kBatch); ++i) {
      char name[64];
      std::snprintf(name, sizeof(name), "/items/%07d.json", i);
      // score: a permutation of 0..rows-1; tag: 5 rows share each value.
      const int64_t score = (int64_t(i) * 7919) % rows;
      items.push_back(
          MakeItem(name, json{{"score", score}, {"tag", "t" + std::to_string(i / 5)}}.dump()));
    }
    ASSERT_OK(ns_->Publish(std::move(items), {}));
  }
  ASSERT_OK_AND_ASSIGN(IndexInfo info, ns_->GetIndex("items"));
  ASSERT_EQ(info.row_count, uint64_t(rows));
  agent::Agent agent(ns_.get());

  uint64_t before = ns_->IndexEntriesRead();
  agent::Outcome<json> top =
      agent.Call("find", {{"path", "/items"},
                          {"sort", {{{"field", "score"}, {"direction", "desc"}}}},
                          {"fields", {"path", "score"}},
                          {"limit", 5}});
  ASSERT_TRUE(top.ok()) << top.error().ToJson().dump();
  const uint64_t top_cost = ns_->IndexEntriesRead() - before;
  ASSERT_EQ(top.value()["rows"].size(), 5u);
  EXPECT_EQ(top.value()["rows"][0][1], rows - 1);
  EXPECT_EQ(top.value()["rows"][4][1], rows - 5);
  EXPECT_EQ(top.value()["matches"], rows);
  EXPECT_LE(top_cost, 30u) << "top-5 read " << top_cost << " index entries";

  before = ns_->IndexEntriesRead();
  agent::Outcome<json> eq =
      agent.Call("find", {{"path", "/items"},
                          {"where", {{{"field", "tag"}, {"op", "eq"}, {"value", "t4321"}}}},
                          {"fields", {"path", "tag"}}});
  ASSERT_TRUE(eq.ok());
  const uint64_t eq_cost = ns_->IndexEntriesRead() - before;
  EXPECT_EQ(eq.value()["matches"], 5);
  EXPECT_EQ(eq.value()["rows"][0][0], "/items/0021605.json");
  EXPECT_LE(eq_cost, 30u) << "equality read " << eq_cost << " index entries";
  std::printf("index entries read over %d rows: top-5 %llu, equality %llu\n", rows,
              static_cast<unsigned long long>(top_cost), static_cast<unsigned long long>(eq_cost));

  // The same question without postings (a range predicate) reads every row.
  before = ns_->IndexEntriesRead();
  agent::Outcome<json> scan =
      agent.Call("find", {{"path", "/items"},
                          {"where", {{{"field", "score"}, {"op", "lt"}, {"value", 3}}}},
                          {"fields", {"path"}}});
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan.value()["matches"], 3);
  EXPECT_GE(ns_->IndexEntriesRead() - before, uint64_t(rows));
}

}  // namespace
}  // namespace nokv::test
