#include "fuzz_stats.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tinyfuse::fuzz {

namespace {

PipelineStats* g_stats = nullptr;
const char* g_title = "";

void PrintAtExit() {
  const std::string report = g_stats->Report(g_title);
  std::fputs(report.c_str(), stderr);
  if (const char* path = std::getenv("TINYFUSE_FUZZ_STATS")) {
    if (std::FILE* f = std::fopen(path, "w")) {
      std::fputs(report.c_str(), f);
      std::fclose(f);
    }
  }
}

}  // namespace

PipelineStats& GlobalStats(const char* title) {
  if (g_stats == nullptr) {
    g_stats = new PipelineStats();  // never freed: it must outlive every other static
    g_title = title;
    std::atexit(PrintAtExit);
  }
  return *g_stats;
}

}  // namespace tinyfuse::fuzz
