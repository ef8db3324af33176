// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// DirIterator: the entries of one namespace directory, fetched page by page
// through Namespace::List so that huge directories stream in bounded memory.
#ifndef NOKV_CLI_LISTING_H_
#define NOKV_CLI_LISTING_H_

#include <cstddef>
#include <string>

#include "nokv/namespace.h"

namespace nokv::cli {

class DirIterator {
 public:
  // Pages of this many entries are fetched when paging internally.
  static constexpr size_t kPageSize = 1000;

  // Lists `path` with `options` (version, with_attrs, a starting cursor);
  // `ns` must outlive the iterator. Every page after the first is read at the
  // first page's version, so the listing is one consistent cut.
  DirIterator(Namespace* ns, std::string path, ListOptions options);

  // True when Next() has an entry; fetches the next page if needed.
  Result<bool> HasNext();
  // The next entry. Call only after HasNext() returned true.
  const DirEntry& Next();

 private:
  Namespace* const ns_;
  const std::string path_;
  ListOptions options_;
  ListPage page_;
  size_t pos_ = 0;
  bool fetched_ = false;
};

}  // namespace nokv::cli

#endif  // NOKV_CLI_LISTING_H_
