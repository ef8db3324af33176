// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// GarbageCollector: snapshot-aware garbage collection for one namespace.
//
// What is reachable: every version readable at or above the history floor
// (the oldest version committed within the retention window), and every
// version a live snapshot pins. The engine queues each superseded record
// version with the version that superseded it; an entry (prior p,
// superseded at V) is needed exactly when some pin lies in [p, V). So GC
// never scans the namespace: it walks the queue up to the floor, parks
// entries a snapshot still needs (keyed by that snapshot's version, so a
// drop releases them), erases the rest, and counts body references down.
// A body whose count reaches zero is queued as dead; its blocks are deleted
// from the store first and its records last, so an interrupted or failed
// deletion is retried and never leaves a reference to a missing block.
//
// Every step is one atomic maintenance batch of bounded size: killing the
// process at any moment loses nothing reachable and leaves resumable work.
//
// The report also says what stays and why (GcReport::held): the queue
// entries the history window keeps and the parked entries of each snapshot,
// and the bodies of pruned versions that something else still names. That
// costs reads of the retained entries (bounded), never a namespace walk.
//
// Not thread-safe: one collection at a time (the namespace serializes it).
#ifndef NOKV_NS_GC_H_
#define NOKV_NS_GC_H_

#include <atomic>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "meta/engine.h"
#include "meta/time_records.h"
#include "nokv/block_store.h"
#include "nokv/time_types.h"
#include "ns/snapshots.h"

namespace nokv {

// Name of the sys record holding the history floor.
inline constexpr char kSysGcFloor[] = "gc_floor";
inline constexpr char kSysEventsTrimmedCount[] = "events_trimmed_count";

Result<uint64_t> LoadGcFloor(MetaEngine* engine);

class GarbageCollector {
 public:
  using IntentCleanup = std::function<Result<IntentCleanupReport>()>;
  GarbageCollector(MetaEngine* engine, BlockStore* store, SnapshotCatalog* snapshots,
                   IntentCleanup cleanup_intents, std::atomic<uint64_t>* floor)
      : engine_(engine),
        store_(store),
        snapshots_(snapshots),
        cleanup_intents_(std::move(cleanup_intents)),
        floor_(floor) {}

  Result<GcReport> Run(const GcOptions& options);

 private:
  Status ExpireSnapshots();
  Result<uint64_t> ComputeFloor(int64_t cutoff_ns);
  Status RaiseFloor(uint64_t floor);
  // One batch over queued ('Q') or parked ('P') entries; sets *done when no
  // work of that kind is left.
  Status PruneStep(char tag, bool* done);
  // Decides one entry inside a maintenance command.
  Status PruneEntry(Txn& txn, std::string_view key, const GcTarget& target, const GcEntry& entry,
                    std::unordered_set<std::string>* erased);
  Status ReleaseBody(Txn& txn, uint64_t body_id);
  Status ReclaimBodiesStep(bool* done);
  Status TrimEventsStep(int64_t cutoff_ns, uint64_t max_events, bool* done);
  // Deletes idempotency records created before `cutoff_ns`.
  Status TrimIdempotencyStep(int64_t cutoff_ns, bool* done);
  Status TrimCommits(uint64_t floor);
  // Fills report_.held from the retained queue and parked entries.
  Status ComputeHeld();
  // The body a retained version of `target` names, or 0 (not a file).
  Result<uint64_t> BodyOfVersion(const GcTarget& target, uint64_t version);
  // The body's reference count as this run leaves it.
  Result<uint64_t> RefCount(uint64_t body_id);
  // Bodies whose every remaining reference is in `releases` (body -> number
  // of retained versions naming it): what releasing those alone frees.
  Status AddExclusiveBodies(const std::unordered_map<uint64_t, uint64_t>& releases, GcHold* hold);
  // Number of pins in [lo, hi).
  size_t PinsIn(uint64_t lo, uint64_t hi) const;
  // Records that a pruned version released `body_id`; `freed` when that was
  // its last reference.
  void NoteRelease(uint64_t body_id, bool freed);
  // Largest pin in [lo, hi), or 0.
  uint64_t PinIn(uint64_t lo, uint64_t hi) const;
  bool HaveBudget() const;

  MetaEngine* engine_;
  BlockStore* store_;
  SnapshotCatalog* snapshots_;
  IntentCleanup cleanup_intents_;
  std::atomic<uint64_t>* floor_;

  GcOptions options_;
  GcReport report_;
  std::vector<uint64_t> pins_;                                    // live snapshot versions, sorted
  std::vector<std::pair<std::string, uint64_t>> live_snapshots_;  // name, version
  // Bodies released by pruned versions that stay named elsewhere, with the
  // number of such versions.
  std::unordered_map<uint64_t, uint64_t> still_named_;
  uint64_t floor_version_ = 0;
  // Where the next step of each kind resumes.
  std::string resume_queue_, resume_parked_, resume_bodies_, resume_idempotency_;
  // Dry run: reference counts as they would become.
  std::unordered_map<uint64_t, uint64_t> simulated_refs_;
};

}  // namespace nokv

#endif  // NOKV_NS_GC_H_
