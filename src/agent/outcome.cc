// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/outcome.h"

namespace nokv::agent {

json AgentError::ToJson() const {
  json out = {{"code", code}, {"message", message}};
  if (!hint.empty()) out["hint"] = hint;
  return out;
}

AgentError BadArgument(std::string message, std::string hint) {
  return {"invalid_argument", std::move(message), std::move(hint), Code::kInvalidArgument};
}

AgentError ErrorFromStatus(const Status& status, std::string hint) {
  return {std::string(CodeName(status.code())), status.message(), std::move(hint), status.code()};
}

}  // namespace nokv::agent
