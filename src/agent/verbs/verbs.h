// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Factories of the seven agent verbs, one file each. Their argument and
// result contracts are the tool definitions in agent/tools.cc and
// docs/agent.md.
#ifndef NOKV_AGENT_VERBS_VERBS_H_
#define NOKV_AGENT_VERBS_VERBS_H_

#include <memory>

#include "agent/fields.h"
#include "agent/verb.h"

namespace nokv::agent {

std::unique_ptr<Verb> NewLsVerb();
std::unique_ptr<Verb> NewStatVerb();
std::unique_ptr<Verb> NewCatalogVerb();
std::unique_ptr<Verb> NewFindVerb();
std::unique_ptr<Verb> NewAggregateVerb();
std::unique_ptr<Verb> NewReadVerb();
std::unique_ptr<Verb> NewGrepVerb();

}  // namespace nokv::agent

#endif  // NOKV_AGENT_VERBS_VERBS_H_
