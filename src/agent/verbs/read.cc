// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// read {path, lines?, offset?, length?, format?, cursor?}: a file's content
// within a byte budget (`length`, default kDefaultBudget, at most
// kMaxBudget). Text comes back as text in whole lines, records as JSON
// values, bytes as base64. A response that stops early says how much is left
// and carries a cursor for the next page, so a file of any size is readable
// page by page or by line range; it is never refused for being large.
// `path` may be an evidence reference from grep (nokv://PATH@gen:N#L12).
#include "agent/base64.h"
#include "agent/evidence.h"
#include "agent/json_text.h"
#include "agent/line_scanner.h"
#include "agent/records.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kDefaultBudget = 8 * 1024;
constexpr uint64_t kMaxBudget = 256 * 1024;
constexpr uint64_t kMaxWholeDocument = 1 << 20;  // JSON/YAML parsed whole for records
constexpr uint64_t kSniffBytes = 4096;

enum class Mode { kText, kRecords, kBytes };

// What one call reads: the file at one version and how to present it.
struct Request {
  std::string path;
  uint64_t version = 0;
  FileInfo info;
  std::unique_ptr<FileReader> reader;
  BodyFormat format = BodyFormat::kText;
  Mode mode = Mode::kText;
  uint64_t budget = kDefaultBudget;
};

json BaseResult(const Request& r) {
  return {{"path", r.path},
          {"generation", r.info.generation},
          {"version", r.version},
          {"size", r.info.size}};
}

// Byte ranges: bytes as base64, or text cut at a character boundary and,
// when more follows, after the last complete line.
Outcome<json> ReadBytes(Request& r, uint64_t offset, const VerbContext& ctx) {
  if (offset > r.info.size) {
    return BadArgument("offset " + std::to_string(offset) + " is past the end (size " +
                       std::to_string(r.info.size) + ")");
  }
  std::string data;
  AGENT_RETURN_IF_ERROR(Check(r.reader->ReadAt(offset, r.budget, &data)));
  const bool at_end = offset + data.size() >= r.info.size;
  json out = BaseResult(r);
  if (r.mode == Mode::kBytes) {
    out["data"] = Base64Encode(data);
  } else {
    if (!at_end) {
      size_t nl = data.rfind('\n');
      if (nl != std::string::npos && nl >= data.size() / 2) data.resize(nl + 1);
    }
    size_t keep = data.size();
    while (keep > 0 && !IsValidUtf8(std::string_view(data).substr(0, keep)) &&
           data.size() - keep < 4) {
      --keep;  // do not split a multi-byte character at the end
    }
    if (keep > 0 && keep < data.size()) data.resize(keep);
    out["text"] = data;
  }
  const uint64_t next = offset + data.size();
  out["offset"] = offset;
  out["next_offset"] = next;
  out["remaining_bytes"] = r.info.size - next;
  if (next < r.info.size) {
    out["next_cursor"] = ctx.NextCursor({{"o", next}});
    out["hint"] = "more follows: pass next_cursor, or offset:" + std::to_string(next);
  }
  return out;
}

// Whole JSON/YAML documents as records: array elements, or the document.
Outcome<json> ReadDocumentRecords(Request& r, uint64_t first, const VerbContext& ctx) {
  if (r.info.size > kMaxWholeDocument) {
    return AgentError{"too_large", r.path + " is too large to read as one document of records",
                      "read it as text with lines:[1,200]", Code::kInvalidArgument};
  }
  std::string body;
  AGENT_RETURN_IF_ERROR(Check(r.reader->ReadAt(0, r.info.size, &body)));
  AGENT_ASSIGN_OR_RETURN(json value, ParseDocument(r.format, body));
  json all = value.is_array() ? value : json::array({value});
  json records = json::array();
  uint64_t used = 0, i = first;
  for (; i < all.size(); ++i) {
    std::string text = DumpJson(all[i]);
    if (!records.empty() && used + text.size() > r.budget) break;
    used += text.size();
    records.push_back(std::move(all[i]));
  }
  json out = BaseResult(r);
  out["records"] = std::move(records);
  out["first_record"] = first;
  out["total_records"] = all.size();
  if (i < all.size()) out["next_cursor"] = ctx.NextCursor({{"r", i}});
  return out;
}

