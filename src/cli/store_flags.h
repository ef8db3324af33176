// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The global flags that choose the body store (--store and the --s3-*
// options) and how they become namespace Options.
#ifndef NOKV_CLI_STORE_FLAGS_H_
#define NOKV_CLI_STORE_FLAGS_H_

#include <string>

#include <CLI/CLI.hpp>

#include "nokv/namespace.h"
#include "nokv/status.h"

namespace nokv::cli {

struct StoreFlags {
  std::string store;          // --store; empty: $NOKV_STORE, else local
  std::string endpoint;       // --s3-endpoint; empty: $NOKV_S3_ENDPOINT, else AWS
  std::string region;         // --s3-region; empty: $AWS_REGION, ...
  bool virtual_host = false;  // --s3-virtual-host
  int concurrency = 0;        // --s3-concurrency; 0: default
};

// Adds the flags to `app` (a command or the root).
void AddStoreFlags(CLI::App* app, StoreFlags* flags);

// Fills options->store and options->s3 from the flags and the environment.
Status ApplyStoreFlags(const StoreFlags& flags, Options* options);

}  // namespace nokv::cli

#endif  // NOKV_CLI_STORE_FLAGS_H_
