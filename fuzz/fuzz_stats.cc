#include "fuzz_stats.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace tinyfuse::fuzz {

namespace {

PipelineStats* g_stats = nullptr;
const char* g_title = "";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// With $TINYFUSE_FUZZ_STATS set, the counts of earlier processes (PATH.counts) are added first, so that a
// -fork run reports all its workers (one at a time: -fork=1; parallel workers may lose a count).
void PrintAtExit() {
  PipelineStats all;
  const char* path = std::getenv("TINYFUSE_FUZZ_STATS");
  if (path != nullptr) all.Merge(ReadText(std::string(path) + ".counts"));
  all.Merge(g_stats->Serialize());
  const std::string report = all.Report(g_title);
  std::fputs(report.c_str(), stderr);
  if (path != nullptr) {
    WriteText(std::string(path) + ".counts", all.Serialize());
    WriteText(path, report);
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
