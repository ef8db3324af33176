// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "nokv/status.h"

namespace nokv {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kConflict:
      return "conflict";
    case Code::kNotDirectory:
      return "not_directory";
    case Code::kIsDirectory:
      return "is_directory";
    case Code::kNotEmpty:
      return "not_empty";
    case Code::kCorruption:
      return "corruption";
    case Code::kIOError:
      return "io_error";
    case Code::kNoSpace:
      return "no_space";
    case Code::kBusy:
      return "busy";
    case Code::kInternal:
      return "internal";
    case Code::kExpired:
      return "expired";
  }
  return "unknown";
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(CodeName(code()));
  out += ": ";
  out += rep_->message;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string msg(context);
  msg += ": ";
  msg += rep_->message;
  return Status(rep_->code, std::move(msg));
}

}  // namespace nokv
