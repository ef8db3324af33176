// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// CurlLibrary: libcurl, loaded on first use instead of at program start.
// Linking libcurl pulls about 25 shared libraries (TLS, Kerberos, LDAP, ...)
// into every process, which costs each one-shot CLI command ~15 ms even when
// its bodies live in the local store. Only the S3 store needs curl, so it
// loads the library when it makes its first client.
//
// Thread-safe: Get() loads once; the function table is immutable after.
#ifndef NOKV_STORE_CURL_LIBRARY_H_
#define NOKV_STORE_CURL_LIBRARY_H_

#include <curl/curl.h>

#include "nokv/status.h"

namespace nokv {

struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  void (*easy_reset)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);

  // The loaded library (initialised with curl_global_init), or IOError
  // saying how to install it. The table lives until the process exits.
  static Result<const CurlLibrary*> Get();
};

}  // namespace nokv

#endif  // NOKV_STORE_CURL_LIBRARY_H_
