// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/store_flags.h"

#include <cstdlib>

namespace nokv::cli {

void AddStoreFlags(CLI::App* app, StoreFlags* flags) {
  app->add_option("--store", flags->store,
                  "Where file bodies live: s3://BUCKET/PREFIX or local (default: $NOKV_STORE, "
                  "else local blocks in the data dir); fixed when the data dir is created")
      ->type_name("URI");
  app->add_option("--s3-endpoint", flags->endpoint,
                  "S3 endpoint URL, e.g. http://127.0.0.1:7480 (default: $NOKV_S3_ENDPOINT, "
                  "else AWS)")
      ->type_name("URL");
  app->add_option("--s3-region", flags->region,
                  "S3 signing region (default: $AWS_REGION, else us-east-1)")
      ->type_name("REGION");
  app->add_flag("--s3-virtual-host", flags->virtual_host,
                "Address the bucket as BUCKET.host (default: path style host/BUCKET)");
  app->add_option("--s3-concurrency", flags->concurrency,
                  "Parallel S3 requests per transfer: blocks in flight of a publish, parts and "
                  "ranges of a large object (default 8)")
      ->type_name("N")
      ->check(CLI::Range(1, 256));
}

Status ApplyStoreFlags(const StoreFlags& flags, Options* options) {
  options->store = flags.store;
  if (options->store.empty()) {
    const char* env = std::getenv("NOKV_STORE");
    if (env != nullptr) options->store = env;
  }
  options->s3 = S3Options::FromEnvironment();
  if (!flags.endpoint.empty()) options->s3.endpoint = flags.endpoint;
  if (!flags.region.empty()) options->s3.region = flags.region;
  if (flags.virtual_host) options->s3.virtual_host = true;
  const bool s3 = options->store.rfind("s3://", 0) == 0;
  if (s3) {
    const int n = flags.concurrency > 0 ? flags.concurrency : 8;
    options->upload_concurrency = n;
    options->s3.transfer_concurrency = n;
  }
  return Status::OK();
}

}  // namespace nokv::cli
