// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/event_log.h"

#include <algorithm>

#include "util/coding.h"
#include "util/path.h"

namespace nokv {

namespace {

constexpr size_t kMaxWatchLimit = 100000;
// Events examined per call, matching or not, so a watch of a quiet subtree
// in a busy namespace returns (with an advanced cursor) in bounded time.
constexpr size_t kScanBudget = 200000;

EventPosition After(EventPosition p) {
  if (p.seq == UINT32_MAX) return EventPosition{p.version + 1, 0};
  return EventPosition{p.version, p.seq + 1};
}

}  // namespace

std::string EventLog::EncodeCursor(EventPosition next) const {
  std::string raw(1, static_cast<char>(kFormatV1));
  PutFixed64BE(&raw, engine_->dir_id());
  raw += EventKey(next.version, next.seq);
  return HexEncode(raw);
}

Result<EventPosition> EventLog::DecodeCursor(const std::string& cursor) const {
  std::string raw;
  EventPosition p;
  if (!HexDecode(cursor, &raw) || raw.size() != 21 || static_cast<uint8_t>(raw[0]) != kFormatV1 ||
      !DecodeEventKey(std::string_view(raw).substr(9), &p.version, &p.seq)) {
    return Status::InvalidArgument("malformed watch cursor \"" + cursor.substr(0, 64) +
                                   "\"; pass a cursor printed by `nokv watch`");
  }
  if (DecodeFixed64BE(raw.data() + 1) != engine_->dir_id()) {
    return Status::InvalidArgument(
        "this watch cursor belongs to another data dir; start without --from to read this one");
  }
  return p;
}

Result<EventPosition> EventLog::OldestRetained() const {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        engine_->GetPlain(Family::kSys, kSysEventsTrimmedThrough));
  if (!raw.has_value()) return EventPosition{};
  EventPosition last;
  if (!DecodeEventKey(*raw, &last.version, &last.seq)) {
    return Status::Corruption("undecodable events_trimmed_through record; run `nokv fsck`");
  }
  return After(last);
}

bool EventLog::Concerns(const EventRecord& e, const std::string& path) {
  if (IsSameOrBelow(e.path, path)) return true;
  const bool moved_out = e.type == EventType::kRename && IsSameOrBelow(e.from_path, path);
  if (moved_out) return true;
  if (!IsSubtreeEvent(e.type, e.kind)) return false;
  if (IsSameOrBelow(path, e.path)) return true;
  return e.type == EventType::kRename && IsSameOrBelow(path, e.from_path);
}

WatchEvent EventLog::ToWatchEvent(const EventRecord& e, uint64_t version, std::string cursor) {
  WatchEvent w;
  w.type = EventTypeName(e.type);
  w.version = version;
  w.cursor = std::move(cursor);
  w.time_ns = e.time_ns;
  w.path = e.path;
  w.from_path = e.from_path;
  w.ino = e.ino;
  w.kind = e.kind;
  w.generation = e.generation;
  w.size = e.size;
  if (!e.sha256.empty()) w.sha256_hex = HexEncode(e.sha256);
  w.detail = e.detail;
  return w;
}

Result<WatchPage> EventLog::Read(const std::string& path, const WatchOptions& options) {
  if (options.limit == 0)
    return Status::InvalidArgument("a watch page needs a limit of at least 1");
  const size_t limit = std::min(options.limit, kMaxWatchLimit);
  const uint64_t visible = engine_->VisibleVersion();
  NOKV_ASSIGN_OR_RETURN(EventPosition oldest, OldestRetained());
  EventPosition start = oldest;
  if (options.from_now) {
    start = EventPosition{visible + 1, 0};
  } else if (!options.cursor.empty()) {
    NOKV_ASSIGN_OR_RETURN(start, DecodeCursor(options.cursor));
    if (start < oldest) {
      return Status::Expired(
          "watch cursor expired: events before it were trimmed by retention; "
          "the oldest valid cursor is " +
          EncodeCursor(oldest) + "; resynchronise from a snapshot, then watch from there");
    }
  }
  WatchPage page;
  EventPosition next = start;
  size_t scanned = 0;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->ScanPlainFrom(
      Family::kEvents, "", EventKey(start.version, start.seq),
      [&](std::string_view key, std::string_view value) {
        EventPosition at;
        if (!DecodeEventKey(key, &at.version, &at.seq)) {
          status = Status::Corruption("undecodable event key; run `nokv fsck`");
          return false;
        }
        if (at.version > visible) return false;  // not yet visible to this reader
        if (page.events.size() == limit || scanned == kScanBudget) {
          page.more = true;
          return false;
        }
        ++scanned;
        EventRecord e;
        status = DecodeEvent(value, &e);
        if (!status.ok()) return false;
        next = After(at);
        if (Concerns(e, path))
          page.events.push_back(ToWatchEvent(e, at.version, EncodeCursor(next)));
        return true;
      }));
  NOKV_RETURN_IF_ERROR(status);
  // Nothing newer: resume after everything visible now.
  if (!page.more && next.version <= visible) next = std::max(next, EventPosition{visible + 1, 0});
  page.next_cursor = EncodeCursor(next);
  return page;
}

}  // namespace nokv
