// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "store/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace nokv {

namespace {

constexpr const char* kSoname = "libcurl.so.4";

template <typename Fn>
bool Bind(void* library, const char* name, Fn* fn, std::string* missing) {
  *fn = reinterpret_cast<Fn>(::dlsym(library, name));
  if (*fn == nullptr && missing->empty()) *missing = name;
  return *fn != nullptr;
}

Result<const CurlLibrary*> Load() {
  void* library = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return Status::IOError(std::string("the S3 store needs libcurl, which could not be loaded (") +
                           (why != nullptr ? why : kSoname) +
                           "); install it (Debian: apt-get install libcurl4)");
  }
  static CurlLibrary lib;
  std::string missing;
  Bind(library, "curl_global_init", &lib.global_init, &missing);
  Bind(library, "curl_easy_init", &lib.easy_init, &missing);
  Bind(library, "curl_easy_cleanup", &lib.easy_cleanup, &missing);
  Bind(library, "curl_easy_reset", &lib.easy_reset, &missing);
  Bind(library, "curl_easy_setopt", &lib.easy_setopt, &missing);
  Bind(library, "curl_easy_perform", &lib.easy_perform, &missing);
  Bind(library, "curl_easy_getinfo", &lib.easy_getinfo, &missing);
  Bind(library, "curl_easy_strerror", &lib.easy_strerror, &missing);
  Bind(library, "curl_slist_append", &lib.slist_append, &missing);
  Bind(library, "curl_slist_free_all", &lib.slist_free_all, &missing);
  if (!missing.empty()) {
    return Status::IOError(std::string(kSoname) + " lacks " + missing +
                           "; install a libcurl of version 7.75 or newer");
  }
  // The library stays loaded for the life of the process (never dlclose'd).
  if (lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return Status::IOError("curl_global_init failed");
  }
  return &lib;
}

}  // namespace

Result<const CurlLibrary*> CurlLibrary::Get() {
  static std::once_flag once;
  static Result<const CurlLibrary*> loaded = Status::Internal("libcurl not loaded");
  std::call_once(once, [] { loaded = Load(); });
  return loaded;
}

}  // namespace nokv
