// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "util/structured.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace nokv {
namespace {

using json = nlohmann::json;

struct TooDeep {};

// Rewrites bare NaN / Infinity / -Infinity outside strings as marker
// strings; returns false when there is nothing to rewrite.
bool RewriteNonFinite(std::string_view text, std::string* out) {
  static constexpr std::string_view kWords[] = {"-Infinity", "Infinity", "NaN"};
  bool in_string = false, changed = false;
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out->push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out->push_back(c);
      continue;
    }
    bool replaced = false;
    for (std::string_view w : kWords) {
      if (text.substr(i, w.size()) == w) {
        out->append("\"\\u0001");  // kNonFiniteMarker, escaped for JSON
        out->append(kNonFiniteMarker.substr(1));
        out->append(w);
        out->append("\"");
        i += w.size() - 1;
        replaced = changed = true;
        break;
      }
    }
    if (!replaced) out->push_back(c);
  }
  return changed;
}

bool YamlLooksShallow(std::string_view text, int max_depth) {
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (depth > max_depth) return false;
  }
  size_t max_indent = 0, indent = 0, dashes = 0, max_dashes = 0;
  bool at_start = true;
  for (char c : text) {
    if (c == '\n') {
      at_start = true;
      indent = dashes = 0;
    } else if (at_start && (c == ' ' || c == '-')) {
      indent += c == ' ';
      dashes += c == '-';
      max_indent = std::max(max_indent, indent);
      max_dashes = std::max(max_dashes, dashes);
    } else {
      at_start = false;
    }
  }
  return max_indent <= size_t(2 * max_depth) && max_dashes <= size_t(max_depth);
}

json YamlToJson(const YAML::Node& node, int depth, int max_depth) {
  if (depth > max_depth) return nullptr;
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const YAML::Node& item : node) out.push_back(YamlToJson(item, depth + 1, max_depth));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node)
        out[kv.first.Scalar()] = YamlToJson(kv.second, depth + 1, max_depth);
      return out;
    }
    case YAML::NodeType::Scalar:
      if (node.Tag() == "!") return node.Scalar();  // quoted: always a string
      return ScalarFromText(node.Scalar());
    default:
      return nullptr;
  }
}

}  // namespace

bool IsNonFiniteMarker(const json& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return s.size() > kNonFiniteMarker.size() &&
         s.compare(0, kNonFiniteMarker.size(), kNonFiniteMarker) == 0;
}

Result<json> ParseJsonText(std::string_view text, int max_depth, bool allow_nonfinite) {
  json::parser_callback_t guard = [max_depth](int depth, json::parse_event_t, json&) {
    if (depth > max_depth) throw TooDeep();
    return true;
  };
  std::string rewritten;
  if (allow_nonfinite && RewriteNonFinite(text, &rewritten)) text = rewritten;
  try {
    return json::parse(text, guard);
  } catch (const TooDeep&) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(max_depth) +
                                   " levels");
  } catch (const json::exception& e) {
    std::string what = e.what();
    // Drop the library's "[json.exception.parse_error.101] " prefix.
    size_t bracket = what.find("] ");
    if (!what.empty() && what.front() == '[' && bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    return Status::InvalidArgument("invalid JSON: " + what);
  }
}

Result<json> ParseYamlText(std::string_view text, int max_depth) {
  if (!YamlLooksShallow(text, max_depth)) return Status::InvalidArgument("YAML nested too deep");
  try {
    return YamlToJson(YAML::Load(std::string(text)), 0, max_depth);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("not valid YAML: ") + e.what());
  }
}

json ScalarFromText(std::string_view text) {
  if (text.empty() || text == "null" || text == "~") return nullptr;
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  int64_t i = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ec == std::errc() && end == text.data() + text.size()) return i;
  // strtod needs a terminator; numbers are short, so a copy is cheap.
  if (text.size() < 64 && text.find_first_not_of("0123456789+-.eE") == std::string_view::npos) {
    std::string copy(text);
    char* stop = nullptr;
    double d = std::strtod(copy.c_str(), &stop);
    if (stop == copy.c_str() + copy.size()) return d;
  }
  return std::string(text);
}

std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

}  // namespace nokv
