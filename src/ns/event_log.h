// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EventLog: reads the durable event log (family kEvents) for watch. Events
// are keyed by (commit version, sequence in commit), so replay from a cursor
// is one seek and yields events in commit order with no gaps or repeats.
//
// A cursor names the next event key to read and the data dir it belongs to
// (hex, opaque to users). The GC trims the log from the front and records
// the last trimmed key; a cursor at or before it is Expired.
//
// Thread-safe.
#ifndef NOKV_NS_EVENT_LOG_H_
#define NOKV_NS_EVENT_LOG_H_

#include <cstdint>
#include <string>

#include "meta/engine.h"
#include "meta/time_records.h"
#include "nokv/time_types.h"

namespace nokv {

struct EventPosition {
  uint64_t version = 0;
  uint32_t seq = 0;
  bool operator<(const EventPosition& o) const {
    return version != o.version ? version < o.version : seq < o.seq;
  }
};

// Name of the sys record holding the last trimmed event key.
inline constexpr char kSysEventsTrimmedThrough[] = "events_trimmed_through";

class EventLog {
 public:
  explicit EventLog(MetaEngine* engine) : engine_(engine) {}

  Result<WatchPage> Read(const std::string& path, const WatchOptions& options);

  std::string EncodeCursor(EventPosition next) const;
  Result<EventPosition> DecodeCursor(const std::string& cursor) const;
  // The key after the last trimmed event; (0,0) when nothing was trimmed.
  Result<EventPosition> OldestRetained() const;

  // True if `e` concerns the subtree at `path`.
  static bool Concerns(const EventRecord& e, const std::string& path);
  static WatchEvent ToWatchEvent(const EventRecord& e, uint64_t version, std::string cursor);

 private:
  MetaEngine* engine_;
};

}  // namespace nokv

#endif  // NOKV_NS_EVENT_LOG_H_
