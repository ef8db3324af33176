// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Verb: one read-only agent operation over the Namespace interface. A verb
// gets its validated argument object and a VerbContext that pins the
// version every read of the call uses, and returns a result object or an
// AgentError. Verbs hold no state between calls; paging state travels in the
// opaque cursor.
#ifndef NOKV_AGENT_VERB_H_
#define NOKV_AGENT_VERB_H_

#include <cstdint>
#include <string>

#include "agent/args.h"
#include "agent/cursor.h"
#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::agent {

class VerbContext {
 public:
  VerbContext(Namespace* ns, std::string verb, uint64_t version, uint64_t query, json position)
      : ns_(ns),
        verb_(std::move(verb)),
        version_(version),
        query_(query),
        position_(std::move(position)) {}

  Namespace& ns() const { return *ns_; }
  // The version every read of this call is pinned to.
  uint64_t version() const { return version_; }
  ReadOptions at() const {
    ReadOptions o;
    o.version = version_;
    return o;
  }
  // Where this page starts: null on a first page, else the position the
  // previous page put into its cursor.
  const json& position() const { return position_; }
  // A cursor that continues this query at `position`, at the same version.
  std::string NextCursor(json position) const {
    return EncodeCursor(CursorState{verb_, version_, query_, std::move(position)});
  }

 private:
  Namespace* ns_;
  std::string verb_;
  uint64_t version_;
  uint64_t query_;
  json position_;
};

class Verb {
 public:
  virtual ~Verb() = default;
  virtual Outcome<json> Run(const Args& args, const VerbContext& ctx) const = 0;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_VERB_H_