// Lines [from, to] in text or as records, starting from a resume point.
Outcome<json> ReadLines(Request& r, uint64_t from, uint64_t to, uint64_t offset, uint64_t line,
                        const VerbContext& ctx) {
  LineRecords parser(r.format == BodyFormat::kBinary ? BodyFormat::kText : r.format);
  const bool csv = r.mode == Mode::kRecords && r.format == BodyFormat::kCsv;
  if (csv) {
    LineScanner header(r.reader.get());
    AGENT_ASSIGN_OR_RETURN(bool any, header.Next());
    if (any) parser.SetHeader(header.line());
    if (from == 1) from = 2;  // the header is not a record
  }
  LineScanner scan(r.reader.get(), offset, line);
  std::string text;
  json records = json::array();
  uint64_t first = 0, last = 0, used = 0;
  bool more = false;
  json cut = json::array();
  while (true) {
    AGENT_ASSIGN_OR_RETURN(bool any, scan.Next());
    if (!any) break;
    if (scan.number() < from) continue;
    if (scan.number() > to) break;
    std::string_view l = scan.line();
    if (first != 0 && used + l.size() + 1 > r.budget) {
      more = true;
      break;
    }
    if (l.size() + 1 > r.budget || scan.truncated()) {
      l = l.substr(0, r.budget);
      cut.push_back(scan.number());
    }
    if (first == 0) first = scan.number();
    last = scan.number();
    used += l.size() + 1;
    if (r.mode == Mode::kRecords) {
      records.push_back(parser.Parse(l));
    } else {
      text.append(l);
      text.push_back('\n');
    }
  }
  json out = BaseResult(r);
  if (first == 0) {
    out["lines"] = json::array();
    out["hint"] =
        "no lines in that range; the file has " + std::to_string(scan.number()) + " lines";
    return out;
  }
  out["lines"] = {first, last};
  if (r.mode == Mode::kRecords) {
    out["records"] = std::move(records);
  } else {
    out["text"] = std::move(text);
  }
  if (!cut.empty()) out["cut_lines"] = std::move(cut);
  // `scan` stands on the first line not returned when more is set.
  const uint64_t resume = more ? scan.offset() : scan.next_offset();
  out["remaining_bytes"] = r.info.size - std::min(resume, r.info.size);
  if (more) {
    json pos = {{"o", scan.offset()}, {"l", scan.number()}};
    if (to != UINT64_MAX) pos["to"] = to;
    out["next_cursor"] = ctx.NextCursor(std::move(pos));
    std::string next_to = to == UINT64_MAX ? "" : "," + std::to_string(to);
    out["hint"] = "more follows: pass next_cursor, or lines:[" + std::to_string(scan.number()) +
                  (next_to.empty() ? "," + std::to_string(scan.number() + 199) : next_to) + "]";
  }
  return out;
}

Outcome<Mode> ParseMode(const Args& args, BodyFormat format) {
  AGENT_ASSIGN_OR_RETURN(std::string f, args.String("format", ""));
  if (f.empty()) return format == BodyFormat::kBinary ? Mode::kBytes : Mode::kText;
  if (f == "text") return Mode::kText;
  if (f == "records") return Mode::kRecords;
  if (f == "bytes") return Mode::kBytes;
  return BadArgument("`format` must be text, records or bytes, not `" + f + "`");
}

class ReadVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    Request r;
    r.version = ctx.version();
    AGENT_ASSIGN_OR_RETURN(std::string raw, args.String("path"));
    uint64_t from = 1, to = UINT64_MAX;
    if (IsEvidenceRef(raw)) {
      AGENT_ASSIGN_OR_RETURN(EvidenceRef ref, ParseEvidenceRef(raw));
      r.path = ref.path;
      AGENT_ASSIGN_OR_RETURN(r.version,
                             VersionOfGeneration(ctx.ns(), ref.path, ref.generation, r.version));
      if (ref.line > 0) from = to = ref.line;
    } else {
      AGENT_ASSIGN_OR_RETURN(r.path, NormalizeAgentPath(raw));
    }
    if (const json* lines = args.Find("lines")) {
      if (!lines->is_array() || lines->size() != 2 || !(*lines)[0].is_number_integer() ||
          !(*lines)[1].is_number_integer() || (*lines)[0].get<int64_t>() <= 0) {
        return BadArgument("`lines` must be [from, to], 1-based; to = -1 means to the end");
      }
      from = (*lines)[0].get<uint64_t>();
      int64_t t = (*lines)[1].get<int64_t>();
      to = t < 0 ? UINT64_MAX : static_cast<uint64_t>(t);
      if (to < from) return BadArgument("`lines` [from, to] needs from <= to");
    }
    AGENT_ASSIGN_OR_RETURN(r.budget, args.Uint("length", kDefaultBudget, 1, kMaxBudget));
    ReadOptions at;
    at.version = r.version;
    Result<std::unique_ptr<FileReader>> reader = ctx.ns().OpenFile(r.path, at);
    if (!reader.ok() && reader.status().code() == Code::kIsDirectory) {
      return AgentError{"is_directory", r.path + " is a directory", "use ls or find on it",
                        Code::kIsDirectory};
    }
    AGENT_ASSIGN_OR_RETURN(r.reader, std::move(reader));
    r.info = r.reader->info();
    std::string head;
    AGENT_RETURN_IF_ERROR(Check(r.reader->ReadAt(0, kSniffBytes, &head)));
    r.format = DetectFormat(r.path, r.info.content_type, head);
    AGENT_ASSIGN_OR_RETURN(r.mode, ParseMode(args, r.format));

    const json& pos = ctx.position();
    const bool resume_bytes = pos.contains("o") && !pos.contains("l");
    const bool byte_mode = r.mode == Mode::kBytes || args.Has("offset") || resume_bytes;
    if (byte_mode) {
      if (args.Has("lines")) return BadArgument("give either lines or offset, not both");
      AGENT_ASSIGN_OR_RETURN(uint64_t offset, args.Uint("offset", 0, 0, UINT64_MAX));
      if (pos.contains("o")) offset = pos["o"].get<uint64_t>();
      return ReadBytes(r, offset, ctx);
    }
    const bool document = r.format == BodyFormat::kJson || r.format == BodyFormat::kYaml;
    if (r.mode == Mode::kRecords && document) {
      return ReadDocumentRecords(r, pos.contains("r") ? pos["r"].get<uint64_t>() : 0, ctx);
    }
    uint64_t offset = 0, line = 1;
    if (pos.contains("l")) {
      offset = pos["o"].get<uint64_t>();
      line = pos["l"].get<uint64_t>();
      from = line;
      to = pos.contains("to") ? pos["to"].get<uint64_t>() : UINT64_MAX;
    }
    return ReadLines(r, from, to, offset, line, ctx);
  }
};

}  // namespace

std::unique_ptr<Verb> NewReadVerb() { return std::make_unique<ReadVerb>(); }

}  // namespace nokv::agent
